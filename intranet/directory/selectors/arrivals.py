"""Reads of the month's arrivals and departures, and the home page's « Nouveaux arrivants »."""

from datetime import date

from django.db.models import QuerySet

from intranet.directory.permissions import can_view_orgchart
from intranet.models import Agent
from intranet.selectors import agent_list_visible_to


def _month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following


def arrival_list(*, user, month: date) -> QuerySet[Agent]:
    """Agents who arrived (or arrive) during `month`, by date of arrival."""
    first, following = _month_bounds(month)
    return (
        agent_list_visible_to(user=user)
        .filter(arrival_date__gte=first, arrival_date__lt=following)
        .order_by("arrival_date", "last_name", "first_name")
    )


def departure_list(*, user, month: date) -> QuerySet[Agent]:
    """Agents who leave (or left) during `month`. A departed agent's account may already be
    closed: still listed, until HR anonymises them."""
    if not can_view_orgchart(user):
        return Agent.objects.none()
    first, following = _month_bounds(month)
    return (
        Agent.objects.internal()
        .filter(anonymised_at__isnull=True)
        .filter(departure_date__gte=first, departure_date__lt=following)
        .select_related("org_unit", "site")
        .order_by("departure_date", "last_name", "first_name")
    )


HOME_SLOT_ARRIVALS = 5


def arrivals_home_context(*, user, today: date) -> dict | None:
    """The "Nouveaux arrivants" slot: the month's first arrivals and how many there are;
    None (slot hidden) when nobody arrived this month."""
    arrivals = arrival_list(user=user, month=today)
    shown = list(arrivals[:HOME_SLOT_ARRIVALS])
    if not shown:
        return None
    total = arrivals.count()
    return {"arrivals": shown, "total": total, "more": total - len(shown)}
