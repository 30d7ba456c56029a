"""The next events on the home page, and « À faire »: a check-in waiting for an organiser, a
registration deadline near for a person invited."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from events import selectors, services
from events.models import Session
from tests.events.factories import EventFactory, RegistrationFactory, SessionFactory
from tests.factories import AgentFactory, SiteFactory
from tests.querycount import assert_same_queries

pytestmark = pytest.mark.django_db


def _home(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("intranet:home")).content.decode()


def test_home_shows_my_next_registrations_then_what_i_may_register_for(client, agent):
    mine = SessionFactory(event=EventFactory(title="Webinaire des encadrants"))
    RegistrationFactory(session=mine, agent=agent)
    SessionFactory(event=EventFactory(title="Prise en main de l'intranet"))
    SessionFactory(event=EventFactory(title="Réservé aux partenaires", audience={"partners": True}))
    page = _home(client, agent)
    slot = page[page.index('id="slot-events-next"') :]
    assert slot.index("Vos inscriptions") < slot.index("Webinaire des encadrants")
    assert slot.index("Ouverts à votre inscription") < slot.index("Prise en main de l&#x27;intranet")
    assert "Réservé aux partenaires" not in slot


def test_home_says_nothing_of_events_when_none_comes(client, agent):
    assert 'id="slot-events-next"' not in _home(client, agent)


def test_home_costs_the_same_queries_at_few_and_many_sessions(client, agent):
    RegistrationFactory(agent=agent)
    SessionFactory()

    def grow():
        event = EventFactory()
        start = timezone.now() + timedelta(days=2)
        Session.objects.bulk_create(
            [
                Session(event=event, starts_at=start + timedelta(hours=i), ends_at=start + timedelta(hours=i + 1))
                for i in range(300)
            ]
        )
        for _ in range(5):
            RegistrationFactory(agent=agent)

    client.force_login(agent)
    assert_same_queries(client, reverse("intranet:home"), grow, before_each=cache.clear)  # nothing kept


def test_a_session_today_asks_its_organisers_and_animators_to_check_in(agent, rh):
    animator = AgentFactory()
    session = SessionFactory(event=EventFactory(organisers=[rh]), starts_at=timezone.now())
    session.organisers.add(animator)
    SessionFactory(event=EventFactory(organisers=[rh]))  # next week: nothing to do yet
    today = timezone.localdate()
    for person in (rh, animator):
        group = selectors.todo_checkins(user=person, today=today, limit=3)
        assert [item.url for item in group.items] == [reverse("events:session-checkin", args=[session.pk])]
    assert selectors.todo_checkins(user=agent, today=today, limit=3) is None


def test_a_session_held_without_check_in_stays_late_for_a_week(rh):
    start = timezone.now() - timedelta(days=2)
    forgotten = SessionFactory(event=EventFactory(organisers=[rh]), starts_at=start, ends_at=start + timedelta(hours=1))
    RegistrationFactory(session=forgotten)
    group = selectors.todo_checkins(user=rh, today=timezone.localdate(), limit=3)
    assert group.late == 1
    assert group.items[0].late
    assert selectors.todo_checkins(user=rh, today=timezone.localdate() + timedelta(days=8), limit=3) is None


def test_a_near_deadline_asks_those_invited_who_have_not_registered(agent, rh):
    site = SiteFactory()
    agent.site = site
    agent.save(update_fields=["site"])
    event = EventFactory(title="Réunion retraite", audience={"sites": [site.pk]})
    session = SessionFactory(event=event, registration_closes_at=timezone.now() + timedelta(days=3))
    SessionFactory(event=event, registration_closes_at=timezone.now() + timedelta(days=4))
    SessionFactory(  # not invited yet: nothing asked
        event=EventFactory(audience={"sites": [site.pk]}), registration_closes_at=timezone.now() + timedelta(days=2)
    )
    SessionFactory(  # far away
        event=EventFactory(invited_at=timezone.now(), audience={"sites": [site.pk]}),
        registration_closes_at=timezone.now() + timedelta(days=20),
        starts_at=timezone.now() + timedelta(days=30),
    )
    today = timezone.localdate()
    assert selectors.todo_registration_deadlines(user=agent, today=today, limit=3) is None
    services.event_invite(event=event, user=rh)
    group = selectors.todo_registration_deadlines(user=agent, today=today, limit=3)
    assert group.count == 1
    assert group.items[0].title == "Réunion retraite"
    assert group.items[0].due == timezone.localtime(session.registration_closes_at).date()
    assert selectors.todo_registration_deadlines(user=AgentFactory(site=SiteFactory()), today=today, limit=3) is None
    services.registration_create(session=session, agent=agent)
    assert selectors.todo_registration_deadlines(user=agent, today=today, limit=3) is None
