"""Parrain / marraine: the suggested match (score explained), capacity, both told by e-mail."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from intranet.models import OutgoingEmail
from onboarding.services.buddies import BUDDY_PERIOD, buddy_assign, buddy_suggestions, volunteer_save
from onboarding.services.daily import arrival_surveys_send
from tests.factories import AgentFactory, OrgUnitFactory, SiteFactory
from tests.onboarding.factories import ArrivalFactory, BuddyVolunteerFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)


@pytest.fixture
def newcomer(agent):
    return ArrivalFactory(agent=agent, manager=agent.manager, arrival_date=TODAY)


def test_suggestions_prefer_another_service_on_the_same_site_and_experience(newcomer, agent, site):
    other_unit, other_site = OrgUnitFactory(name="Service des sports"), SiteFactory(name="Antenne de Thiaucourt")
    best = BuddyVolunteerFactory(
        agent=AgentFactory(
            last_name="Best", org_unit=other_unit, site=site, arrival_date=TODAY - timedelta(days=365 * 7)
        )
    ).agent
    same_unit = BuddyVolunteerFactory(
        agent=AgentFactory(last_name="Memeservice", org_unit=agent.org_unit, site=site)
    ).agent
    far = BuddyVolunteerFactory(agent=AgentFactory(last_name="Loin", org_unit=other_unit, site=other_site)).agent
    BuddyVolunteerFactory(agent=agent.manager)  # the newcomer's manager is never suggested

    suggestions = buddy_suggestions(arrival=newcomer, today=TODAY)

    assert [s.volunteer.agent for s in suggestions] == [best, far, same_unit]
    assert [s.score for s in suggestions] == [3 + 2 + 3, 3, 2]
    assert suggestions[0].reasons == [
        "+3 : un autre service (Service des sports)",
        "+2 : le même site (Siège)",
        "+3 : 7 ans d'expérience dans l'administration",
    ]


def test_a_full_volunteer_is_not_suggested_and_cannot_be_confirmed(newcomer, rh):
    volunteer = BuddyVolunteerFactory(capacity=1)
    ArrivalFactory(buddy=volunteer.agent, arrival_date=TODAY - timedelta(days=30))

    assert buddy_suggestions(arrival=newcomer, today=TODAY) == []
    with pytest.raises(ValidationError, match=r"capacité \(1\) est atteinte"):
        buddy_assign(arrival=newcomer, buddy=volunteer.agent, user=rh, today=TODAY)
    newcomer.refresh_from_db()
    assert newcomer.buddy is None


def test_a_newcomer_of_long_ago_frees_the_place(newcomer, rh):
    volunteer = BuddyVolunteerFactory(capacity=1)
    ArrivalFactory(buddy=volunteer.agent, arrival_date=TODAY - BUDDY_PERIOD - timedelta(days=1))

    buddy_assign(arrival=newcomer, buddy=volunteer.agent, user=rh, today=TODAY)

    newcomer.refresh_from_db()
    assert newcomer.buddy == volunteer.agent


def test_confirming_a_buddy_tells_both_by_email(newcomer, agent, rh):
    volunteer = BuddyVolunteerFactory(capacity=2, agent=AgentFactory(first_name="Paul", last_name="Parrain"))

    buddy_assign(arrival=newcomer, buddy=volunteer.agent, user=rh, today=TODAY)

    to_buddy = OutgoingEmail.objects.get(to=volunteer.agent.email)
    to_newcomer = OutgoingEmail.objects.get(to=agent.email)
    assert to_buddy.subject == f"Vous parrainez {agent}"
    assert to_newcomer.subject == "Votre parrain ou marraine : Paul Parrain"


def test_capacity_is_a_volunteers_own_limit(newcomer, rh):
    volunteer = BuddyVolunteerFactory(capacity=2)
    ArrivalFactory(buddy=volunteer.agent, arrival_date=TODAY)
    buddy_assign(arrival=newcomer, buddy=volunteer.agent, user=rh, today=TODAY)
    third = ArrivalFactory(arrival_date=TODAY)
    with pytest.raises(ValidationError):
        buddy_assign(arrival=third, buddy=volunteer.agent, user=rh, today=TODAY)


def test_a_volunteer_capacity_stays_between_1_and_5(agent):
    with pytest.raises(ValidationError):
        volunteer_save(agent=agent, capacity=9)


def test_the_three_month_survey_goes_to_the_newcomer_and_their_buddy_once(rh):
    from surveys.models import Survey

    volunteer = BuddyVolunteerFactory(capacity=2)
    old = ArrivalFactory(arrival_date=TODAY - timedelta(days=95), buddy=volunteer.agent, created_by=rh)
    ArrivalFactory(arrival_date=TODAY - timedelta(days=80))  # not yet

    assert arrival_surveys_send(today=TODAY) == 2
    assert arrival_surveys_send(today=TODAY) == 0

    survey = Survey.objects.get()
    assert survey.title == "Votre accueil, trois mois après (arrivées du T1 2026)"
    assert set(survey.invitations.values_list("agent", flat=True)) == {old.agent_id, volunteer.agent_id}
    old.refresh_from_db()
    assert old.survey_sent_at is not None


def test_hr_reads_hundreds_of_volunteers_page_by_page_in_constant_queries(client, rh):
    from django.urls import reverse

    from onboarding.models import BuddyVolunteer
    from tests.intranet.test_query_counts import add_agents
    from tests.querycount import assert_same_queries

    unit, site = OrgUnitFactory(), SiteFactory()

    def volunteers(count, prefix):
        agents = add_agents(count, prefix=prefix, org_units=(unit,), sites=(site,))
        BuddyVolunteer.objects.bulk_create(BuddyVolunteer(agent=agent, capacity=2) for agent in agents)

    volunteers(10, "Dix")
    client.force_login(rh)
    url = reverse("onboarding:volunteer-list")
    assert_same_queries(client, url, grow=lambda: volunteers(300, "Trois"))
    page = client.get(url).text
    assert "310 volontaires" in page
    assert "Page 1 sur 7" in page
    assert page.count('<th scope="row">') == 50
