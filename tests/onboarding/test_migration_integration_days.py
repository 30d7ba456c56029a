"""Migrations 0004–0006 (issue 16): the journées d'intégration made before they were events keep their
date, place, capacity and programme, and their invitations become the event's registrations, the
waiting list in the same order (arrival date, then invitation). Runs on PostgreSQL and SQLite."""

from datetime import date, time, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from events.models import Event, Registration
from events.services import registration_cancel
from onboarding.models import IntegrationDay
from tests.factories import AgentFactory

BEFORE = [("onboarding", "0003_guideedition_attempts"), ("events", "0002_material_checked_files")]
AFTER = [("onboarding", "0006_integration_day_old_fields_removed")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_days_and_invitations_move_into_events_with_the_waiting_order_kept(rh):
    old = _migrate(BEFORE)
    OldDay, OldInvitation = old.get_model("onboarding", "IntegrationDay"), old.get_model("onboarding", "Invitation")
    OldArrival = old.get_model("onboarding", "Arrival")
    day_date = timezone.localdate() + timedelta(days=40)
    day = OldDay.objects.create(
        title="Journée d'intégration de printemps",
        date=day_date,
        start_time=time(9, 30),
        place="Salle du conseil",
        capacity=2,
        arrivals_from=date(2026, 1, 1),
        arrivals_to=date(2026, 12, 31),
        programme="Accueil\nVisite",
    )
    names = ["Premier", "Second", "Tardif", "Tot", "Parti"]
    agents = {name: AgentFactory(last_name=name) for name in names}
    arrival_days = {"Premier": 5, "Second": 10, "Tardif": 300, "Tot": 60, "Parti": 20}
    statuses = {"Premier": "invited", "Second": "invited", "Tardif": "waiting", "Tot": "waiting", "Parti": "cancelled"}
    created = timezone.now() - timedelta(days=3)
    for index, name in enumerate(names):  # Tardif invited before Tot, but arrived after: Tot waits first
        arrival = OldArrival.objects.create(
            agent_id=agents[name].pk, arrival_date=date(2026, 1, 1) + timedelta(days=arrival_days[name])
        )
        OldInvitation.objects.create(
            session=day,
            arrival=arrival,
            status=statuses[name],
            created_at=created + timedelta(minutes=index),
            updated_at=created + timedelta(hours=1),
        )

    _migrate(AFTER)

    integration_day = IntegrationDay.objects.select_related("event_session__event").get()
    session, event = integration_day.event_session, integration_day.event
    assert (event.kind, event.status, event.title) == (
        Event.Kind.INTEGRATION,
        Event.Status.PUBLISHED,
        "Journée d'intégration de printemps",
    )
    assert (integration_day.date, integration_day.start_time) == (day_date, time(9, 30))
    assert (integration_day.place, integration_day.capacity, integration_day.programme) == (
        "Salle du conseil",
        2,
        "Accueil\nVisite",
    )
    assert (integration_day.arrivals_from, integration_day.arrivals_to) == (date(2026, 1, 1), date(2026, 12, 31))
    assert (session.confirmed_count, session.waiting_count) == (2, 2)
    by_name = {r.agent.last_name: r for r in Registration.objects.filter(session=session).select_related("agent")}
    assert {name: r.status for name, r in by_name.items()} == {
        "Premier": "confirmed",
        "Second": "confirmed",
        "Tardif": "waiting",
        "Tot": "waiting",
        "Parti": "cancelled",
    }
    assert by_name["Tot"].waiting_since < by_name["Tardif"].waiting_since
    # The events app runs it now: a cancellation gives the seat to the first waiting.
    promoted = registration_cancel(registration=by_name["Premier"], user=rh)
    assert promoted.agent.last_name == "Tot"
