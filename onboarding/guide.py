"""The personalised welcome guide "Bienvenue": what it is made from, its hash, its PDF.

The context is plain data (strings, dates as text, photo file names): its SHA-256 is the
guide's content hash, so a guide is rendered again only when something it shows changed
(a chapter, the identity, the agent's service, manager, buddy, first-week agenda or
integration day). The PDF is drawn by WeasyPrint with the DejaVu fonts of the system
(Debian's fonts-dejavu-core, installed by the Dockerfile; Bitstream Vera / public-domain
licence): nothing is fetched over the network, photos are read from the media storage.
"""

import hashlib
import io
import json

from django.core.files.storage import default_storage
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from events.models import Registration, Session
from intranet.directory.permissions import photo_shown_in_trombinoscope
from intranet.models import Agent
from intranet.pdf import pdf_document
from onboarding.models import Arrival, GuideChapter, JourneyTask, Phase

PHOTO_SIZE = 160
COLLEAGUES_SHOWN = 40


def _photo(agent: Agent | None) -> str:
    """The storage name of the agent's 160 px thumbnail, written if missing; "" without one."""
    if agent is None or not photo_shown_in_trombinoscope(agent):
        return ""
    from intranet.images import thumbnail_generate, thumbnail_name

    name = thumbnail_name(agent.photo.name, PHOTO_SIZE)
    try:
        if not default_storage.exists(name):
            thumbnail_generate(agent.photo.name, PHOTO_SIZE)
    except OSError:
        return ""
    return name


def _person(agent: Agent | None) -> dict | None:
    if agent is None:
        return None
    return {
        "name": agent.get_full_name(),
        "initials": agent.initials,
        "job_title": agent.job_title,
        "unit": str(agent.org_unit or ""),
        "email": agent.email if agent.has_mailbox else "",
        "phone": agent.phone if agent.show_phone else "",
        "photo": _photo(agent),
    }


def _contacts(text: str) -> list[dict]:
    rows = []
    for line in text.splitlines():
        label, _sep, value = line.partition(":")
        if label.strip():
            rows.append({"label": label.strip(), "value": value.strip()})
    return rows


def guide_context(*, arrival: Arrival) -> dict:
    """Everything the guide of `arrival` shows, as plain data (see guide_hash)."""
    from onboarding.services.welcome_guide import guide_settings

    identity = guide_settings()
    arrival = Arrival.objects.select_related(
        "agent__org_unit__head", "agent__site", "manager__org_unit", "buddy__org_unit"
    ).get(pk=arrival.pk)
    agent, unit = arrival.agent, arrival.agent.org_unit
    chapters = [
        {"id": chapter.pk, "title": chapter.title, "body": chapter.body}
        for chapter in GuideChapter.objects.filter(is_published=True).order_by("order", "pk")
    ]
    path = [str(u) for u in reversed(unit.ancestors())] + [str(unit)] if unit else []
    colleagues = []
    if unit is not None:
        colleagues = [
            {"name": colleague.get_full_name(), "job_title": colleague.job_title}
            for colleague in Agent.objects.active()
            .filter(org_unit=unit)
            .exclude(pk=agent.pk)
            .order_by("last_name", "first_name")[:COLLEAGUES_SHOWN]
        ]
    first_week = [
        {
            "date": task.due_date.isoformat(),
            "title": task.title,
            "who": task.get_assignee_role_display(),
            "phase": task.get_phase_display(),
        }
        for task in JourneyTask.objects.filter(arrival=arrival)
        .filter(Q(phase__in=[Phase.DAY_ONE, Phase.WEEK_ONE]))
        .order_by("due_date", "pk")
    ]
    registration = (
        Registration.objects.filter(
            agent_id=arrival.agent_id,
            status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITING],
            session__integration_day__isnull=False,
            session__status=Session.Status.SCHEDULED,
        )
        .select_related("session__event", "session__site", "session__integration_day")
        .order_by("session__starts_at", "pk")
        .first()
    )
    session = None
    if registration is not None:
        s = registration.session.integration_day
        session = {
            "title": s.title,
            "date": s.date.isoformat(),
            "time": f"{s.start_time:%H:%M}",
            "place": s.place,
            "programme": s.programme,
            "waiting": registration.is_waiting,
        }
    return {
        "identity": {
            "administration": identity.administration_name,
            "title": identity.title,
            "primary": identity.primary_colour,
            "accent": identity.accent_colour,
        },
        "contacts": _contacts(identity.contacts),
        "agent": {
            "name": agent.get_full_name(),
            "first_name": agent.first_name,
            "job_title": agent.job_title,
            "site": str(agent.site or ""),
            "arrival_date": arrival.arrival_date.isoformat(),
        },
        "unit": {
            "path": path,
            "name": str(unit or ""),
            "head": _person(unit.head) if unit is not None and unit.head_id not in (None, agent.pk) else None,
        },
        "colleagues": colleagues,
        "manager": _person(arrival.manager),
        "buddy": _person(arrival.buddy),
        "first_week": first_week,
        "session": session,
        "chapters": chapters,
    }


def guide_hash(context: dict) -> str:
    return hashlib.sha256(json.dumps(context, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def guide_filename(arrival: Arrival) -> str:
    return f"guide-accueil-{slugify(arrival.agent.get_full_name()) or arrival.pk}.pdf"


def _display(context: dict) -> dict:
    """The template's view of the context: dates as dates, the table of contents."""
    from datetime import date

    shown = dict(context)
    shown["agent"] = dict(context["agent"], arrival_date=date.fromisoformat(context["agent"]["arrival_date"]))
    shown["first_week"] = [dict(row, date=date.fromisoformat(row["date"])) for row in context["first_week"]]
    if context["session"]:
        shown["session"] = dict(context["session"], date=date.fromisoformat(context["session"]["date"]))
    personal = [
        ("service", _("Votre service")),
        ("equipe", _("Votre encadrant et votre parrain ou marraine")),
        ("agenda", _("Votre première semaine")),
        ("contacts", _("Contacts utiles")),
    ]
    shown["toc"] = [
        *({"anchor": f"chapitre-{chapter['id']}", "title": chapter["title"]} for chapter in context["chapters"]),
        *({"anchor": anchor, "title": title} for anchor, title in personal),
    ]
    shown["people"] = [
        (label, person)
        for label, person in (
            (_("Votre encadrant"), context["manager"]),
            (_("Votre parrain ou marraine"), context["buddy"]),
        )
        if person
    ]
    shown["printed_on"] = timezone.localdate()
    return shown


def guide_html(*, context: dict, for_pdf: bool) -> str:
    return render_to_string("onboarding/pdf/guide.html", {**_display(context), "for_pdf": for_pdf})


def guide_display_context(context: dict) -> dict:
    return _display(context)


def guide_pdf_render(*, context: dict) -> tuple[bytes, int]:
    """The guide as a PDF, and its number of pages."""
    document = pdf_document(guide_html(context=context, for_pdf=True))
    out = io.BytesIO()
    document.write_pdf(out)
    return out.getvalue(), len(document.pages)
