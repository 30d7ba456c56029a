"""The global search, the home page's next events and the « À faire » sources."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event, Registration, Session
from events.permissions import may_register, member_of
from events.selectors.agenda import ACTIVE, AgendaFilters, agenda_sessions, decorate
from events.selectors.mine import registration_list_mine

# --- The global search -------------------------------------------------------------------------


def event_search(*, user, query: str, limit: int) -> list[Event]:
    """The published events with a session to come that `user` sees in the agenda (partners: those
    addressed to them) whose title, summary, programme or kind (« webinaire », « formation »)
    holds every word of `query` (intranet.fulltext), the soonest first (`next_at`)."""
    # Imported here: the rest of the module needs neither (a change kept to the end of the file).
    from django.db.models import Case, Subquery, Value, When

    from events.permissions import can_use_agenda
    from intranet.fulltext import text_match

    if not can_use_agenda(user):
        return []
    coming = agenda_sessions(user=user, filters=AgendaFilters())
    kinds = Case(*(When(kind=value, then=Value(str(label))) for value, label in Event.Kind.choices), default=Value(""))
    events = Event.objects.filter(pk__in=coming.values("event_id")).alias(_kind=kinds)
    found = text_match(events, query, fields=["title", "summary", "description", "_kind"], title="title")
    next_at = coming.filter(event=OuterRef("pk")).order_by("starts_at").values("starts_at")[:1]
    return list(found.annotate(next_at=Subquery(next_at)).order_by("next_at", "pk")[:limit])


# --- The home page and « À faire » -------------------------------------------------------------

HOME_DAYS = 60  # the home page looks this far ahead
HOME_ROWS = 3
DEADLINE_DAYS = 7  # « À faire » asks those invited to register this long before the registrations close


@dataclass(frozen=True)
class HomeEvents:
    mine: list[Registration]  # the person's next registrations (confirmed or waiting)
    open: list[Session]  # sessions to come they may register for (not registered to the event yet)


def home_events(*, user, now: datetime | None = None) -> HomeEvents | None:
    """The home page's next events: the person's own registrations, then what they may register
    for (addressed to them, registrations open). A fixed number of queries."""
    now = now or timezone.now()
    mine = list(registration_list_mine(user=user)[:HOME_ROWS])
    registered_events = set(
        Registration.objects.filter(agent_id=user.pk, status__in=ACTIVE, session__ends_at__gt=now).values_list(
            "session__event_id", flat=True
        )
    )
    sessions = agenda_sessions(
        user=user, filters=AgendaFilters(audience="pour-moi"), start=now, end=now + timedelta(days=HOME_DAYS)
    ).exclude(event_id__in=registered_events)
    open_rows = []
    for session in decorate(sessions[: HOME_ROWS * 4], user=user, now=now):
        if session.may_register and all(shown.event_id != session.event_id for shown in open_rows):
            open_rows.append(session)
        if len(open_rows) == HOME_ROWS:
            break
    if not mine and not open_rows:
        return None
    return HomeEvents(mine=mine, open=open_rows)


CHECKIN_LATE_DAYS = 7  # a session held without any check-in stays in « À faire » this long


def todo_checkins(*, user, today, limit: int):
    """« À faire », for those who run a session: today's sessions (their check-in waits), and the
    sessions of the week before held without anyone checked in (late: record who came)."""
    from intranet.registry import TodoItem
    from intranet.selectors import todo_group_from_queryset

    start = _day_start(today)
    runs = Q(Exists(Event.organisers.through.objects.filter(event_id=OuterRef("event_id"), agent_id=user.pk))) | Q(
        Exists(Session.organisers.through.objects.filter(session_id=OuterRef("pk"), agent_id=user.pk))
    )
    forgotten = Q(starts_at__lt=start, confirmed_count__gt=0, checked_in_count=0)
    sessions = (
        Session.objects.live()
        .filter(starts_at__gte=start - timedelta(days=CHECKIN_LATE_DAYS), starts_at__lt=start + timedelta(days=1))
        .filter(Q(starts_at__gte=start) | forgotten)
        .filter(runs)
        .select_related("event")
        .order_by("starts_at", "pk")
    )

    def item(session):
        day = timezone.localtime(session.starts_at).date()
        return TodoItem(
            title=session.title,
            url=reverse("events:session-checkin", args=[session.pk]),
            due=day,
            late=day < today,
            detail=_("%(when)s : %(present)d présents sur %(registered)d inscrits")
            % {
                "when": timezone.localtime(session.starts_at).strftime("%d/%m %H:%M"),
                "present": session.checked_in_count,
                "registered": session.confirmed_count,
            },
        )

    return todo_group_from_queryset(sessions, limit=limit, item=item, late=forgotten)


def _day_start(day) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=timezone.get_current_timezone())


def todo_registration_deadlines(*, user, today, limit: int):
    """« À faire », for a person invited to an event: its registrations close within a week and they
    are registered to none of its sessions (one item per event, the nearest deadline). Two queries
    and the person's audience, whatever the number of sessions."""
    from intranet.registry import TodoGroup, TodoItem

    now = max(timezone.now(), _day_start(today))  # the weekly e-mail asks for a day to come
    member = member_of(user)
    if member is None:
        return None
    sessions = (
        Session.objects.live()
        .filter(
            event__invited_at__isnull=False,
            registration_closes_at__gt=now,
            registration_closes_at__lte=now + timedelta(days=DEADLINE_DAYS),
        )
        .exclude(
            event_id__in=Registration.objects.filter(agent_id=user.pk, status__in=ACTIVE).values("session__event_id")
        )
        .select_related("event")
        .order_by("registration_closes_at", "pk")
    )
    nearest: dict[int, Session] = {}
    for session in sessions:
        if session.event_id not in nearest and may_register(session, member=member, now=now):
            nearest[session.event_id] = session
    if not nearest:
        return None
    rows = list(nearest.values())
    return TodoGroup(
        count=len(rows),
        items=[
            TodoItem(
                title=session.event.title,
                url=session.event.get_absolute_url(),
                due=timezone.localtime(session.registration_closes_at).date(),
                detail=_("inscriptions jusqu'au %(date)s")
                % {"date": timezone.localtime(session.registration_closes_at).strftime("%d/%m/%Y %H:%M")},
            )
            for session in rows[:limit]
        ],
        url=reverse("events:agenda"),
    )
