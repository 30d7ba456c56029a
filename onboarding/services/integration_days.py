"""Journées d'intégration: each is an event of the events app (kind « journée d'intégration », one
session), which holds its seats, waiting list, promotion, mails, reminders and iCalendar. What
onboarding adds: the arrivals of a period are invited, in order of arrival date, up to the
capacity and then on the waiting list (events.services.registrations_add)."""

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events import services as events
from events.models import Event, Registration
from intranet.audiences import AudienceSpec
from intranet.services import audit_log_record
from onboarding.models import Arrival, IntegrationDay

DEFAULT_START, DEFAULT_END = time(9, 0), time(17, 0)


def _session_values(*, day: date, start_time: time | None, end_time: time | None, place: str, capacity: int):
    tz = timezone.get_current_timezone()
    start = start_time or DEFAULT_START
    end = end_time or max(DEFAULT_END, start)
    return {
        "starts_at": datetime.combine(day, start, tzinfo=tz),
        "ends_at": datetime.combine(day, end, tzinfo=tz),
        "room": place,
        "capacity": capacity,
    }


def _period_arrivals(first: date, last: date):
    """The arrivals a day invites, in order of arrival date."""
    return Arrival.objects.filter(arrival_date__gte=first, arrival_date__lte=last, agent__is_active=True).order_by(
        "arrival_date", "pk"
    )


@transaction.atomic
def integration_day_create(
    *,
    user,
    title: str,
    day: date,
    place: str,
    capacity: int,
    arrivals_from: date,
    arrivals_to: date,
    start_time: time | None = None,
    end_time: time | None = None,
    programme: str = "",
) -> IntegrationDay:
    """The event (published at once: those invited see it in their agenda; its audience, the
    arrivals of the period, grows as they are invited), its session, and the period of arrivals it
    invites (integration_day_invite does)."""
    event = events.event_create(
        user=user,
        title=title,
        kind=Event.Kind.INTEGRATION,
        summary=_("Journée d'accueil des agents arrivés récemment."),
        description=programme,
        audience=AudienceSpec(
            agents=tuple(_period_arrivals(arrivals_from, arrivals_to).values_list("agent_id", flat=True)) or (user.pk,)
        ),
    )
    session = events.session_create(
        event=event,
        user=user,
        **_session_values(day=day, start_time=start_time, end_time=end_time, place=place, capacity=capacity),
    )
    events.event_publish(event=event, user=user)
    integration_day = IntegrationDay(event_session=session, arrivals_from=arrivals_from, arrivals_to=arrivals_to)
    integration_day.full_clean()
    integration_day.save()
    audit_log_record(actor=user, action="onboarding.session.save", target=integration_day)
    return integration_day


@transaction.atomic(durable=True)
def integration_day_update(
    *,
    integration_day: IntegrationDay,
    user,
    title: str,
    day: date,
    place: str,
    capacity: int,
    arrivals_from: date,
    arrivals_to: date,
    start_time: time | None = None,
    end_time: time | None = None,
    programme: str = "",
) -> IntegrationDay:
    """Change the day: more seats promote from the waiting list, a new date or place reaches those
    invited (the events app's session_change); fewer seats than already taken is refused."""
    integration_day = (
        IntegrationDay.objects.select_for_update().select_related("event_session__event").get(pk=integration_day.pk)
    )
    event = integration_day.event
    events.event_update(
        event=event,
        user=user,
        title=title,
        kind=event.kind,
        audience=event.audience_spec,
        summary=event.summary,
        description=programme,
    )
    session = integration_day.event_session
    events.session_change(
        session=session,
        user=user,
        label=session.label,
        site=session.site,
        **_session_values(day=day, start_time=start_time, end_time=end_time, place=place, capacity=capacity),
    )
    integration_day.arrivals_from, integration_day.arrivals_to = arrivals_from, arrivals_to
    integration_day.full_clean()
    integration_day.save(update_fields=["arrivals_from", "arrivals_to"])
    audit_log_record(actor=user, action="onboarding.session.save", target=integration_day)
    return integration_day


@transaction.atomic
def integration_day_invite(*, integration_day: IntegrationDay) -> int:
    """Invite the arrivals of the day's period not invited yet, in order of arrival date: a seat
    while one is free, the waiting list after (events.services.registrations_add, under the
    session's row lock). Idempotent: an arrival invited once, even if they cancelled, is not invited
    again. Returns how many invitations were made."""
    session = integration_day.event_session
    if session.is_cancelled:
        return 0
    invited = Registration.objects.filter(session=session).values("agent_id")
    arrivals = (
        _period_arrivals(integration_day.arrivals_from, integration_day.arrivals_to)
        .exclude(agent_id__in=invited)
        .select_related("agent")
    )
    return len(events.registrations_add(session=session, agents=[arrival.agent for arrival in arrivals]))


def sessions_invite_upcoming(*, today: date | None = None) -> int:
    """Run by beat: every day to come invites the arrivals of its period recorded since."""
    today = today or timezone.localdate()
    start = datetime.combine(today, time.min, tzinfo=timezone.get_current_timezone())
    days = IntegrationDay.objects.filter(
        event_session__starts_at__gte=start, event_session__status="scheduled"
    ).select_related("event_session__event")
    return sum(integration_day_invite(integration_day=day) for day in days)
