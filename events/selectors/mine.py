"""The person's registrations and their calendar feed."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from events.models import CalendarFeed, Event, Registration, Session, token_hash
from events.selectors.agenda import ACTIVE

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
