"""Profile completion: per agent (with links to the fields), per unit for HR, staleness."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from intranet.directory.selectors.profile import (
    COMPLETION_TOTAL,
    completion_by_unit,
    completion_incomplete_list,
    profile_completion,
)
from tests.factories import AgentFactory, OrgUnitFactory, SiteFactory, SkillFactory
from tests.querycount import assert_same_queries

pytestmark = pytest.mark.django_db


def _complete(agent, **extra):
    agent.photo = "photos/2026/x.jpg"
    agent.phone = "03 83 00 00 00"
    agent.missions = "Tout"
    agent.job_title = agent.job_title or "Agent"
    agent.org_unit = agent.org_unit or OrgUnitFactory()
    agent.site = agent.site or SiteFactory()
    agent.details_confirmed_at = timezone.now()
    for name, value in extra.items():
        setattr(agent, name, value)
    agent.save()
    agent.skills.add(SkillFactory())
    return agent


def test_missing_fields_link_to_the_agents_own_form_or_say_ask_hr(agent):
    agent.site = None
    agent.save(update_fields=["site"])
    completion = profile_completion(agent=agent, viewer=agent)
    by_name = {item.name: item for item in completion.missing}
    assert set(by_name) == {"photo", "phone", "missions", "skills", "site"}
    assert by_name["photo"].url == reverse("directory:profile-edit") + "#id_photo"
    assert by_name["site"].url is None  # HR fills it in
    assert completion.score == round(100 * 2 / COMPLETION_TOTAL)
    assert completion.stale


def test_hr_sees_links_to_their_edit_form(agent, rh):
    completion = profile_completion(agent=agent, viewer=rh)
    edit = reverse("directory:agent-edit", kwargs={"pk": agent.pk})
    assert {item.url for item in completion.missing} == {f"{edit}#id_{item.name}" for item in completion.missing}


def test_a_complete_confirmed_profile(agent):
    _complete(agent)
    completion = profile_completion(agent=agent, viewer=agent)
    assert (completion.score, completion.missing, completion.stale) == (100, [], False)


def test_staleness_after_a_year(agent):
    _complete(agent, details_confirmed_at=timezone.now() - datetime.timedelta(days=366))
    assert profile_completion(agent=agent, viewer=agent).stale


def test_per_unit_averages_and_counts(unit, manager, agent):
    _complete(manager)  # 100 %
    # agent: job, unit, site filled = 3 of 7
    other_unit = OrgUnitFactory(name="Voirie")
    _complete(AgentFactory(org_unit=other_unit), details_confirmed_at=timezone.now() - datetime.timedelta(days=400))
    AgentFactory(is_external=True, org_unit=unit)  # partners are not counted
    AgentFactory(org_unit=unit, is_active=False)  # nor former agents
    rows = {row["unit"]: row for row in completion_by_unit()}
    assert rows[unit.name]["agents"] == 2
    assert rows[unit.name]["average"] == round(100 * (7 + 3) / 2 / COMPLETION_TOTAL)
    assert rows[unit.name]["incomplete"] == 1
    assert rows[unit.name]["stale"] == 1
    assert rows["Voirie"] == {
        "unit_id": other_unit.pk,
        "unit": "Voirie",
        "agents": 1,
        "average": 100,
        "incomplete": 0,
        "stale": 1,
    }


def test_incomplete_list_has_incomplete_and_stale_profiles_least_complete_first(unit, manager, agent):
    _complete(manager)
    stale = _complete(AgentFactory(org_unit=unit), details_confirmed_at=timezone.now() - datetime.timedelta(days=400))
    listed = list(completion_incomplete_list(unit_id=unit.pk))
    assert listed == [agent, stale]
    assert completion_incomplete_list(unit_id=0).count() == 0


def test_completion_page_is_for_hr_and_lists_profiles(client, rh, agent, manager):
    client.force_login(rh)
    response = client.get(reverse("directory:completion"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Service des ressources humaines" in html
    assert str(agent) in html
    assert f"{reverse('directory:agent-edit', kwargs={'pk': agent.pk})}#id_photo" in html
    assert "À confirmer" in html


def test_completion_page_filters_by_unit(client, rh, agent):
    client.force_login(rh)
    response = client.get(reverse("directory:completion"), {"service": OrgUnitFactory().pk})
    assert str(agent) not in response.content.decode().split("Profils incomplets ou à confirmer")[-1]


def test_completion_page_query_count_does_not_grow(client, rh, unit):
    client.force_login(rh)

    def grow():
        units = [unit, *(OrgUnitFactory(name=f"Service {n}") for n in range(5))]
        for n in range(60):
            AgentFactory(org_unit=units[n % len(units)], site=SiteFactory() if n % 3 else None)

    assert_same_queries(client, reverse("directory:completion"), grow=grow)
