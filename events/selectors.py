"""Permission-aware reads of the events app, each in a fixed number of queries.

Who may register for a session is the audience rule (intranet.audiences), checked in Python against
the person loaded once (`permissions.member_of`): an agenda of hundreds of sessions costs no query per
session. Internal agents see every published event; partners only the sessions addressed to them."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import CalendarFeed, Event, Material, Registration, Session, token_hash
from events.permissions import can_manage_events, can_run_session, in_audience, may_register, member_of
from intranet.audiences import AudienceMember, AudienceSpec
from intranet.roles import Role, is_internal

ACTIVE = (Registration.Status.CONFIRMED, Registration.Status.WAITING)


# --- Audience tags (the agenda's « public » filter) -------------------------------------------

AUDIENCE_FILTERS = ("pour-moi", "tous", "encadrants", "partenaires")


def _session_spec(scope: str, site_id: int | None, event_audience: dict) -> AudienceSpec:
    spec = AudienceSpec.from_json(event_audience)
    if scope == Session.Scope.SITE and site_id:
        return AudienceSpec(
            everyone=True, units=spec.units, sites=(site_id,), categories=spec.categories, roles=spec.roles
        )
    return spec


def _spec_matches(spec: AudienceSpec, audience: str, member: AudienceMember | None) -> bool:
    if audience == "pour-moi":
        return in_audience(spec, member)
    if audience == "tous":
        return spec.everyone and not spec.has_filters
    if audience == "encadrants":
        return Role.MANAGER.value in spec.roles
    if audience == "partenaires":
        return spec.partners
    return True


def _sessions_for(queryset: QuerySet[Session], *, audience: str, member) -> QuerySet[Session]:
    """`queryset` limited, in Python, to the sessions whose audience passes the filter (one query)."""
    rows = queryset.values_list("pk", "audience_scope", "site_id", "event__audience")
    keep = [
        pk for pk, scope, site_id, spec in rows if _spec_matches(_session_spec(scope, site_id, spec), audience, member)
    ]
    return Session.objects.filter(pk__in=keep)


# --- The agenda --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaFilters:
    kind: str = ""
    site: int | None = None
    audience: str = ""  # one of AUDIENCE_FILTERS, "" for all
    mine: bool = False


def _agenda_base(*, user, filters: AgendaFilters) -> QuerySet[Session]:
    sessions = Session.objects.filter(event__status=Event.Status.PUBLISHED)
    if filters.kind:
        sessions = sessions.filter(event__kind=filters.kind)
    if filters.site:
        sessions = sessions.filter(site_id=filters.site)
    if filters.mine:
        sessions = sessions.filter(
            Exists(Registration.objects.filter(session=OuterRef("pk"), agent_id=user.pk, status__in=ACTIVE))
        )
    return sessions


def agenda_sessions(
    *, user, filters: AgendaFilters, start: datetime | None = None, end: datetime | None = None
) -> QuerySet[Session]:
    """The sessions of the agenda between `start` and `end` (the ones not over yet by default), with
    what a row shows loaded: the event, the site, the person's own registration (`my_registration`)."""
    sessions = _agenda_base(user=user, filters=filters)
    sessions = sessions.filter(ends_at__gt=start or timezone.now())
    if end is not None:
        sessions = sessions.filter(starts_at__lt=end)
    audience = filters.audience
    if not is_internal(user):
        # Partners: only the sessions addressed to them, whatever the filter.
        sessions = _sessions_for(sessions, audience="pour-moi", member=member_of(user))
        if audience and audience != "pour-moi":
            sessions = _sessions_for(sessions, audience=audience, member=member_of(user))
    elif audience:
        sessions = _sessions_for(sessions, audience=audience, member=member_of(user))
    return with_my_registration(sessions, user=user).order_by("starts_at", "pk")


def with_my_registration(sessions: QuerySet[Session], *, user) -> QuerySet[Session]:
    mine = Registration.objects.filter(agent_id=user.pk).exclude(status=Registration.Status.CANCELLED)
    return sessions.select_related("event", "site").prefetch_related(
        Prefetch("registrations", queryset=mine, to_attr="my_registrations")
    )


def decorate(sessions, *, user, now: datetime | None = None) -> list[Session]:
    """Each session with `my_registration` (or None) and `may_register` for `user` (no query)."""
    now = now or timezone.now()
    member = member_of(user)
    rows = list(sessions)
    for session in rows:
        mine = getattr(session, "my_registrations", None) or []
        session.my_registration = mine[0] if mine else None
        session.may_register = session.my_registration is None and may_register(session, member=member, now=now)
        session.in_audience = in_audience(session.audience_spec, member)
        session.started = now >= session.starts_at
    return rows


def month_grid(*, year: int, month: int, sessions) -> list[list[tuple[date, list[Session]]]]:
    """Weeks (Monday first) of (day, the sessions starting that day)."""
    by_day: dict[date, list[Session]] = {}
    for session in sessions:
        by_day.setdefault(timezone.localtime(session.starts_at).date(), []).append(session)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [[(day, by_day.get(day, [])) for day in week] for week in weeks]


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    first = datetime(year, month, 1, tzinfo=tz)
    following = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    return first, following


def site_choices():
    """The sites where published sessions take place (the agenda's site filter)."""
    from intranet.models import Site

    return Site.objects.filter(
        pk__in=Session.objects.filter(event__status=Event.Status.PUBLISHED).values("site_id")
    ).order_by("name")


# --- An event's page ---------------------------------------------------------------------------


def event_get_for(*, user, pk: int) -> Event | None:
    """The event if `user` may see it, with its sessions (`event.session_list`, decorated for the
    user), its organisers and materials loaded."""
    event = Event.objects.filter(pk=pk).select_related("survey").prefetch_related("organisers").first()
    if event is None:
        return None
    sessions = with_my_registration(Session.objects.filter(event=event), user=user).prefetch_related("organisers")
    event.session_list = decorate(sessions.order_by("starts_at", "pk"), user=user)
    for session in event.session_list:
        session.event = event
    from events.permissions import can_see_event

    member = member_of(user)
    if not can_see_event(user, event, member=member, sessions=event.session_list):
        return None
    if not is_internal(user):
        # A partner sees the sessions addressed to them (and those they registered for).
        event.session_list = [s for s in event.session_list if s.in_audience or s.my_registration]
    return event


def materials_for(*, event: Event, user) -> list[Material]:
    """The materials `user` may open: those who run the event, and those registered (a session's
    own materials: its registered only)."""
    materials = list(event.materials.select_related("session").order_by("added_at", "pk"))
    if not materials:
        return []
    from events.permissions import can_edit_event

    if can_edit_event(user, event):
        return materials
    mine = set(
        Registration.objects.filter(
            session__event=event, agent_id=user.pk, status=Registration.Status.CONFIRMED
        ).values_list("session_id", flat=True)
    )
    if not mine:
        return []
    return [material for material in materials if material.session_id is None or material.session_id in mine]


def material_for(*, user, pk: int) -> Material | None:
    material = Material.objects.select_related("event", "session").filter(pk=pk).first()
    if material is None:
        return None
    return material if material in materials_for(event=material.event, user=user) else None


# --- The person's registrations and calendar ----------------------------------------------------


def registration_list_mine(*, user, past: bool = False) -> QuerySet[Registration]:
    now = timezone.now()
    registrations = Registration.objects.filter(agent_id=user.pk, status__in=ACTIVE).select_related(
        "session__event", "session__site"
    )
    if past:
        return registrations.filter(session__ends_at__lte=now).order_by("-session__starts_at", "-pk")
    return registrations.filter(session__ends_at__gt=now).order_by("session__starts_at", "pk")


def registration_get_mine(*, user, pk: int) -> Registration | None:
    return (
        Registration.objects.filter(pk=pk, agent_id=user.pk, status=Registration.Status.CONFIRMED)
        .select_related("session__event", "session__site", "agent")
        .first()
    )


def feed_find(token: str) -> CalendarFeed | None:
    if not token or len(token) > 128:
        return None
    return CalendarFeed.objects.filter(token_hash=token_hash(token)).select_related("agent").first()


def feed_sessions(*, agent, days_back: int = 90) -> QuerySet[Session]:
    """The sessions of a person's feed: confirmed registrations from `days_back` days ago on (a
    cancelled session stays, marked cancelled, so calendars remove it)."""
    since = timezone.now() - timedelta(days=days_back)
    return (
        Session.objects.filter(
            registrations__agent_id=agent.pk,
            registrations__status=Registration.Status.CONFIRMED,
            ends_at__gte=since,
        )
        .exclude(event__status=Event.Status.DRAFT)
        .select_related("event", "site")
        .order_by("starts_at", "pk")
    )


# --- Running events ----------------------------------------------------------------------------


def event_list_managed(*, user) -> QuerySet[Event]:
    """The events `user` runs: every one for HR and communication, their own for organisers."""
    events = Event.objects.all()
    if not can_manage_events(user):
        events = events.filter(Q(organisers=user) | Q(sessions__organisers=user)).distinct()
    return events.annotate(
        session_count=Count("sessions", distinct=True),
        registered=Sum("sessions__confirmed_count"),
        present=Sum("sessions__checked_in_count"),
        first_start=Min("sessions__starts_at"),
    ).order_by("-first_start", "-pk")


def session_get_run_by(*, user, pk: int) -> Session | None:
    session = Session.objects.select_related("event", "site").filter(pk=pk).first()
    if session is None or not can_run_session(user, session):
        return None
    return session


ABSENT = "absent"  # the registrations page's filter: a seat, not checked in (a no-show once it ended)


def registration_list(*, session: Session, status: str | None = None, q: str = "") -> QuerySet[Registration]:
    registrations = Registration.objects.filter(session=session).select_related("agent__org_unit", "agent__site")
    if status == ABSENT:
        registrations = registrations.filter(status=Registration.Status.CONFIRMED, checked_in_at__isnull=True)
    elif status:
        registrations = registrations.filter(status=status)
    for word in q.split()[:4]:
        registrations = registrations.filter(
            Q(agent__last_name__icontains=word) | Q(agent__first_name__icontains=word) | Q(agent__email__icontains=word)
        )
    return registrations.order_by("agent__last_name", "agent__first_name", "pk")


def waiting_list(*, session: Session) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(session=session, status=Registration.Status.WAITING)
        .select_related("agent")
        .order_by("waiting_since", "pk")
    )


@dataclass(frozen=True)
class Attendance:
    registered: int
    present: int
    no_shows: int
    rate: int | None  # present among registered, %


def attendance_of(sessions) -> Attendance:
    """Over sessions that have ended: those registered, present, absent (no-shows), and the rate."""
    registered = sum(session.confirmed_count for session in sessions)
    present = sum(session.checked_in_count for session in sessions)
    return Attendance(
        registered=registered,
        present=present,
        no_shows=registered - present,
        rate=round(100 * present / registered) if registered else None,
    )


def session_visible_to(*, user, pk: int) -> Session | None:
    session = Session.objects.select_related("event", "site").filter(pk=pk).first()
    if session is None:
        return None
    event = event_get_for(user=user, pk=session.event_id)
    if event is None or not any(shown.pk == session.pk for shown in event.session_list):
        return None
    return session


# --- Invitations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Invitation:
    mailing: object  # mailing.models.Mailing
    progress: dict  # mailing.selectors.mailing_progress


def invitation_of(event: Event) -> Invitation | None:
    """The event's invitation mailing and how far it went (by e-mail, on paper), or None."""
    from mailing.selectors import mailing_for_source, mailing_progress

    mailing = mailing_for_source(event)
    if mailing is None:
        return None
    return Invitation(mailing=mailing, progress=mailing_progress(mailing))


def invitation_preview(event: Event) -> dict:
    """How many the invitation would reach now: {"total", "paper"} (agents without a mailbox)."""
    from intranet.audiences import audience_agents

    agents = audience_agents(spec=event.audience_spec)
    return agents.aggregate(total=Count("pk"), paper=Count("pk", filter=Q(has_mailbox=False) | Q(email="")))


# --- Attendance figures (the event's page, for those who run it) -------------------------------

NO_SHOWS_SHOWN = 12  # per session on the event's page; the registrations page lists them all


@dataclass
class SessionAttendance:
    session: Session
    figures: Attendance
    no_shows: list  # up to NO_SHOWS_SHOWN registrations, by name


@dataclass
class EventAttendance:
    sessions: list[SessionAttendance]  # the sessions that took place (ended, not cancelled)
    total: Attendance
    invited: int  # the invitation's recipients, or the event's audience today
    participation: int | None  # present among those invited, %


def event_attendance(*, event: Event, sessions, now: datetime | None = None) -> EventAttendance | None:
    """Attendance per session and over the event, measured from the check-ins, with the first
    no-shows of each session; None before any session has ended. Three queries whatever the number
    of sessions and people."""
    now = now or timezone.now()
    held = [
        session for session in sessions if session.has_ended(now=now) and session.status == Session.Status.SCHEDULED
    ]
    if not held:
        return None
    absent = (
        Registration.objects.filter(
            session_id__in=[session.pk for session in held],
            status=Registration.Status.CONFIRMED,
            checked_in_at__isnull=True,
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("session_id")],
                order_by=[F("agent__last_name").asc(), F("agent__first_name").asc(), F("pk").asc()],
            )
        )
        .filter(rank__lte=NO_SHOWS_SHOWN)
        .select_related("agent__org_unit")
        .order_by("session_id", "rank")
    )
    no_shows: dict[int, list] = {}
    for registration in absent:
        no_shows.setdefault(registration.session_id, []).append(registration)
    rows = [SessionAttendance(session, attendance_of([session]), no_shows.get(session.pk, [])) for session in held]
    total = attendance_of(held)
    invited = _invited_count(event)
    return EventAttendance(
        sessions=rows,
        total=total,
        invited=invited,
        # Those registered by an organiser may be outside the invitation: never above 100 %.
        participation=min(100, round(100 * total.present / invited)) if invited else None,
    )


def _invited_count(event: Event) -> int:
    from intranet.audiences import audience_agents
    from mailing.selectors import mailing_for_source

    mailing = mailing_for_source(event) if event.invited_at else None
    if mailing is not None:
        return mailing.deliveries.count()
    return audience_agents(spec=event.audience_spec).count()


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
