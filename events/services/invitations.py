"""Invitations through the mailing engine, and the reminders the day before."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events import mails
from events.models import Event, Registration, Session
from events.permissions import can_edit_event
from events.services.seats import _mail_session
from intranet.links import absolute_url
from intranet.services import audit_log_record

INVITATION_KIND = "events.invitation"


def _upcoming_sessions(event: Event, *, now: datetime) -> list[Session]:
    return list(
        event.sessions.filter(status=Session.Status.SCHEDULED, starts_at__gt=now)
        .select_related("site")
        .order_by("starts_at", "pk")
    )


@transaction.atomic(durable=True)
def event_invite(*, event: Event, user, now: datetime | None = None):
    """Invite the event's audience through the mailing engine: one message listing the sessions to
    come and the link to register; the agents without a mailbox are frozen « on paper » by the
    mailing (their printable list: documents.paper_list_render). Once per event."""
    from mailing.services import mailing_create, mailing_start

    now = now or timezone.now()
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not can_edit_event(user, event):
        raise PermissionDenied
    if not event.is_published:
        raise ValidationError(_("Publiez l'événement avant d'envoyer les invitations."))
    if event.invited_at is not None:
        raise ValidationError(
            _("Les invitations sont déjà parties le %(date)s.")
            % {"date": timezone.localtime(event.invited_at).strftime("%d/%m/%Y %H:%M")}
        )
    sessions = _upcoming_sessions(event, now=now)
    if not sessions:
        raise ValidationError(_("Aucune séance à venir : ajoutez une séance avant d'inviter."))
    mailing = mailing_create(
        subject=_("Invitation : %(title)s") % {"title": event.title},
        html="",
        text=mails.invitation_text(event=event, sessions=sessions),
        audience=event.audience_spec,
        created_by=user,
        kind=INVITATION_KIND,
        web_url=absolute_url(event.get_absolute_url()),
        source=event,
    )
    mailing = mailing_start(mailing=mailing, user=user)
    event.invited_at = now
    event.save(update_fields=["invited_at"])
    audit_log_record(actor=user, action="event.invite", target=event, details={"mailing": mailing.pk})
    return mailing


def session_reminders_send(*, now: datetime | None = None) -> int:
    """The day before: those with a seat at a session starting tomorrow get a reminder, once (the
    session's `reminded_at`, set under its row lock, says it left). Returns the sessions reminded."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    tz = timezone.get_current_timezone()
    start = datetime.combine(tomorrow, time.min, tzinfo=tz)
    due = Session.objects.live().filter(
        starts_at__gte=start, starts_at__lt=start + timedelta(days=1), reminded_at__isnull=True
    )
    reminded = 0
    for session_id in due.values_list("pk", flat=True):
        with transaction.atomic(durable=True):
            session = Session.objects.select_for_update().filter(pk=session_id, reminded_at__isnull=True).first()
            if session is None:
                continue
            session.reminded_at = now
            session.save(update_fields=["reminded_at"])
            Registration.objects.filter(session=session, status=Registration.Status.CONFIRMED).update(reminded_at=now)
            transaction.on_commit(partial(_mail_session, session.pk, "reminder"))
        reminded += 1
    return reminded
