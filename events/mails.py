"""The mails to one person about their registration, through the outbox (intranet.services.email_queue):
confirmed (with the invitation's .ics and the convocation's QR code), on the waiting list, promoted,
unregistered, the session changed or cancelled, the reminder the day before, materials shared.

Called after the commit of the service that decides (never under its row lock). The bulk invitation
to an audience goes through the mailing engine instead (services.event_invite)."""

import io

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.calendar import invitation_ics
from events.models import Registration, Session
from intranet.links import absolute_url
from intranet.services import email_publish_on_commit, email_queue


def qr_png(url: str) -> bytes:
    import qrcode

    image = qrcode.make(url, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def qr_svg(url: str) -> str:
    """The QR code as inline SVG markup (the convocation page and its print)."""
    import qrcode
    from qrcode.image.svg import SvgPathImage

    image = qrcode.make(url, image_factory=SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


def when(session: Session) -> str:
    start = timezone.localtime(session.starts_at)
    end = timezone.localtime(session.ends_at)
    day = formats.date_format(start, "l j F Y")
    if start.date() == end.date():
        return _("%(day)s, de %(start)s à %(end)s") % {
            "day": day,
            "start": formats.time_format(start, "H:i"),
            "end": formats.time_format(end, "H:i"),
        }
    return _("du %(start)s au %(end)s") % {
        "start": formats.date_format(start, "j F Y H:i"),
        "end": formats.date_format(end, "j F Y H:i"),
    }


SUBJECTS = {
    "confirmed": lambda s: _("Inscription confirmée : %(title)s") % {"title": s.title},
    "waiting": lambda s: _("Liste d'attente : %(title)s") % {"title": s.title},
    "promoted": lambda s: _("Une place s'est libérée : %(title)s") % {"title": s.title},
    "unregistered": lambda s: _("Désinscription : %(title)s") % {"title": s.title},
    "updated": lambda s: _("Changement : %(title)s") % {"title": s.title},
    "cancelled": lambda s: _("Séance annulée : %(title)s") % {"title": s.title},
    "reminder": lambda s: _("Rappel, demain : %(title)s") % {"title": s.title},
    "materials": lambda s: _("Supports disponibles : %(title)s") % {"title": s.title},
}
# The iCalendar method each message carries (None: no attachment).
METHODS = {
    "confirmed": "REQUEST",
    "promoted": "REQUEST",
    "updated": "REQUEST",
    "unregistered": "CANCEL",
    "cancelled": "CANCEL",
}


def mailable(agent) -> bool:
    return bool(agent.email) and agent.has_mailbox and agent.is_active


def registration_mail(registration: Registration, what: str, *, publish: bool = True) -> bool:
    """Queue the mail `what` (a key of SUBJECTS) to the registration's person; False when they have
    no mailbox (they are told on the intranet and on paper)."""
    agent, session = registration.agent, registration.session
    if not mailable(agent):
        return False
    context = {
        "what": what,
        "agent": agent,
        "session": session,
        "event": session.event,
        "when": when(session),
        "url": absolute_url(session.get_absolute_url()),
        "convocation_url": absolute_url(registration_convocation_path(registration)),
        "site_name": getattr(settings, "SITE_NAME", ""),
    }
    attachments = []
    method = METHODS.get(what)
    if method:
        attachments.append(
            ("invitation.ics", invitation_ics(session=session, registration=registration, method=method), _mime(method))
        )
    if what in ("confirmed", "promoted"):
        attachments.append(("convocation-qr.png", qr_png(absolute_url(registration.checkin_path())), "image/png"))
    email_queue(
        to=agent.email,
        subject=SUBJECTS[what](session),
        text=render_to_string("events/email/registration.txt", context),
        kind=f"events.{what}",
        attachments=attachments,
        publish=publish,
    )
    return True


def _mime(method: str) -> str:
    return f"text/calendar; method={method}; charset=UTF-8"


def registration_convocation_path(registration: Registration) -> str:
    from django.urls import reverse

    return reverse("events:convocation", args=[registration.pk])


def registrations_mail(registrations, what: str) -> int:
    """The same message to many (a session changed, cancelled, the reminder): one outbox sender."""
    count = sum(registration_mail(registration, what, publish=False) for registration in registrations)
    if count:
        email_publish_on_commit()
    return count


def sessions_by_scope(sessions) -> tuple[dict[int, list[Session]], list[Session]]:
    """The sessions of each site that has its own (scoped to its agents), and those open to the whole
    audience, in the order given."""
    by_site: dict[int, list[Session]] = {}
    open_to_all: list[Session] = []
    for session in sessions:
        if session.audience_scope == Session.Scope.SITE and session.site_id:
            by_site.setdefault(session.site_id, []).append(session)
        else:
            open_to_all.append(session)
    return by_site, open_to_all


def invitation_sections(*, sessions, site_id: int | None) -> list[tuple[str, list]]:
    """What an invitation names, as (heading, [(session, when)]) sections: to the agents of a site
    that has its own sessions, those sessions, then the ones open to all; to the rest of the audience
    (`site_id` None, or a site without sessions of its own), the ones open to all, or every session
    when none is. The same for the message and the paper list."""
    by_site, open_to_all = sessions_by_scope(sessions)

    def rows(chosen):
        return [(session, when(session)) for session in chosen]

    if site_id in by_site:
        mine = by_site[site_id]
        sections = [
            (
                ngettext(
                    "La séance de votre site, %(site)s :",
                    "Les séances de votre site, %(site)s (inscrivez-vous à celle qui vous convient) :",
                    len(mine),
                )
                % {"site": mine[0].site},
                rows(mine),
            )
        ]
        if open_to_all:
            sections.append((_("Vous pouvez aussi choisir une séance ouverte à tous :"), rows(open_to_all)))
        return sections
    if open_to_all:
        heading = ngettext("La séance :", "Les séances (inscrivez-vous à celle qui vous convient) :", len(open_to_all))
        return [(heading, rows(open_to_all))]
    return [
        (
            _(
                "Les séances ont lieu sur les sites suivants ; si aucune n'est prévue sur le vôtre, "
                "adressez-vous à l'organisation pour y assister :"
            ),
            rows(sessions),
        )
    ]


def invitation_text(*, event, sessions, site_id: int | None = None, url: str = "") -> str:
    """One invitation mailing's message (the mailing engine sends the same text to all its
    recipients): to the agents of the site `site_id`, their site's sessions; to the rest of the
    audience, the sessions open to them (invitation_sections)."""
    return render_to_string(
        "events/email/invitation.txt",
        {
            "event": event,
            "sections": invitation_sections(sessions=sessions, site_id=site_id),
            "url": url or absolute_url(event.get_absolute_url()),
            "site_name": getattr(settings, "SITE_NAME", ""),
        },
    )
