"""What the job-shadowing app does: every change of state goes through here.

Each transition checks the state and the actor (ValidationError / PermissionDenied with a
French message), records a VisitEvent (who, when, for whom), and e-mails the next person
through the outbox (`email_queue`): the scheduling sends an iCal invitation, the signed
discretion agreement goes as a PDF to the visitor and the host.
"""

import logging
from datetime import date, datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from intranet.links import absolute_url, site_domain
from intranet.models import Agent
from intranet.pdf import pdf_render
from intranet.services import audit_log_record, email_queue
from onboarding.shadowing import permissions as perms
from onboarding.shadowing.models import (
    AgreementVersion,
    ApproverAbsence,
    Availability,
    Campaign,
    Offer,
    Slot,
    Visit,
    VisitEvent,
)
from surveys.models import Survey
from surveys.services.drafting import survey_create_from_template
from surveys.services.errors import SurveyClosedError
from surveys.services.invitations import survey_invite

logger = logging.getLogger(__name__)

SLOT_HOURS = {Slot.MORNING: (time(9), time(12)), Slot.AFTERNOON: (time(14), time(17)), Slot.DAY: (time(9), time(17))}


def _mail(agent: Agent | None, *, subject: str, text: str, kind: str, attachments=None) -> bool:
    """E-mail one agent (an agent without a professional mailbox is reached on paper: skipped)."""
    if agent is None or not agent.is_active or not agent.has_mailbox or not agent.email:
        return False
    email_queue(
        to=agent.email, subject=f"[{settings.SITE_NAME}] {subject}", text=text, kind=kind, attachments=attachments
    )
    return True


def _record(
    *, visit: Visit, actor, action: str, from_state: str, comment: str = "", on_behalf_of_id: int | None = None
) -> VisitEvent:
    return VisitEvent.objects.create(
        visit=visit,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        on_behalf_of_id=on_behalf_of_id,
        action=action,
        from_state=from_state,
        to_state=visit.state,
        comment=comment,
    )


def _lock(visit: Visit) -> Visit:
    """The visit re-read under a row lock, with its people: two managers clicking at once
    make one transition."""
    locked = Visit.objects.select_for_update(of=("self",)).with_people().get(pk=visit.pk)
    return locked


def _require_state(visit: Visit, *states, message: str):
    if visit.state not in states:
        raise ValidationError(message, code="wrong_state")


def _approver_recipients(ids: set[int]) -> list[Agent]:
    """The approvers to notify: the present ones, and the substitutes of the absent ones."""
    absent = perms.absent_ids(ids)
    recipient_ids = (ids - absent) | set(perms.substitutes(absent).keys())
    return list(Agent.objects.filter(pk__in=recipient_ids, is_active=True))


def _visit_text(visit: Visit) -> str:
    return _("Visiteur : %(visitor)s (%(vunit)s)\nMétier : %(job)s\nAccueillant : %(host)s\nLa demande : %(url)s\n") % {
        "visitor": visit.visitor.get_full_name(),
        "vunit": visit.visitor.org_unit or "-",
        "job": visit.job_label,
        "host": visit.host.get_full_name() if visit.host_id else _("à trouver"),
        "url": absolute_url(visit.get_absolute_url()),
    }


# --- Campaigns, offers, absences, the agreement -----------------------------------------------


@transaction.atomic
def campaign_create(
    *, user, title: str, wishes_open_on: date, wishes_close_on: date, visits_end_on: date, description: str = ""
) -> Campaign:
    if wishes_close_on < wishes_open_on:
        raise ValidationError(_("La clôture des souhaits doit suivre leur ouverture."))
    if visits_end_on < wishes_close_on:
        raise ValidationError(_("La fin des visites doit suivre la clôture des souhaits."))
    campaign = Campaign.objects.create(
        title=title,
        description=description,
        wishes_open_on=wishes_open_on,
        wishes_close_on=wishes_close_on,
        visits_end_on=visits_end_on,
        created_by=user,
    )
    audit_log_record(actor=user, action="shadowing.campaign_create", target=campaign)
    return campaign


def campaign_current(today=None) -> Campaign | None:
    """The campaign collecting wishes today, else the one being organised, else the next one."""
    today = today or timezone.localdate()
    campaigns = Campaign.objects.all()
    return (
        campaigns.filter(wishes_open_on__lte=today, wishes_close_on__gte=today).order_by("wishes_close_on").first()
        or campaigns.filter(wishes_close_on__lt=today, visits_end_on__gte=today).order_by("visits_end_on").first()
        or campaigns.filter(wishes_open_on__gt=today).order_by("wishes_open_on").first()
    )


@transaction.atomic
def offer_save(*, user, offer: Offer | None = None, host: Agent | None = None, data: dict) -> Offer:
    """Create (host = the user, or the agent HR names) or update an offer."""
    if offer is None:
        offer = Offer(host=host or user)
    elif not perms.can_edit_offer(user, offer):
        raise PermissionDenied(_("Seul l'accueillant ou les RH modifient cette offre."))
    for field in ("job_title", "description", "org_unit", "site", "availability", "availability_note", "active"):
        if field in data:
            setattr(offer, field, data[field])
    offer.full_clean()
    offer.save()
    return offer


@transaction.atomic
def absence_declare(
    *, user, manager: Agent, starts_on: date, ends_on: date, substitute: Agent | None = None
) -> ApproverAbsence:
    if manager.pk != user.pk and not perms.is_hr(user):
        raise PermissionDenied(_("Vous ne pouvez déclarer que vos propres absences."))
    if ends_on < starts_on:
        raise ValidationError(_("La fin de l'absence doit suivre son début."))
    if substitute is not None and substitute.pk == manager.pk:
        raise ValidationError(_("Le suppléant doit être une autre personne."))
    absence = ApproverAbsence.objects.create(
        manager=manager, starts_on=starts_on, ends_on=ends_on, substitute=substitute, created_by=user
    )
    audit_log_record(
        actor=user,
        action="shadowing.absence_declare",
        target=manager,
        details={"from": str(starts_on), "to": str(ends_on), "substitute": substitute.pk if substitute else None},
    )
    return absence


def agreement_current() -> AgreementVersion | None:
    return AgreementVersion.objects.order_by("-version").first()


@transaction.atomic
def agreement_publish(*, user, text: str) -> AgreementVersion:
    if not perms.is_hr(user):
        raise PermissionDenied
    text = text.strip()
    if not text:
        raise ValidationError(_("Le texte de l'engagement est vide."))
    current = AgreementVersion.objects.select_for_update().order_by("-version").first()
    version = AgreementVersion.objects.create(
        version=(current.version + 1) if current else 1, text=text, published_by=user
    )
    audit_log_record(actor=user, action="shadowing.agreement_publish", target=version)
    return version


# --- The path of a visit --------------------------------------------------------------------


@transaction.atomic
def visit_request(
    *,
    user,
    campaign: Campaign | None,
    offer: Offer | None = None,
    host: Agent | None = None,
    wished_job: str = "",
    motivation: str = "",
    duration: str = Availability.HALF_DAY,
) -> Visit:
    """An agent's wish: an offer from the catalogue, a colleague's job (from the directory),
    or a job described in their own words."""
    if campaign is None or not campaign.accepts_wishes():
        raise ValidationError(_("Aucune campagne ne recueille de souhaits en ce moment."))
    wished_job = wished_job.strip()
    if offer is not None:
        if not offer.active:
            raise ValidationError(_("Cette offre n'est plus ouverte."))
        host = offer.host
    if offer is None and not wished_job:
        raise ValidationError(_("Choisissez une offre ou décrivez le métier que vous aimeriez découvrir."))
    if host is not None and host.pk == user.pk:
        raise ValidationError(_("Vous ne pouvez pas demander à découvrir votre propre métier."))
    if duration not in (Availability.HALF_DAY, Availability.DAY):
        raise ValidationError(_("Choisissez une demi-journée ou une journée."))
    if offer is not None and offer.availability != Availability.BOTH and offer.availability != duration:
        raise ValidationError(
            _("L'accueillant propose : %(availability)s.") % {"availability": offer.get_availability_display()}
        )
    duplicate = Visit.objects.filter(visitor=user, campaign=campaign, state__in=Visit.OPEN_STATES)
    if offer is not None and duplicate.filter(offer=offer).exists():
        raise ValidationError(_("Vous avez déjà une demande en cours pour cette offre."))
    visit = Visit.objects.create(
        campaign=campaign,
        visitor=user,
        offer=offer,
        host=host,
        wished_job=wished_job,
        motivation=motivation.strip(),
        duration=duration,
    )
    visit = Visit.objects.with_people().get(pk=visit.pk)
    _record(visit=visit, actor=user, action="request", from_state="")
    approvers = perms.visitor_approver_ids(visit)
    for approver in _approver_recipients(approvers):
        _mail(
            approver,
            kind="shadowing.approval_needed",
            subject=_("Montre-moi ton job : une demande de %(visitor)s attend votre accord")
            % {"visitor": user.get_full_name()},
            text=_(
                "Bonjour,\n\n%(visitor)s souhaite découvrir un métier dans le cadre de « Montre-moi ton job ».\n"
                "Merci de donner votre accord ou de refuser avec un motif :\n\n%(details)s"
            )
            % {"visitor": user.get_full_name(), "details": _visit_text(visit)},
        )
    if not approvers:
        _notify_hr(visit, subject=_("Montre-moi ton job : une demande sans encadrant à valider"))
    return visit


def _notify_hr(visit: Visit, *, subject: str) -> None:
    from intranet.roles import Role

    for agent in Agent.objects.filter(groups__name=Role.HR.value, is_active=True).distinct():
        _mail(
            agent,
            kind="shadowing.hr_needed",
            subject=subject,
            text=_("Bonjour,\n\nUne demande « Montre-moi ton job » a besoin des RH :\n\n%(details)s")
            % {"details": _visit_text(visit)},
        )


def _notify_host_side(visit: Visit) -> None:
    if visit.host_id is None:
        # A free wish: the visitor's manager, who just approved it, designates the host (their
        # « À décider » queue says so); HR hears of it only if nobody has within the delay (visits_sweep).
        return
    if visit.host_accepted_at is None:
        _mail(
            visit.host,
            kind="shadowing.host_needed",
            subject=_("Montre-moi ton job : %(visitor)s souhaite découvrir votre métier")
            % {"visitor": visit.visitor.get_full_name()},
            text=_(
                "Bonjour,\n\n%(visitor)s aimerait découvrir votre métier pendant %(duration)s. "
                "Son encadrant a donné son accord. Acceptez-vous de l'accueillir ?\n\n%(details)s"
            )
            % {
                "visitor": visit.visitor.get_full_name(),
                "duration": visit.get_duration_display().lower(),
                "details": _visit_text(visit),
            },
        )
    host_approvers = perms.host_approver_ids(visit)
    if visit.host_manager_accepted_at is None and host_approvers:
        for approver in _approver_recipients(host_approvers):
            _mail(
                approver,
                kind="shadowing.host_manager_needed",
                subject=_("Montre-moi ton job : une visite dans votre service attend votre accord"),
                text=_(
                    "Bonjour,\n\n%(visitor)s souhaite découvrir le métier de %(host)s, dans votre service. "
                    "Merci de donner votre accord ou de refuser avec un motif :\n\n%(details)s"
                )
                % {
                    "visitor": visit.visitor.get_full_name(),
                    "host": visit.host.get_full_name(),
                    "details": _visit_text(visit),
                },
            )


@transaction.atomic
def visit_approve(*, visit: Visit, user) -> Visit:
    """The visitor's manager (or their substitute, or HR) agrees to the wish."""
    visit = _lock(visit)
    _require_state(visit, Visit.State.WISH, message=_("Cette demande n'attend plus l'accord de l'encadrant."))
    acting = perms.acting_for_visitor_side(user, visit)
    if not acting.allowed:
        raise PermissionDenied(_("Seul l'encadrant du visiteur (ou son suppléant, ou les RH) donne cet accord."))
    from_state = visit.state
    visit.state = Visit.State.APPROVED
    visit.save(update_fields=["state"])
    _record(visit=visit, actor=user, action="approve", from_state=from_state, on_behalf_of_id=acting.on_behalf_of_id)
    _mail(
        visit.visitor,
        kind="shadowing.approved",
        subject=_("Montre-moi ton job : votre encadrant a donné son accord"),
        text=_(
            "Bonjour,\n\nVotre demande a reçu l'accord de votre encadrant. Elle est transmise à "
            "l'accueillant et à son encadrant.\n\n%(details)s"
        )
        % {"details": _visit_text(visit)},
    )
    _notify_host_side(visit)
    return visit


@transaction.atomic
def visit_assign_host(*, visit: Visit, user, host: Agent, offer: Offer | None = None) -> Visit:
    """Organisation of a free wish: HR (or the visitor's manager) finds the colleague who hosts."""
    visit = _lock(visit)
    if not perms.can_assign_host(user, visit):
        raise PermissionDenied(_("Vous ne pouvez pas désigner l'accueillant de cette demande."))
    if host.pk == visit.visitor_id or host.is_external or not host.is_active:
        raise ValidationError(_("Choisissez un autre agent comme accueillant."))
    visit.host, visit.offer = host, offer if offer is not None and offer.host_id == host.pk else None
    visit.save(update_fields=["host", "offer"])
    _record(visit=visit, actor=user, action="assign_host", from_state=visit.state, comment=host.get_full_name())
    if visit.state == Visit.State.APPROVED:
        visit = Visit.objects.with_people().get(pk=visit.pk)
        _notify_host_side(visit)
    return visit


@transaction.atomic
def visit_accept(*, visit: Visit, user) -> Visit:
    """The host, or the host's manager, accepts; the visit is accepted once both have. HR
    accepting in neither role gives the missing agreements."""
    visit = _lock(visit)
    _require_state(visit, Visit.State.APPROVED, message=_("Cette visite n'attend pas d'acceptation."))
    if visit.host_id is None:
        raise ValidationError(_("Désignez d'abord l'accueillant."))
    now = timezone.now()
    fields, on_behalf_of = [], None
    if user.pk == visit.host_id and visit.host_accepted_at is None:
        visit.host_accepted_at = now
        fields.append("host_accepted_at")
        if not perms.host_approver_ids(visit) and visit.host_manager_accepted_at is None:
            # A host with no manager above them in their service (its head): their word is the service's.
            visit.host_manager_accepted_at = now
            fields.append("host_manager_accepted_at")
    acting = perms.acting_for_host_side(user, visit)
    if acting.allowed and not acting.as_hr and visit.host_manager_accepted_at is None:
        visit.host_manager_accepted_at = now
        fields.append("host_manager_accepted_at")
        on_behalf_of = acting.on_behalf_of_id
    if not fields and acting.as_hr:
        visit.host_accepted_at = visit.host_accepted_at or now
        visit.host_manager_accepted_at = visit.host_manager_accepted_at or now
        fields = ["host_accepted_at", "host_manager_accepted_at"]
    if not fields:
        if user.pk == visit.host_id or acting.allowed:
            raise ValidationError(_("Vous avez déjà accepté cette visite."))
        raise PermissionDenied(_("Seuls l'accueillant, son encadrant (ou son suppléant) et les RH acceptent."))
    from_state = visit.state
    if visit.host_accepted_at and visit.host_manager_accepted_at:
        visit.state = Visit.State.ACCEPTED
        fields.append("state")
    visit.save(update_fields=fields)
    _record(
        visit=visit,
        actor=user,
        action="accept",
        from_state=from_state,
        on_behalf_of_id=on_behalf_of,
        comment=_("en tant qu'accueillant")
        if "host_accepted_at" in fields and user.pk == visit.host_id
        else _("pour le service d'accueil"),
    )
    if visit.state == Visit.State.ACCEPTED:
        _mail(
            visit.visitor,
            kind="shadowing.accepted",
            subject=_("Montre-moi ton job : votre visite est acceptée"),
            text=_(
                "Bonjour,\n\n%(host)s et son encadrant acceptent de vous accueillir. La date sera fixée avec "
                "vous ; avant la visite, signez l'engagement de discrétion depuis la page de la demande.\n\n"
                "%(details)s"
            )
            % {"host": visit.host.get_full_name(), "details": _visit_text(visit)},
        )
        _mail(
            visit.host,
            kind="shadowing.to_schedule",
            subject=_("Montre-moi ton job : fixez la date de la visite"),
            text=_(
                "Bonjour,\n\nLa visite de %(visitor)s est acceptée par tous. Fixez-en la date (%(duration)s) "
                "depuis la page de la demande :\n\n%(details)s"
            )
            % {
                "visitor": visit.visitor.get_full_name(),
                "duration": visit.get_duration_display().lower(),
                "details": _visit_text(visit),
            },
        )
    return visit


@transaction.atomic
def visit_refuse(*, visit: Visit, user, reason: str) -> Visit:
    """A refusal at the step waiting for this user, with its reason, told to the visitor."""
    visit = _lock(visit)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Indiquez le motif du refus."), code="reason")
    if visit.state == Visit.State.WISH:
        acting = perms.acting_for_visitor_side(user, visit)
    elif visit.state == Visit.State.APPROVED:
        acting = perms.acting_for_host_side(user, visit)
        if user.pk == visit.host_id:
            acting = perms.Acting(True)
    else:
        raise ValidationError(
            _("Cette demande ne peut plus être refusée (elle est %(state)s).")
            % {"state": visit.get_state_display().lower()},
            code="wrong_state",
        )
    if not acting.allowed:
        raise PermissionDenied(_("Ce refus ne vous revient pas."))
    from_state = visit.state
    visit.state, visit.refusal_reason = Visit.State.REFUSED, reason
    visit.save(update_fields=["state", "refusal_reason"])
    _record(
        visit=visit,
        actor=user,
        action="refuse",
        from_state=from_state,
        comment=reason,
        on_behalf_of_id=acting.on_behalf_of_id,
    )
    _mail(
        visit.visitor,
        kind="shadowing.refused",
        subject=_("Montre-moi ton job : votre demande n'a pas pu aboutir"),
        text=_(
            "Bonjour,\n\nVotre demande pour découvrir le métier « %(job)s » a été refusée par %(who)s.\n"
            "Motif : %(reason)s\n\nVous pouvez formuler un autre souhait : %(url)s\n"
        )
        % {
            "job": visit.job_label,
            "who": user.get_full_name(),
            "reason": reason,
            "url": absolute_url(visit.get_absolute_url()),
        },
    )
    return visit


def _ical(visit: Visit, *, method: str = "REQUEST") -> bytes:
    from icalendar import Calendar, Event, vCalAddress, vText

    tz = ZoneInfo(settings.TIME_ZONE)
    start_time, end_time = SLOT_HOURS[Slot(visit.slot)]
    calendar = Calendar()
    calendar.add("prodid", "-//Maison commune//Montre-moi ton job//FR")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", f"shadowing-visit-{visit.pk}@{site_domain()}")
    event.add("sequence", visit.events.filter(action__in=["schedule", "cancel"]).count())
    event.add("dtstamp", timezone.now())
    event.add("dtstart", datetime.combine(visit.scheduled_on, start_time, tzinfo=tz))
    event.add("dtend", datetime.combine(visit.scheduled_on, end_time, tzinfo=tz))
    event.add(
        "summary",
        _("Montre-moi ton job : %(visitor)s découvre le métier de %(host)s")
        % {"visitor": visit.visitor.get_full_name(), "host": visit.host.get_full_name()},
    )
    place = visit.offer.site if visit.offer_id else visit.host.site
    if place is not None:
        event.add("location", vText(str(place)))
    event.add("description", _visit_text(visit))
    event.add("url", absolute_url(visit.get_absolute_url()))
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{visit.host.email}")
    organizer.params["cn"] = vText(visit.host.get_full_name())
    event["organizer"] = organizer
    for agent in (visit.visitor, visit.host):
        attendee = vCalAddress(f"mailto:{agent.email}")
        attendee.params["cn"] = vText(agent.get_full_name())
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar.to_ical()


@transaction.atomic
def visit_schedule(*, visit: Visit, user, on: date, slot: str) -> Visit:
    """The host (or the host's manager, or HR) fixes the date; visitor and host get an iCal
    invitation. Scheduling again moves the date (same UID, next SEQUENCE)."""
    visit = _lock(visit)
    _require_state(
        visit,
        Visit.State.ACCEPTED,
        Visit.State.SCHEDULED,
        message=_("Cette visite ne peut pas être programmée maintenant."),
    )
    if not perms.can_schedule(user, visit):
        raise PermissionDenied(_("Seuls l'accueillant, son encadrant et les RH fixent la date."))
    if on < timezone.localdate():
        raise ValidationError(_("La date de la visite est passée."), code="date")
    if on.weekday() >= 5:
        raise ValidationError(_("Choisissez un jour ouvré."), code="date")
    allowed = [Slot.DAY] if visit.duration == Availability.DAY else [Slot.MORNING, Slot.AFTERNOON]
    if slot not in allowed:
        raise ValidationError(
            _("Pour %(duration)s, choisissez : %(slots)s.")
            % {
                "duration": visit.get_duration_display().lower(),
                "slots": ", ".join(str(Slot(choice).label).lower() for choice in allowed),
            },
            code="slot",
        )
    from_state = visit.state
    visit.state, visit.scheduled_on, visit.slot = Visit.State.SCHEDULED, on, slot
    visit.save(update_fields=["state", "scheduled_on", "slot"])
    _record(
        visit=visit,
        actor=user,
        action="schedule",
        from_state=from_state,
        comment=f"{on:%d/%m/%Y} ({visit.get_slot_display().lower()})",
    )
    invitation = [("montre-moi-ton-job.ics", _ical(visit), "text/calendar; method=REQUEST")]
    when = _("le %(date)s (%(slot)s)") % {"date": on.strftime("%d/%m/%Y"), "slot": visit.get_slot_display().lower()}
    sign = (
        ""
        if visit.agreement_signed_at
        else _("Avant la visite, signez l'engagement de discrétion depuis la page de la demande.\n")
    )
    _mail(
        visit.visitor,
        kind="shadowing.scheduled",
        attachments=invitation,
        subject=_("Montre-moi ton job : votre visite %(when)s") % {"when": when},
        text=_(
            "Bonjour,\n\nVous découvrirez le métier de %(host)s %(when)s. L'invitation est jointe pour votre "
            "agenda.\n%(sign)s\n%(details)s"
        )
        % {"host": visit.host.get_full_name(), "when": when, "sign": sign, "details": _visit_text(visit)},
    )
    _mail(
        visit.host,
        kind="shadowing.scheduled",
        attachments=invitation,
        subject=_("Montre-moi ton job : vous accueillez %(visitor)s %(when)s")
        % {"visitor": visit.visitor.get_full_name(), "when": when},
        text=_(
            "Bonjour,\n\nVous accueillez %(visitor)s %(when)s. L'invitation est jointe pour votre agenda.\n\n"
            "%(details)s"
        )
        % {"visitor": visit.visitor.get_full_name(), "when": when, "details": _visit_text(visit)},
    )
    return visit


def agreement_pdf_render(*, visit: Visit) -> bytes:
    """The signed discretion agreement, one page."""
    return pdf_render(
        "shadowing/pdf/agreement.html", {"visit": visit, "agreement": visit.agreement, "site_name": settings.SITE_NAME}
    )


@transaction.atomic(durable=True)  # a top-level action: nothing may hide its failure
def visit_agreement_sign(*, visit: Visit, user, version: AgreementVersion) -> Visit:
    """The visitor accepts the discretion agreement they were shown (that version, now);
    a PDF copy goes to the visitor and the host, rendered after the commit."""
    visit = _lock(visit)
    if not perms.is_visitor(user, visit):
        raise PermissionDenied(_("Seul le visiteur signe l'engagement de discrétion."))
    _require_state(
        visit,
        *perms.AGREEMENT_STATES,
        message=_("L'engagement se signe entre l'accord de l'encadrant et la visite."),
    )
    if visit.agreement_signed_at is not None:
        raise ValidationError(_("Vous avez déjà signé l'engagement de discrétion."))
    current = agreement_current()
    if current is None or version.pk != current.pk:
        raise ValidationError(_("Le texte de l'engagement a changé : relisez la nouvelle version."), code="version")
    visit.agreement, visit.agreement_signed_at = version, timezone.now()
    visit.save(update_fields=["agreement", "agreement_signed_at"])
    _record(
        visit=visit, actor=user, action="sign_agreement", from_state=visit.state, comment=f"version {version.version}"
    )
    transaction.on_commit(partial(_agreement_mail, visit_id=visit.pk))
    return visit


def _agreement_mail(*, visit_id: int) -> None:
    """The signed agreement's PDF to the visitor and the host: after the signature's commit,
    never under the visit's row lock (WeasyPrint takes its time)."""
    visit = Visit.objects.with_people().select_related("agreement").get(pk=visit_id)
    version = visit.agreement
    pdf = agreement_pdf_render(visit=visit)
    attachment = [(f"engagement-discretion-{visit.pk}.pdf", pdf, "application/pdf")]
    for agent in (visit.visitor, visit.host):
        _mail(
            agent,
            kind="shadowing.agreement",
            attachments=attachment,
            subject=_("Montre-moi ton job : engagement de discrétion signé"),
            text=_(
                "Bonjour,\n\n%(visitor)s a signé l'engagement de discrétion (version %(version)s) le %(at)s. "
                "La copie est jointe.\n\n%(details)s"
            )
            % {
                "visitor": visit.visitor.get_full_name(),
                "version": version.version,
                "at": timezone.localtime(visit.agreement_signed_at).strftime("%d/%m/%Y %H:%M"),
                "details": _visit_text(visit),
            },
        )


@transaction.atomic
def visit_cancel(*, visit: Visit, user, reason: str = "") -> Visit:
    """Cancellation at any step before the visit, by anyone involved; everyone involved so far
    is told (a scheduled visit's invitation is withdrawn with an iCal CANCEL)."""
    visit = _lock(visit)
    if not visit.is_open:
        raise ValidationError(
            _("Cette demande est déjà close (%(state)s).") % {"state": visit.get_state_display().lower()},
            code="wrong_state",
        )
    if not perms.can_cancel(user, visit):
        raise PermissionDenied(_("Vous ne pouvez pas annuler cette demande."))
    from_state = visit.state
    visit.state, visit.cancel_reason = Visit.State.CANCELLED, reason.strip()
    visit.save(update_fields=["state", "cancel_reason"])
    _record(visit=visit, actor=user, action="cancel", from_state=from_state, comment=visit.cancel_reason)
    attachments = None
    if from_state == Visit.State.SCHEDULED:
        attachments = [("annulation.ics", _ical(visit, method="CANCEL"), "text/calendar; method=CANCEL")]
    told = {visit.visitor}
    if from_state != Visit.State.WISH and visit.host_id:
        told.add(visit.host)
    told.update(_approver_recipients(perms.visitor_approver_ids(visit)))
    if from_state in (Visit.State.ACCEPTED, Visit.State.SCHEDULED):
        told.update(_approver_recipients(perms.host_approver_ids(visit)))
    for agent in told - {user}:
        _mail(
            agent,
            kind="shadowing.cancelled",
            attachments=attachments,
            subject=_("Montre-moi ton job : visite annulée"),
            text=_("Bonjour,\n\n%(who)s a annulé la demande « %(job)s » de %(visitor)s.\n%(reason)s\n%(url)s\n")
            % {
                "who": user.get_full_name(),
                "job": visit.job_label,
                "visitor": visit.visitor.get_full_name(),
                "reason": (_("Motif : %(reason)s") % {"reason": visit.cancel_reason}) if visit.cancel_reason else "",
                "url": absolute_url(visit.get_absolute_url()),
            },
        )
    return visit


@transaction.atomic(durable=True)  # a top-level action: nothing may hide its failure
def visit_complete(*, visit: Visit, user) -> Visit:
    """The visit took place; the hot evaluation is then handed to the surveys app."""
    visit = _lock(visit)
    _require_state(visit, Visit.State.SCHEDULED, message=_("Seule une visite programmée peut être marquée réalisée."))
    if not perms.can_complete(user, visit):
        raise PermissionDenied(_("Seuls le visiteur, l'accueillant, son encadrant et les RH le confirment."))
    if visit.scheduled_on > timezone.localdate():
        raise ValidationError(_("La visite n'a pas encore eu lieu."), code="date")
    if visit.agreement_signed_at is None:
        raise ValidationError(_("Le visiteur n'a pas signé l'engagement de discrétion."), code="agreement")
    from_state = visit.state
    visit.state = Visit.State.DONE
    visit.save(update_fields=["state"])
    _record(visit=visit, actor=user, action="complete", from_state=from_state)
    _mail(
        visit.visitor,
        kind="shadowing.report",
        subject=_("Montre-moi ton job : racontez votre découverte"),
        text=_(
            "Bonjour,\n\nMerci d'avoir participé à « Montre-moi ton job ». Vous recevrez un court questionnaire "
            "d'évaluation ; vous pouvez aussi écrire votre rapport d'étonnement (ce qui vous a surpris, "
            "appris, ce que vous changeriez) et accepter qu'il soit publié :\n%(url)s\n"
        )
        % {"url": absolute_url(visit.get_absolute_url())},
    )
    # The hot evaluation is another app's work: it goes after the commit, and nothing it meets (a
    # questionnaire HR closed) can undo the visit (the beat sweep sends what a crash left behind).
    transaction.on_commit(partial(_evaluation_after_commit, visit_id=visit.pk, user_id=user.pk))
    return visit


def _evaluation_after_commit(*, visit_id: int, user_id: int | None) -> None:
    visit = Visit.objects.filter(pk=visit_id).first()
    if visit is None:
        return
    try:
        visit_evaluation_send(visit=visit, user=Agent.objects.filter(pk=user_id).first())
    except Exception:  # logged; the visit stays done and the beat sweep tries again
        logger.exception("Visit %s: the hot evaluation could not be sent", visit_id)


# --- The hot evaluation (surveys app) --------------------------------------------------------


def _campaign_owner(campaign: Campaign) -> Agent | None:
    """Who owns the campaign's questionnaires: its creator, else an HR agent."""
    from intranet.roles import Role

    if campaign.created_by_id is not None:
        return campaign.created_by
    return Agent.objects.filter(groups__name=Role.HR.value, is_active=True).order_by("pk").first()


def _campaign_survey(campaign: Campaign, *, template: str, field: str, title: str, author):
    survey_id = getattr(campaign, field)
    if survey_id is not None:
        survey = Survey.objects.filter(pk=survey_id).first()
        if survey is not None:
            return survey
    survey = survey_create_from_template(
        template=template,
        title=title,
        author=author,
        opens_on=timezone.localdate(),
    )
    setattr(campaign, field, survey.pk)
    campaign.save(update_fields=[field])
    return survey


@transaction.atomic
def visit_evaluation_send(*, visit: Visit, user) -> bool:
    """Invite the visitor and the host to the campaign's hot-evaluation questionnaires (one
    questionnaire per campaign and side, so results are read by campaign and anonymity holds)
    and mark the visit evaluated. A questionnaire HR has closed is « nothing to send » for that
    side, recorded in the visit's history; with both closed the visit stays done. False when
    nothing was sent (not "done" any more, or both questionnaires closed)."""
    visit = _lock(visit)
    if visit.state != Visit.State.DONE or _evaluation_skipped(visit):
        return False
    campaign = Campaign.objects.select_for_update().get(pk=visit.campaign_id)
    author = _campaign_owner(campaign) or user  # the questionnaires' results are HR's, never a participant's
    sides = (
        ("shadowing_visitor", "visitor_survey_id", _("votre découverte"), visit.visitor),
        ("shadowing_host", "host_survey_id", _("votre accueil"), visit.host),
    )
    sent, closed = 0, []
    for template, field, topic, person in sides:
        survey = _campaign_survey(
            campaign,
            template=template,
            field=field,
            author=author,
            title=_("Montre-moi ton job – %(campaign)s : %(topic)s") % {"campaign": campaign.title, "topic": topic},
        )
        if person is None:
            continue
        try:
            with transaction.atomic():
                survey_invite(survey=survey, agents=[person])
        except SurveyClosedError:
            closed.append(survey.title)
            continue
        sent += 1
    if closed:
        _record(
            visit=visit,
            actor=user,
            action="evaluation_skipped",
            from_state=visit.state,
            comment=_("questionnaire clos : %(titles)s") % {"titles": ", ".join(closed)},
        )
    if not sent:
        return False
    visit.state, visit.evaluation_sent_at = Visit.State.EVALUATED, timezone.now()
    visit.save(update_fields=["state", "evaluation_sent_at"])
    _record(visit=visit, actor=user, action="evaluate", from_state=Visit.State.DONE)
    return True


def _evaluation_skipped(visit: Visit) -> bool:
    return visit.events.filter(action="evaluation_skipped").exists()


# --- What beat does: evaluations left behind, free wishes without a host --------------------

EVALUATION_RETRY_AFTER = timedelta(minutes=10)


def host_designation_days() -> int:
    """A free wish whose host nobody has designated this many days after it was made goes to HR."""
    return int(getattr(settings, "SHADOWING_HOST_DESIGNATION_DAYS", 7))


def visits_sweep(*, now=None) -> dict[str, int]:
    """Beat, hourly (idempotent): send the evaluations a crash left behind after a visit's commit,
    and route to HR the free wishes still without a host after `host_designation_days()`."""
    now = now or timezone.now()
    evaluated = 0
    events = VisitEvent.objects.filter(visit=OuterRef("pk"))
    left_behind = (
        Visit.objects.filter(state=Visit.State.DONE)
        .exclude(Exists(events.filter(action="evaluation_skipped")))
        .exclude(Exists(events.filter(action="complete", at__gt=now - EVALUATION_RETRY_AFTER)))
        .values_list("pk", flat=True)
    )
    for pk in list(left_behind):
        try:
            evaluated += visit_evaluation_send(visit=Visit(pk=pk), user=None)
        except Exception:  # one visit's failure does not stop the others
            logger.exception("Visit %s: the hot evaluation could not be sent", pk)
    waiting = Visit.objects.filter(
        state__in=[Visit.State.WISH, Visit.State.APPROVED],
        host__isnull=True,
        routed_to_hr_at__isnull=True,
        created_at__lt=now - timedelta(days=host_designation_days()),
    ).values_list("pk", flat=True)
    routed = sum(visit_route_to_hr(visit=Visit(pk=pk), now=now) for pk in list(waiting))
    return {"evaluated": evaluated, "routed": routed}


@transaction.atomic
def visit_route_to_hr(*, visit: Visit, now=None) -> bool:
    """A free wish nobody found a host for in time enters HR's « À décider » queue; HR is told once.
    False when it no longer waits (a host designated meanwhile, closed, already routed)."""
    visit = _lock(visit)
    if visit.host_id is not None or visit.routed_to_hr_at is not None or not visit.is_open:
        return False
    visit.routed_to_hr_at = now or timezone.now()
    visit.save(update_fields=["routed_to_hr_at"])
    _record(visit=visit, actor=None, action="route_to_hr", from_state=visit.state)
    _notify_hr(
        visit,
        subject=_("Montre-moi ton job : un souhait attend un accueillant depuis %(days)s jours")
        % {"days": host_designation_days()},
    )
    return True


def managers_year_end_survey_create(*, user):
    """Seed 004: cooperation and belonging are measured at year end by a questionnaire to the
    managers (the surveys app's "managers_year_end" template); HR then invites its audience there."""
    if not perms.is_hr(user):
        raise PermissionDenied
    return survey_create_from_template(
        template="managers_year_end",
        author=user,
        title=_("Fin d'année %(year)s : coopération et sentiment d'appartenance") % {"year": timezone.localdate().year},
    )


# --- Rapports d'étonnement -------------------------------------------------------------------


@transaction.atomic
def visit_report_write(*, visit: Visit, user, report: str, consent: bool) -> Visit:
    visit = _lock(visit)
    if not perms.is_visitor(user, visit):
        raise PermissionDenied(_("Seul le visiteur écrit son rapport d'étonnement."))
    _require_state(
        visit, Visit.State.DONE, Visit.State.EVALUATED, message=_("Le rapport d'étonnement s'écrit après la visite.")
    )
    report = report.strip()
    if not report:
        raise ValidationError(_("Le rapport d'étonnement est vide."), code="report")
    visit.report, visit.report_publish_consent, visit.report_written_at = report, consent, timezone.now()
    fields = ["report", "report_publish_consent", "report_written_at"]
    if not consent and visit.report_published_at:
        visit.report_published_at = None  # consent withdrawn: unpublished at once
        fields.append("report_published_at")
    visit.save(update_fields=fields)
    _record(visit=visit, actor=user, action="report", from_state=visit.state)
    return visit


@transaction.atomic
def visit_report_publish(*, visit: Visit, user, publish: bool = True) -> Visit:
    """HR publishes a report on the intranet's testimonies page, only with the visitor's consent."""
    if not perms.is_hr(user):
        raise PermissionDenied
    visit = _lock(visit)
    if publish and not (visit.report and visit.report_publish_consent):
        raise ValidationError(_("Le visiteur n'a pas consenti à la publication de son rapport."), code="consent")
    visit.report_published_at = timezone.now() if publish else None
    visit.save(update_fields=["report_published_at"])
    _record(visit=visit, actor=user, action="publish" if publish else "unpublish", from_state=visit.state)
    return visit


# --- RGPD ----------------------------------------------------------------------------------


@transaction.atomic
def agent_shadowing_anonymise(*, agent: Agent, label: str) -> None:
    """An anonymised agent: their words in their own name (motivations, published reports)
    leave the intranet; the counts of the campaigns stay."""
    Visit.objects.filter(visitor=agent).update(motivation="", report_publish_consent=False, report_published_at=None)
    Offer.objects.filter(host=agent).update(active=False)
