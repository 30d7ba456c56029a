"""The figures of an event that feed an action-plan indicator (intranet.registry.IndicatorSource): an
indicator names "events.participants:<event id>" and the plan's daily refresh records its value."""

from decimal import Decimal

from events.models import Event, Session
from events.selectors import EventAttendance, event_attendance


def _attendance(argument: str) -> EventAttendance | None:
    event = Event.objects.filter(pk=int(argument)).first() if argument.isdigit() else None
    if event is None:
        return None
    return event_attendance(event=event, sessions=list(event.sessions.all()))


def participants(argument: str) -> Decimal | None:
    """Those present (checked in) over the sessions held."""
    figures = _attendance(argument)
    return Decimal(figures.total.present) if figures else None


def attendance_rate(argument: str) -> Decimal | None:
    """Present among those registered, %."""
    figures = _attendance(argument)
    return Decimal(figures.total.rate) if figures and figures.total.rate is not None else None


def participation(argument: str) -> Decimal | None:
    """Present among those invited, % (seed 000's « 90 % de participation »)."""
    figures = _attendance(argument)
    return Decimal(figures.participation) if figures and figures.participation is not None else None


def satisfaction(argument: str) -> Decimal | None:
    """The satisfaction rate of the event's questionnaire (surveys), %."""
    from surveys.results import survey_satisfaction_rate

    event = Event.objects.filter(pk=int(argument)).select_related("survey").first() if argument.isdigit() else None
    return survey_satisfaction_rate(event.survey) if event is not None and event.survey_id else None


def event_choices() -> list[tuple[str, str]]:
    """The published events with a session, newest first."""
    events = Event.objects.published().filter(pk__in=Session.objects.values("event_id"))
    return [(str(pk), title) for pk, title in events.order_by("-created_at", "-pk").values_list("pk", "title")]


def surveyed_event_choices() -> list[tuple[str, str]]:
    events = Event.objects.published().filter(survey__isnull=False)
    return [(str(pk), title) for pk, title in events.order_by("-created_at", "-pk").values_list("pk", "title")]
