"""A session's seats: its row lock, its counters, the waiting list's promotion, and the mails that
follow a seat's change (sent after the commit). Shared by the registration and session services."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F

from events import mails
from events.models import Registration, Session


def _lock(session: Session) -> Session:
    return Session.objects.select_for_update(of=("self",)).select_related("event").get(pk=session.pk)


def _counts(session: Session, **deltas: int) -> None:
    """Move the session's counters (the caller holds its row lock)."""
    Session.objects.filter(pk=session.pk).update(**{name: F(name) + delta for name, delta in deltas.items()})
    for name, delta in deltas.items():
        setattr(session, name, getattr(session, name) + delta)


def _promote(session: Session, *, now: datetime | None = None) -> list[Registration]:
    """Give the free seats to the first people waiting, in order (the caller holds the lock)."""
    if session.status == Session.Status.CANCELLED or session.has_ended(now=now):
        return []
    promoted = []
    while session.capacity is None or session.confirmed_count < session.capacity:
        registration = (
            Registration.objects.select_for_update()
            .filter(session=session, status=Registration.Status.WAITING)
            .order_by("waiting_since", "pk")
            .first()
        )
        if registration is None:
            break
        registration.status, registration.waiting_since = Registration.Status.CONFIRMED, None
        registration.ics_sequence += 1
        registration.save(update_fields=["status", "waiting_since", "ics_sequence"])
        _counts(session, confirmed_count=1, waiting_count=-1)
        promoted.append(registration)
    return promoted


def _mail_registration(registration_id: int, what: str) -> None:
    registration = (
        Registration.objects.select_related("agent", "session__event", "session__site")
        .filter(pk=registration_id)
        .first()
    )
    if registration is not None:
        mails.registration_mail(registration, what)


def _mail_session(session_id: int, what: str, *, exclude=(), waiting_too: bool = False) -> int:
    statuses = [Registration.Status.CONFIRMED] + ([Registration.Status.WAITING] if waiting_too else [])
    registrations = (
        Registration.objects.filter(session_id=session_id, status__in=statuses)
        .exclude(pk__in=list(exclude))
        .select_related("agent", "session__event", "session__site")
        .order_by("pk")
    )
    with transaction.atomic():
        return mails.registrations_mail(registrations.iterator(chunk_size=500), what)
