import pytest
from django.urls import reverse

from actions.permissions import can_edit_card, can_manage_plan, can_read_plan, can_review_plan, is_card_pilot
from intranet.roles import Role, has_role
from tests.actions.factories import ActionCardFactory, IndicatorFactory
from tests.factories import AgentFactory, OrgUnitFactory


def test_every_internal_agent_reads_the_plan_but_not_partners_or_anonymous(agent, partenaire):
    from django.contrib.auth.models import AnonymousUser

    assert can_read_plan(agent)
    assert not can_read_plan(partenaire)
    assert not can_read_plan(AnonymousUser())


def test_pilot_edits_their_own_card_only(db, pilote):
    mine, other = ActionCardFactory(), ActionCardFactory()
    mine.pilot_agents.add(pilote)
    assert is_card_pilot(pilote, mine)
    assert can_edit_card(pilote, mine)
    assert not can_edit_card(pilote, other)


def test_the_head_of_a_pilot_unit_pilots_the_card_and_the_role_follows_turnover(db):
    first, second = AgentFactory(), AgentFactory()
    unit = OrgUnitFactory(name="Direction générale des services", head=first)
    card = ActionCardFactory()
    card.pilot_units.add(unit)
    assert can_edit_card(first, card)
    assert has_role(first, Role.PILOT)
    unit.head = second
    unit.save()
    assert can_edit_card(second, card)
    first = type(first).objects.get(pk=first.pk)  # roles are cached on the user object
    assert not can_edit_card(first, card)
    assert not has_role(first, Role.PILOT)


def test_hr_and_admins_manage_the_plan_the_committee_reviews_it(agent, rh, copil, admin_user, partenaire):
    card = ActionCardFactory()
    assert can_manage_plan(rh)
    assert can_manage_plan(admin_user)
    assert not can_manage_plan(agent)
    assert not can_manage_plan(copil)
    assert can_edit_card(rh, card)
    assert not can_edit_card(copil, card)
    assert not can_edit_card(agent, card)
    assert can_review_plan(copil)
    assert can_review_plan(admin_user)
    assert not can_review_plan(agent)
    assert not can_review_plan(rh)
    assert not can_edit_card(partenaire, card)


def test_a_partner_never_pilots_even_if_named(db, partenaire):
    card = IndicatorFactory().card
    card.pilot_agents.add(partenaire)
    assert not can_edit_card(partenaire, card)


@pytest.mark.parametrize("url_name", ["actions:plan-overview", "actions:card-detail"])
def test_pages_are_open_to_agents_closed_to_partners_and_anonymous(client, agent, partenaire, url_name):
    card = ActionCardFactory()
    url = reverse(url_name, args=[card.pk] if url_name == "actions:card-detail" else [])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    client.force_login(partenaire)
    assert client.get(url).status_code == 403
    client.force_login(agent)
    assert client.get(url).status_code == 200


def test_unknown_card_is_404(client, agent):
    client.force_login(agent)
    assert client.get(reverse("actions:card-detail", args=[999999])).status_code == 404
