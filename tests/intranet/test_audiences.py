"""Audiences: the shared rule of who receives a newsletter, a survey or a mailing."""

import pytest
from django.contrib.auth.models import Group

from intranet.audiences import (
    AudienceForm,
    AudienceSpec,
    audience_agents,
    audience_describe,
    audience_includes,
    audience_member,
)
from intranet.models import Agent, SavedAudience
from tests.factories import AgentFactory, OrgUnitFactory, SiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    direction = OrgUnitFactory(name="Direction de l'éducation")
    lycees = OrgUnitFactory(name="Service des lycées", parent=direction)
    routes = OrgUnitFactory(name="Service des routes")
    fabert, siege = SiteFactory(name="Lycée Fabert"), SiteFactory(name="Siège")
    return {
        "cook": AgentFactory(last_name="Cuisinier", org_unit=lycees, site=fabert, category="C"),
        "head": AgentFactory(last_name="Proviseur", org_unit=direction, site=siege, category="A"),
        "road": AgentFactory(last_name="Routier", org_unit=routes, site=siege, category="C"),
        "partner": AgentFactory(last_name="Partenaire", is_external=True),
        "gone": AgentFactory(last_name="Parti", org_unit=lycees, is_active=False),
        "units": (direction, lycees, routes),
        "sites": (fabert, siege),
    }


def _names(spec):
    return sorted(agent.last_name for agent in audience_agents(spec=spec))


def test_everyone_means_active_internal_agents(world):
    assert _names(AudienceSpec(everyone=True)) == ["Cuisinier", "Proviseur", "Routier"]


def test_a_unit_includes_its_sub_units(world):
    direction = world["units"][0]
    assert _names(AudienceSpec(units=(direction.pk,))) == ["Cuisinier", "Proviseur"]


def test_filters_of_different_kinds_all_apply(world):
    direction, _lycees, routes = world["units"]
    spec = AudienceSpec(units=(direction.pk, routes.pk), categories=("C",))
    assert _names(spec) == ["Cuisinier", "Routier"]
    spec = AudienceSpec(sites=(world["sites"][1].pk,), categories=("C",))
    assert _names(spec) == ["Routier"]


def test_roles_hand_picked_agents_and_partners_are_added(world):
    Group.objects.get_or_create(name="rh")[0].user_set.add(world["road"])
    world["units"][0].head = world["head"]
    world["units"][0].save()
    assert _names(AudienceSpec(roles=("rh", "manager"))) == ["Proviseur", "Routier"]
    assert _names(AudienceSpec(agents=(world["cook"].pk, world["gone"].pk), partners=True)) == [
        "Cuisinier",
        "Partenaire",
    ]


def test_spec_round_trips_through_json(world):
    spec = AudienceSpec(everyone=True, units=(3,), categories=("A", "B"), agents=(7,), partners=True)
    assert AudienceSpec.from_json(spec.to_json()) == spec
    assert "except_sites" not in spec.to_json()  # the specs stored before it existed read the same
    spec = AudienceSpec(everyone=True, except_sites=(4, 5))
    assert AudienceSpec.from_json(spec.to_json()) == spec


def test_except_sites_leaves_out_their_agents_but_not_those_named_by_hand(world):
    fabert, siege = world["sites"]
    nowhere = AgentFactory(last_name="Itinérant", site=None)
    assert _names(AudienceSpec(everyone=True, except_sites=(siege.pk,))) == ["Cuisinier", nowhere.last_name]
    spec = AudienceSpec(everyone=True, except_sites=(siege.pk,), agents=(world["road"].pk,), partners=True)
    assert _names(spec) == ["Cuisinier", nowhere.last_name, "Partenaire", "Routier"]
    assert audience_describe(spec=AudienceSpec(everyone=True, except_sites=(siege.pk, fabert.pk))) == (
        "Les agents hors des sites Lycée Fabert, Siège"
    )


def test_describe_says_who_in_french(world):
    spec = AudienceSpec(sites=(world["sites"][0].pk,), categories=("C",), partners=True)
    assert audience_describe(spec=spec) == (
        "Les agents des sites Lycée Fabert de catégorie C ; les partenaires extérieurs"
    )
    assert audience_describe(spec=AudienceSpec()) == "Personne"
    assert audience_describe(spec=AudienceSpec(roles=("manager",))) == "Les agents ayant le rôle Encadrants"


def test_includes_says_of_each_agent_what_audience_agents_lists(world):
    """The rule read the other way (a person reading news or a folder) agrees with the list."""
    Group.objects.get_or_create(name="rh")[0].user_set.add(world["road"])
    direction, lycees, routes = world["units"]
    direction.head = world["head"]
    direction.save()
    specs = [
        AudienceSpec(everyone=True),
        AudienceSpec(units=(direction.pk,)),
        AudienceSpec(units=(direction.pk, routes.pk), categories=("C",)),
        AudienceSpec(sites=(world["sites"][1].pk,), roles=("rh",)),
        AudienceSpec(roles=("manager",)),
        AudienceSpec(agents=(world["cook"].pk,), partners=True),
        AudienceSpec(everyone=True, except_sites=(world["sites"][0].pk,)),
        AudienceSpec(units=(direction.pk,), except_sites=(world["sites"][1].pk,), agents=(world["head"].pk,)),
        AudienceSpec(),
    ]
    for spec in specs:
        listed = set(audience_agents(spec=spec).values_list("pk", flat=True))
        for agent in Agent.objects.active():
            assert audience_includes(spec=spec, member=audience_member(agent)) == (agent.pk in listed), (spec, agent)


def test_form_names_an_unknown_address_and_refuses_an_empty_audience(world):
    form = AudienceForm(data={"emails": f"{world['cook'].email}\ninconnu@example.org"})
    assert not form.is_valid()
    assert "inconnu@example.org" in str(form.errors["emails"])
    form = AudienceForm(data={})
    assert not form.is_valid()
    assert "Choisissez au moins un destinataire" in str(form.errors)


def test_form_builds_on_a_saved_list(world):
    saved = SavedAudience.objects.create(name="Agents des lycées", spec=AudienceSpec(categories=("C",)).to_json())
    form = AudienceForm(data={"saved": saved.pk, "emails": world["head"].email})
    assert form.is_valid(), form.errors
    assert form.spec == AudienceSpec(categories=("C",), agents=(world["head"].pk,))
    assert _names(form.spec) == ["Cuisinier", "Proviseur", "Routier"]
