"""Attendance figures (the event's page, for those who run it; the plan's indicators)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from events.models import Event, EventInvitation, Registration, Session
from events.selectors.running import Attendance, attendance_of

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
    """The recipients of the event's invitation mailings (each person is in one), or, without any
    (invited elsewhere, the demo's history), its audience today."""
    from intranet.audiences import audience_agents
    from mailing.models import Delivery

    mailings = EventInvitation.objects.filter(event_id=event.pk).values("mailing_id")
    if event.invited_at and mailings.exists():
        return Delivery.objects.filter(mailing_id__in=mailings).count()
    return audience_agents(spec=event.audience_spec).count()
