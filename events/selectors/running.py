"""Running events: the events a person manages, a session's registrations and waiting list."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Min, Q, QuerySet, Sum

from events.models import Event, Registration, Session
from events.permissions import can_manage_events, can_run_session
from events.selectors.event_page import event_get_for

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
