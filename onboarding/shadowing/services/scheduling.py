"""An accepted visit up to its day: the date (an iCal invitation), the signed discretion agreement
(its PDF to the visitor and the host), or the cancellation (an iCal CANCEL)."""

from datetime import date, datetime, time
from functools import partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intranet.links import absolute_url, site_domain
from intranet.pdf import pdf_render
from onboarding.shadowing import permissions as perms
from onboarding.shadowing.models import AgreementVersion, Availability, Slot, Visit
from onboarding.shadowing.services.campaigns import agreement_current
from onboarding.shadowing.services.common import (
    _approver_recipients,
    _lock,
    _mail,
    _record,
    _require_state,
    _visit_text,
)

SLOT_HOURS = {Slot.MORNING: (time(9), time(12)), Slot.AFTERNOON: (time(14), time(17)), Slot.DAY: (time(9), time(17))}


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
