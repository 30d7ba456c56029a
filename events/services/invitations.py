"""Invitations through the mailing engine (one mailing per site that has its own sessions, one for
the rest of the audience), and the reminders the day before."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events import mails
from events.models import Event, EventInvitation, Registration, Session
from events.permissions import can_edit_event
from events.services.seats import _mail_session
from intranet.audiences import AudienceSpec, audience_agents
from intranet.links import absolute_url
from intranet.models import Site
from intranet.services import audit_log_record

INVITATION_KIND = "events.invitation"


def _upcoming_sessions(event: Event, *, now: datetime) -> list[Session]:
    return list(
        event.sessions.filter(status=Session.Status.SCHEDULED, starts_at__gt=now)
        .select_related("site")
        .order_by("starts_at", "pk")
    )


@dataclass(frozen=True)
class _Mailing:
    site: Site | None  # None: the general invitation
    spec: AudienceSpec
    url: str  # the one-click link: the session's when the site has one, else the event's


def _invitation_plan(event: Event, sessions: list[Session]) -> list[_Mailing]:
    """Who gets which invitation. Each site that has its own sessions: its agents among the audience
    (the sessions' audience_spec). The rest of the audience (the other sites, those named by hand who
    are not among them, the partners): the general invitation. Without sessions of a site: one
    invitation to the whole audience, as before."""
    by_site, _open_to_all = mails.sessions_by_scope(sessions)
    spec = event.audience_spec
    plan = []
    covered: set[int] = set()
    for site_sessions in sorted(by_site.values(), key=lambda group: (group[0].site.name, group[0].site_id)):
        site_spec = site_sessions[0].audience_spec
        if not audience_agents(spec=site_spec).exists():
            continue
        if spec.agents:
            covered |= set(audience_agents(spec=site_spec).filter(pk__in=spec.agents).values_list("pk", flat=True))
        path = site_sessions[0].get_absolute_url() if len(site_sessions) == 1 else event.get_absolute_url()
        plan.append(_Mailing(site=site_sessions[0].site, spec=site_spec, url=absolute_url(path)))
    general = spec
    if by_site:
        general = replace(
            spec, except_sites=tuple(sorted(by_site)), agents=tuple(pk for pk in spec.agents if pk not in covered)
        )
    if not by_site or not plan or audience_agents(spec=general).exists():
        plan.append(_Mailing(site=None, spec=general, url=absolute_url(event.get_absolute_url())))
    return plan


@transaction.atomic(durable=True)
def event_invite(*, event: Event, user, now: datetime | None = None) -> list:
    """Invite the event's audience through the mailing engine, each person once: the agents of a
    site that has its own sessions get a message naming them (one mailing per such site), the rest
    of the audience the general one (the sessions open to all). The agents without a mailbox are
    frozen « on paper » by the mailings (their printable list: documents.paper_list_render). Once
    per event. Returns the mailings started (EventInvitation links them to the event)."""
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
    mailings = []
    for planned in _invitation_plan(event, sessions):
        subject = _("Invitation : %(title)s") % {"title": event.title}
        if planned.site is not None:
            subject = _("Invitation : %(title)s (%(site)s)") % {"title": event.title, "site": planned.site.name}
        mailing = mailing_create(
            subject=subject,
            html="",
            text=mails.invitation_text(
                event=event, sessions=sessions, site_id=planned.site.pk if planned.site else None, url=planned.url
            ),
            audience=planned.spec,
            created_by=user,
            kind=INVITATION_KIND,
            web_url=planned.url,
            source=event,
        )
        mailing = mailing_start(mailing=mailing, user=user)
        EventInvitation.objects.create(event=event, mailing=mailing, site=planned.site)
        mailings.append(mailing)
    event.invited_at = now
    event.save(update_fields=["invited_at"])
    audit_log_record(
        actor=user, action="event.invite", target=event, details={"mailings": [mailing.pk for mailing in mailings]}
    )
    return mailings


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
