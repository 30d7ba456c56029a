"""Seats under concurrency, on PostgreSQL (two threads, two database connections): the last seat
goes to one person only, and a freed seat to exactly one person from the waiting list."""

import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import F

from events import services
from events.models import Registration, Session
from tests.conftest import skip_or_fail
from tests.events.factories import SessionFactory
from tests.factories import AgentFactory


def _require_postgresql():
    if connection.vendor != "postgresql":
        skip_or_fail("the concurrency tests need PostgreSQL's row locks: set DATABASE_URL")


def _at_once(*calls):
    """Run the calls in threads released together; returns their results (or exceptions)."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # noqa: BLE001 (the test looks at it)
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_people_taking_the_last_seat_at_once_never_both_get_it():
    _require_postgresql()
    session = SessionFactory(capacity=2)
    services.registration_create(session=session, agent=AgentFactory())
    first, second = AgentFactory(), AgentFactory()
    results = _at_once(
        lambda: services.registration_create(session=Session.objects.get(pk=session.pk), agent=first).status,
        lambda: services.registration_create(session=Session.objects.get(pk=session.pk), agent=second).status,
    )
    assert sorted(results) == [Registration.Status.CONFIRMED, Registration.Status.WAITING]
    session.refresh_from_db()
    assert (session.confirmed_count, session.waiting_count) == (2, 1)
    assert Registration.objects.filter(session=session, status=Registration.Status.CONFIRMED).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_cancellations_at_once_promote_one_person_each_in_order():
    _require_postgresql()
    session = SessionFactory(capacity=2)
    holders = [services.registration_create(session=session, agent=AgentFactory()) for _ in range(2)]
    waiting = [services.registration_create(session=session, agent=AgentFactory()) for _ in range(3)]
    results = _at_once(*(lambda r=r: services.registration_cancel(registration=r, user=r.agent) for r in holders))
    promoted = sorted(result.pk for result in results)
    assert promoted == sorted(r.pk for r in waiting[:2])  # the first two waiting, one each
    session.refresh_from_db()
    assert (session.confirmed_count, session.waiting_count) == (2, 1)
    assert Registration.objects.get(pk=waiting[2].pk).status == Registration.Status.WAITING


@pytest.mark.django_db
def test_the_database_refuses_more_confirmed_than_seats():
    session = SessionFactory(capacity=1, confirmed_count=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(confirmed_count=F("confirmed_count") + 1)


@pytest.mark.django_db
def test_the_database_refuses_two_registrations_of_one_person_to_a_session():
    session = SessionFactory()
    agent = AgentFactory()
    Registration.objects.create(session=session, agent=agent, status=Registration.Status.CONFIRMED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(session=session, agent=agent, status=Registration.Status.WAITING)
