"""The agenda: its sessions for a person, their audience tags (the « public » filter), the month grid."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from events.models import Event, Registration, Session
from events.permissions import in_audience, may_register, member_of
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
