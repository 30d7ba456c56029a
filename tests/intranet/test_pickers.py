"""Search-as-you-type pickers (intranet/pickers.py): a page holds the chosen value only, the search
answers what the person may see, and without JavaScript a typed name is looked up on the server."""

import pytest
from django.urls import reverse

from onboarding.shadowing.models import ApproverAbsence as Absence
from tests.factories import AgentFactory, OrgUnitFactory, SkillFactory
from tests.html import Page
from tests.onboarding.factories import BuddyVolunteerFactory

pytestmark = pytest.mark.django_db

ABSENCE = reverse("shadowing:absence")


def _search(client, key, q):
    return client.get(reverse(f"intranet:picker-{key}"), {"q": q})


def test_the_agents_search_answers_the_best_matches_first_as_json(client, agent):
    AgentFactory(first_name="Bruno", last_name="Marchal")
    AgentFactory(first_name="Marc", last_name="Aubert")
    for index in range(30):
        AgentFactory(first_name=f"Prénom{index}", last_name="Marchand")
    client.force_login(agent)
    results = _search(client, "agents", "marchal").json()["results"]
    assert results[0]["text"] == "Marchal Bruno"
    assert len(_search(client, "agents", "march").json()["results"]) == 20  # a page of the best, not all


def test_the_agents_search_leaves_out_departed_agents_and_partners(client, agent):
    AgentFactory(last_name="Zébulon", is_active=False)
    AgentFactory(last_name="Zébulon", is_external=True, organisation="Lycée")
    client.force_login(agent)
    assert _search(client, "agents", "zebulon").json()["results"] == []


def test_a_partner_cannot_enumerate_agents_units_or_skills(client, partenaire):
    client.force_login(partenaire)
    for key in ("agents", "services", "sites", "competences"):
        assert _search(client, key, "du").status_code == 403


def test_the_buddies_search_is_for_hr_and_lists_volunteers_only(client, agent, rh):
    volunteer = BuddyVolunteerFactory(agent=AgentFactory(last_name="Parrain", first_name="Paul")).agent
    AgentFactory(last_name="Parrain", first_name="Pierre")  # not a volunteer
    client.force_login(agent)
    assert _search(client, "parrains", "parrain").status_code == 403
    client.force_login(rh)
    assert [r["value"] for r in _search(client, "parrains", "parrain").json()["results"]] == [str(volunteer.pk)]


def test_units_and_skills_are_searched_by_any_word_without_accents(client, agent):
    OrgUnitFactory(name="Direction des ressources humaines", short_name="DRH")
    OrgUnitFactory(name="Service des espaces verts")
    SkillFactory(name="Électricité")
    client.force_login(agent)
    assert [r["text"] for r in _search(client, "services", "drh").json()["results"]] == [
        "Direction des ressources humaines (DRH)"
    ]
    assert [r["text"] for r in _search(client, "services", "RESSOURCES humaines").json()["results"]] == [
        "Direction des ressources humaines (DRH)",
        "Service des ressources humaines",  # the agent fixture's unit
    ]
    assert [r["text"] for r in _search(client, "competences", "electr").json()["results"]] == ["Électricité"]


def test_the_absence_page_lists_no_agent_until_one_is_chosen(client, manager, django_assert_max_num_queries):
    AgentFactory.create_batch(50)
    client.force_login(manager)
    page = Page(client.get(ABSENCE).text)
    substitute = page.by_id("id_substitute")
    assert substitute.get("data-picker") == reverse("intranet:picker-agents")
    assert [option.get("value") for option in page.all("#id_substitute option")] == [""]
    assert page.by_id("id_substitute__recherche").get("name") == "substitute__recherche"


def test_without_javascript_a_typed_name_is_looked_up(client, manager):
    chosen = AgentFactory(first_name="Ségolène", last_name="Suppléante")
    client.force_login(manager)
    response = client.post(
        ABSENCE, {"starts_on": "2026-12-01", "ends_on": "2026-12-10", "substitute__recherche": "segolene suppl"}
    )
    assert response.status_code == 302
    assert Absence.objects.get().substitute == chosen


def test_without_javascript_an_ambiguous_name_is_refused_with_the_candidates(client, manager):
    AgentFactory(first_name="Anne", last_name="Durand")
    AgentFactory(first_name="Alain", last_name="Durand")
    client.force_login(manager)
    response = client.post(
        ABSENCE, {"starts_on": "2026-12-01", "ends_on": "2026-12-10", "substitute__recherche": "durand"}
    )
    page = Page(response.text)
    assert page.by_id("id_substitute").get("aria-invalid") == "true"
    error = page.text("#id_substitute_error")
    assert "Plusieurs choix correspondent à « durand »" in error
    assert "Durand Anne" in error
    assert "Durand Alain" in error
    assert page.by_id("id_substitute__recherche").get("value") == "durand"  # kept, to be made precise
    assert not Absence.objects.exists()


def test_a_chosen_agent_is_the_only_option_when_the_form_comes_back(client, manager):
    chosen = AgentFactory(first_name="Ségolène", last_name="Suppléante")
    client.force_login(manager)
    response = client.post(ABSENCE, {"starts_on": "2026-12-10", "ends_on": "2026-12-01", "substitute": chosen.pk})
    page = Page(response.text)
    options = page.all("#id_substitute option")
    assert [(o.get("value"), o.get("selected") is not None) for o in options] == [("", False), (str(chosen.pk), True)]
