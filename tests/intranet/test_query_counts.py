"""The core's pages issue as many queries with 1,000 more rows as without them."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import path, reverse

from intranet.models import Agent, AuditLogEntry, OrgUnit, Site
from tests.factories import AgentFactory
from tests.querycount import assert_same_queries

MORE = 1000


def add_agents(count, *, prefix="Masse", org_units=(None,), sites=(None,), manager=None, is_external=False):
    """`count` active agents spread over `org_units` and `sites`, created in one query."""
    return Agent.objects.bulk_create(
        Agent(
            email=f"{prefix.lower()}{n}@test.local",
            first_name=f"Prénom{n}",
            last_name=f"{prefix}{n}",
            matricule=f"{prefix[:3].upper()}{n:06d}",
            job_title="Agent d'accueil",
            password="!",
            org_unit=org_units[n % len(org_units)],
            site=sites[n % len(sites)],
            manager=manager,
            is_external=is_external,
            organisation="Lycée" if is_external else "",
        )
        for n in range(count)
    )


def add_units(count, *, head=None):
    site = Site.objects.create(name="Antenne de masse")
    units = OrgUnit.objects.bulk_create(OrgUnit(name=f"Unité {n}", head=head, site=site) for n in range(count))
    return units, site


@pytest.mark.parametrize("role", ["agent", "manager"])
def test_home_does_not_grow_with_the_agents(role, client, request, unit, site, manager, agent):
    user = request.getfixturevalue(role)
    client.force_login(user)

    def grow():
        others, other_site = add_units(20, head=manager)
        add_agents(MORE // 2, prefix="Collegue", org_units=[unit], sites=[site], manager=manager)
        add_agents(MORE // 2, prefix="Ailleurs", org_units=others, sites=[site, other_site])

    assert_same_queries(client, reverse("intranet:home"), grow, before_each=cache.clear)  # nothing kept


def test_search_does_not_grow_with_the_matches(client, agent, unit, site):
    AgentFactory.create_batch(3, last_name="Dubois", org_unit=unit, site=site)
    client.force_login(agent)

    def grow():
        units, other_site = add_units(20)
        add_agents(MORE, prefix="Dubois", org_units=[*units, None], sites=[site, other_site, None])

    assert_same_queries(client, reverse("intranet:search"), grow, data={"q": "dubois"})


def test_search_shows_a_limited_number_of_agents(client, agent, unit):
    add_agents(MORE, prefix="Dubois", org_units=[unit])
    client.force_login(agent)
    response = client.get(reverse("intranet:search"), {"q": "dubois"})
    assert response.text.count("@test.local</span>") == 8  # SEARCH_LIMIT_PER_PROVIDER


def test_audit_log_does_not_grow_with_the_entries(client, admin_user, agent, rh):
    agent_type = ContentType.objects.get_for_model(Agent)
    AuditLogEntry.objects.create(
        actor=rh,
        actor_label=str(rh),
        action="agent.update",
        target_type=agent_type,
        target_id=str(agent.pk),
        target_label=str(agent),
    )
    client.force_login(admin_user)

    def grow():
        actors = add_agents(50, prefix="Auteur")
        AuditLogEntry.objects.bulk_create(
            AuditLogEntry(
                actor=actors[n % len(actors)],
                actor_label=str(actors[n % len(actors)]),
                action="agent.update",
                target_type=agent_type,
                target_id=str(agent.pk),
                target_label=str(agent),
                ip_address="192.0.2.1",
                details={"n": n},
            )
            for n in range(MORE)
        )

    assert_same_queries(client, reverse("intranet:audit-log"), grow)


def test_partner_home_does_not_grow_with_the_agents(client, partenaire, unit):
    client.force_login(partenaire)

    def grow():
        add_agents(MORE // 2, prefix="Interne", org_units=[unit])
        add_agents(MORE // 2, prefix="Partenaire", is_external=True)

    assert_same_queries(client, reverse("intranet:home"), grow, before_each=cache.clear)  # nothing kept


def _n_plus_one(request):
    """A page that loads each agent's unit one query at a time: what the helper must catch."""
    names = [str(agent.org_unit) for agent in Agent.objects.all()]
    return HttpResponse(", ".join(names))


urlpatterns = [path("n-plus-one/", _n_plus_one)]


@pytest.mark.urls(__name__)
def test_the_helper_catches_a_page_that_grows(client, unit):
    with pytest.raises(pytest.fail.Exception, match=r"(?s)queries before growing the data.*Most repeated after:\n  3×"):
        assert_same_queries(client, "/n-plus-one/", lambda: AgentFactory.create_batch(3, org_unit=unit))
