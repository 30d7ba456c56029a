"""Journées d'intégration: recent arrivals invited by arrival date up to the capacity, a
waiting list promoted when someone cancels, a printable attendance sheet. A day is an event of the
events app: its invitations are the session's registrations, its mails the events app's."""

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from events.documents import signin_sheet_render
from events.models import Registration
from events.services import registration_cancel
from intranet.models import OutgoingEmail
from onboarding.services.integration_days import (
    integration_day_invite,
    integration_day_update,
    sessions_invite_upcoming,
)
from tests.factories import AgentFactory
from tests.onboarding.factories import ArrivalFactory, IntegrationDayFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    return IntegrationDayFactory(
        date=timezone.localdate() + timedelta(days=30),  # to come: a past day promotes nobody
        capacity=2,
        arrivals_from=date(2026, 1, 1),
        arrivals_to=date(2026, 3, 31),
        place="Salle du conseil",
    )


def _arrival(last_name, day):
    return ArrivalFactory(agent=AgentFactory(last_name=last_name), arrival_date=day)


def session_invite(*, session):
    return integration_day_invite(integration_day=session)


def _invitations(session):
    return Registration.objects.filter(session=session.event_session)


def _invitation(session, arrival):
    return _invitations(session).get(agent=arrival.agent)


def test_arrivals_of_the_period_are_invited_by_arrival_date_then_wait(session, rh, django_capture_on_commit_callbacks):
    first, second = _arrival("Premier", date(2026, 1, 5)), _arrival("Deuxieme", date(2026, 2, 1))
    third = _arrival("Troisieme", date(2026, 3, 20))
    _arrival("Avant", date(2025, 12, 31))
    _arrival("Apres", date(2026, 4, 1))

    with django_capture_on_commit_callbacks(execute=True):  # the events app mails after the commit
        assert session_invite(session=session) == 3

    status = {i.agent: i.status for i in _invitations(session)}
    assert status == {
        first.agent: Registration.Status.CONFIRMED,
        second.agent: Registration.Status.CONFIRMED,
        third.agent: Registration.Status.WAITING,
    }
    assert OutgoingEmail.objects.filter(kind="events.confirmed").count() == 2
    waiting_mail = OutgoingEmail.objects.get(kind="events.waiting")
    assert waiting_mail.to == third.agent.email
    assert session_invite(session=session) == 0  # idempotent
    assert OutgoingEmail.objects.filter(kind__startswith="events.").count() == 3


def test_a_cancellation_promotes_the_first_on_the_waiting_list(session, rh, django_capture_on_commit_callbacks):
    first = _arrival("Premier", date(2026, 1, 5))
    _arrival("Deuxieme", date(2026, 2, 1))
    later, earlier = _arrival("Tardif", date(2026, 3, 25)), _arrival("Tot", date(2026, 3, 2))
    session_invite(session=session)

    with django_capture_on_commit_callbacks(execute=True):
        promoted = registration_cancel(registration=_invitation(session, first), user=rh)

    assert promoted.agent == earlier.agent
    assert _invitation(session, earlier).status == Registration.Status.CONFIRMED
    assert _invitation(session, later).status == Registration.Status.WAITING
    assert _invitation(session, first).status == Registration.Status.CANCELLED
    assert _invitations(session).filter(status=Registration.Status.CONFIRMED).count() == 2
    assert OutgoingEmail.objects.filter(to=earlier.agent.email, kind="events.promoted").exists()
    # Cancelling a waiting invitation promotes nobody; cancelling twice does nothing.
    assert registration_cancel(registration=_invitation(session, later), user=rh) is None
    assert registration_cancel(registration=_invitation(session, first), user=rh) is None


def test_raising_the_capacity_promotes_from_the_waiting_list(session, rh):
    for index in range(3):
        _arrival(f"Agent{index}", date(2026, 1, 5) + timedelta(days=index))
    session_invite(session=session)
    integration_day_update(
        integration_day=session,
        user=rh,
        title=session.title,
        day=session.date,
        place=session.place,
        capacity=3,
        arrivals_from=session.arrivals_from,
        arrivals_to=session.arrivals_to,
    )
    assert _invitations(session).filter(status=Registration.Status.CONFIRMED).count() == 3


def test_the_beat_invites_for_the_sessions_to_come_only(session, rh):
    _arrival("Premier", date(2026, 1, 5))
    assert sessions_invite_upcoming(today=session.date + timedelta(days=1)) == 0
    assert sessions_invite_upcoming(today=session.date - timedelta(days=9)) == 1


def test_the_attendance_sheet_lists_the_invited_agents(session):
    _arrival("Premier", date(2026, 1, 5))
    _arrival("Deuxieme", date(2026, 2, 1))
    _arrival("Attente", date(2026, 3, 1))
    session_invite(session=session)

    _name, content = signin_sheet_render(session=session.event_session_id)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)

    assert "Feuille d'émargement" in text
    assert "Premier" in text
    assert "Deuxieme" in text
    assert "Attente" not in text
    assert "Salle du conseil" in text
