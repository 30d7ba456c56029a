"""Attendance figures, measured from the check-ins: per session and over the event, the no-shows,
on the event's page for those who run it; the demo's 15 meetings of seed 000 at 90 %."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events import selectors
from events.demo import MEETINGS_TITLE, demo_seed
from events.models import Event
from intranet.models import Agent, Site
from tests.events.factories import EventFactory, RegistrationFactory, SessionFactory
from tests.factories import AgentFactory, SiteFactory
from tests.querycount import assert_same_queries

pytestmark = pytest.mark.django_db


def _past(event, days):
    start = timezone.now() - timedelta(days=days)
    return SessionFactory(event=event, starts_at=start, ends_at=start + timedelta(hours=2))


def _held_event(*, present: int, absent: int, sessions: int = 2, site=None):
    site = site or SiteFactory()
    event = EventFactory(title="Réunion retraite", audience={"sites": [site.pk]})
    for number in range(sessions):
        session = _past(event, days=10 + number)
        for index in range(present + absent):
            registration = RegistrationFactory(
                session=session, agent=AgentFactory(site=site, last_name=f"Nom{number}-{index:02d}")
            )
            if index < present:
                registration.checked_in_at = session.starts_at
                registration.save(update_fields=["checked_in_at"])
        session.checked_in_count = present
        session.save(update_fields=["checked_in_count"])
    return event


def test_attendance_per_session_and_over_the_event_from_the_check_ins():
    site = SiteFactory()
    event = _held_event(present=3, absent=1, site=site)
    AgentFactory.create_batch(2, site=site)  # invited, never registered
    SessionFactory(event=event)  # to come: not counted
    figures = selectors.event_attendance(event=event, sessions=list(event.sessions.all()))
    assert [(row.figures.registered, row.figures.present, row.figures.rate) for row in figures.sessions] == [
        (4, 3, 75),
        (4, 3, 75),
    ]
    assert (figures.total.registered, figures.total.present, figures.total.no_shows) == (8, 6, 2)
    assert figures.invited == 10
    assert figures.participation == 60
    assert [[r.agent.last_name for r in row.no_shows] for row in figures.sessions] == [["Nom1-03"], ["Nom0-03"]]


def test_no_figures_before_a_session_has_ended():
    event = SessionFactory().event
    assert selectors.event_attendance(event=event, sessions=list(event.sessions.all())) is None


def test_organisers_see_attendance_and_no_shows_on_the_event_page(client, rh, agent):
    event = _held_event(present=2, absent=1)
    client.force_login(rh)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Présence" in page
    assert "Taux de présence : 67 % ; 2 absents." in page
    assert "Nom0-02" in page
    assert "Nom1-02" in page
    client.force_login(agent)
    assert "Taux de présence" not in client.get(event.get_absolute_url()).content.decode()


def test_the_registrations_page_lists_every_no_show(client, rh):
    event = _held_event(present=1, absent=2, sessions=1)
    session = event.sessions.get()
    client.force_login(rh)
    page = client.get(reverse("events:session-registrations", args=[session.pk]) + "?etat=absent").content.decode()
    assert "Nom0-01" in page
    assert "Nom0-02" in page
    assert "Nom0-00" not in page


def test_the_event_page_costs_the_same_queries_for_few_and_many_no_shows(client, rh):
    event = _held_event(present=1, absent=1, sessions=1)

    def grow():
        for days in range(20, 26):
            session = _past(event, days=days)
            for index in range(15):
                RegistrationFactory(session=session, agent=AgentFactory(last_name=f"Absent{days}-{index}"))

    client.force_login(rh)
    assert_same_queries(client, event.get_absolute_url(), grow)


def test_the_demo_meetings_reproduce_seed_000s_ninety_percent():
    lycees = [Site.objects.create(name=f"Lycée {n:02d}", kind=Site.Kind.LYCEE) for n in range(15)]
    Agent.objects.bulk_create(
        [
            Agent(email=f"tos{n}@demo.local", first_name="Agent", last_name=f"TOS {n}", site=lycees[n % 15])
            for n in range(900)
        ]
    )
    AgentFactory(email="communication@demo.local")
    out = io.StringIO()
    demo_seed(stdout=out)
    meetings = Event.objects.get(title=MEETINGS_TITLE)
    figures = selectors.event_attendance(event=meetings, sessions=list(meetings.sessions.all()))
    assert len(figures.sessions) == 15
    assert figures.invited == 900
    assert figures.participation == 90
    assert "(90 % de participation, d'après les émargements)" in out.getvalue()


def test_the_demo_plan_follows_the_meetings_participation_with_its_live_value():
    """Issue 16: an action card of the demo plan (1.2, « Fréquentation des agents ») follows an event
    indicator, the information meetings' participation, measured from the check-ins."""
    from decimal import Decimal

    from actions.demo import demo_seed as plan_seed
    from actions.demo import demo_sources_seed
    from actions.models import Indicator

    lycees = [Site.objects.create(name=f"Lycée {n:02d}", kind=Site.Kind.LYCEE) for n in range(15)]
    Agent.objects.bulk_create(
        [Agent(email=f"tos{n}@demo.local", last_name=f"TOS {n}", site=lycees[n % 15]) for n in range(150)]
    )
    AgentFactory(email="communication@demo.local")
    out = io.StringIO()
    demo_seed(stdout=out)
    plan_seed(stdout=out)
    demo_sources_seed(stdout=out)

    meetings = Event.objects.get(title=MEETINGS_TITLE)
    figures = selectors.event_attendance(event=meetings, sessions=list(meetings.sessions.all()))
    indicator = Indicator.objects.get(card__number="1.2", definition="Fréquentation des agents")
    assert indicator.source == f"events.participation:{meetings.pk}"
    assert indicator.measurements.order_by("-date").first().value == Decimal(figures.participation)
