import io

import pytest

from onboarding.shadowing import selectors
from onboarding.shadowing.demo import CURRENT_TITLE, PAST_TITLE, demo_seed
from onboarding.shadowing.models import Campaign, Offer, Visit
from tests.factories import AgentFactory, OrgUnitFactory, SiteFactory

pytestmark = pytest.mark.django_db


def test_the_demo_runs_a_season_as_the_ccas_did_and_is_idempotent():
    units, site = OrgUnitFactory.create_batch(30), SiteFactory()
    for i in range(100):
        AgentFactory(org_unit=units[i % 30], site=site)
    demo_seed(stdout=io.StringIO())
    demo_seed(stdout=io.StringIO())  # a second run adds nothing
    past, current = Campaign.objects.get(title=PAST_TITLE), Campaign.objects.get(title=CURRENT_TITLE)
    figures = selectors.campaign_figures(campaign=past)
    assert figures["requests"] == 50
    assert figures["participants"] == 40
    assert figures["visits"] == 24
    assert Offer.objects.count() == 24
    assert not Offer.objects.filter(host__in=[unit.head for unit in units if unit.head]).exists()
    assert selectors.reports_published().exists()
    assert current.accepts_wishes()
    assert current.visits.filter(state=Visit.State.WISH).exists()


def test_the_demo_finds_hosts_when_the_first_agents_all_head_a_unit():
    # The reference size (500 units): seed_demo creates every unit's head first, so the first 400
    # agents were all heads, none of whom hosts — the campaigns had no offer and seeding failed.
    site = SiteFactory()
    units = OrgUnitFactory.create_batch(420)
    for unit in units:
        unit.head = AgentFactory(org_unit=unit, site=site)
        unit.save(update_fields=["head"])
    for i in range(100):
        AgentFactory(org_unit=units[i % 30], site=site, job_title=f"Agent de restauration {i % 10}")
    demo_seed(stdout=io.StringIO())
    assert Offer.objects.count() == 24
    assert not Offer.objects.filter(host__in=[unit.head for unit in units]).exists()
    assert Campaign.objects.get(title=PAST_TITLE).visits.filter(state=Visit.State.EVALUATED).exists()
