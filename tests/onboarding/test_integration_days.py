"""Journées d'intégration: recent arrivals invited by arrival date up to the capacity, a
waiting list promoted when someone cancels, a printable attendance sheet."""

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from intranet.models import OutgoingEmail
from onboarding.models import Invitation
from onboarding.services.integration_days import (
    invitation_cancel,
    session_invite,
    session_save,
    sessions_invite_upcoming,
)
from onboarding.sheet import attendance_sheet_pdf
from tests.factories import AgentFactory
from tests.onboarding.factories import ArrivalFactory, IntegrationDayFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    return IntegrationDayFactory(
        date=date(2026, 4, 10),
        capacity=2,
        arrivals_from=date(2026, 1, 1),
        arrivals_to=date(2026, 3, 31),
        place="Salle du conseil",
    )


def _arrival(last_name, day):
    return ArrivalFactory(agent=AgentFactory(last_name=last_name), arrival_date=day)


def test_arrivals_of_the_period_are_invited_by_arrival_date_then_wait(session, rh):
    first, second = _arrival("Premier", date(2026, 1, 5)), _arrival("Deuxieme", date(2026, 2, 1))
    third = _arrival("Troisieme", date(2026, 3, 20))
    _arrival("Avant", date(2025, 12, 31))
    _arrival("Apres", date(2026, 4, 1))

    assert session_invite(session=session) == 3

    status = {i.arrival: i.status for i in session.invitations.all()}
    assert status == {
        first: Invitation.Status.INVITED,
        second: Invitation.Status.INVITED,
        third: Invitation.Status.WAITING,
    }
    assert OutgoingEmail.objects.filter(kind="onboarding.session.invited").count() == 2
    waiting_mail = OutgoingEmail.objects.get(kind="onboarding.session.waiting")
    assert waiting_mail.to == third.agent.email
    assert session_invite(session=session) == 0  # idempotent
    assert OutgoingEmail.objects.filter(kind__startswith="onboarding.session").count() == 3


def test_a_cancellation_promotes_the_first_on_the_waiting_list(session, rh):
    first = _arrival("Premier", date(2026, 1, 5))
    _arrival("Deuxieme", date(2026, 2, 1))
    later, earlier = _arrival("Tardif", date(2026, 3, 25)), _arrival("Tot", date(2026, 3, 2))
    session_invite(session=session)

    promoted = invitation_cancel(invitation=session.invitations.get(arrival=first), user=rh)

    assert promoted.arrival == earlier
    assert session.invitations.get(arrival=earlier).status == Invitation.Status.INVITED
    assert session.invitations.get(arrival=later).status == Invitation.Status.WAITING
    assert session.invitations.get(arrival=first).status == Invitation.Status.CANCELLED
    assert session.invitations.filter(status=Invitation.Status.INVITED).count() == 2
    assert OutgoingEmail.objects.filter(to=earlier.agent.email, kind="onboarding.session.invited").exists()
    # Cancelling a waiting invitation promotes nobody; cancelling twice does nothing.
    assert invitation_cancel(invitation=session.invitations.get(arrival=later), user=rh) is None
    assert invitation_cancel(invitation=session.invitations.get(arrival=first), user=rh) is None


def test_raising_the_capacity_promotes_from_the_waiting_list(session, rh):
    for index in range(3):
        _arrival(f"Agent{index}", date(2026, 1, 5) + timedelta(days=index))
    session_invite(session=session)
    session.capacity = 3
    session_save(session=session, user=rh)
    assert session.invitations.filter(status=Invitation.Status.INVITED).count() == 3


def test_the_beat_invites_for_the_sessions_to_come_only(session, rh):
    _arrival("Premier", date(2026, 1, 5))
    assert sessions_invite_upcoming(today=date(2026, 4, 11)) == 0
    assert sessions_invite_upcoming(today=date(2026, 4, 1)) == 1


def test_the_attendance_sheet_lists_the_invited_agents(session):
    _arrival("Premier", date(2026, 1, 5))
    _arrival("Deuxieme", date(2026, 2, 1))
    _arrival("Attente", date(2026, 3, 1))
    session_invite(session=session)

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(attendance_sheet_pdf(session=session))).pages)

    assert "Feuille d'émargement" in text
    assert "Premier" in text
    assert "Deuxieme" in text
    assert "Attente" not in text
    assert "Salle du conseil" in text
