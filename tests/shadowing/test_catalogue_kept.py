"""The catalogue of jobs to discover kept a minute (OFFER_CATALOGUE, intranet.kept): read again
without its list's queries, renewed at once by a change made through the services, and never
showing HR's button to an agent."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intranet.directory.services.profile import agent_profile_update
from onboarding.shadowing.services.campaigns import offer_save
from tests.shadowing.factories import CampaignFactory, OfferFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kept_pages")]

CATALOGUE = reverse("shadowing:offer-list")
CAMPAIGNS = reverse("shadowing:campaign-list")


def main(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def _visit(client, params=None) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CATALOGUE, params or {})
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_a_second_visit_reads_the_catalogue_as_kept(client, agent):
    CampaignFactory(title="Campagne de printemps")
    offer = OfferFactory(job_title="Travailleuse sociale")
    client.force_login(agent)
    first, html = _visit(client, {"site": offer.site_id})
    again, kept = _visit(client, {"site": offer.site_id})
    assert again < first
    assert main(kept) == main(html)
    assert "Travailleuse sociale" in kept
    assert "Campagne de printemps" in kept


def test_a_change_made_through_the_services_shows_at_once(client, agent, rh):
    offer = OfferFactory(job_title="Travailleuse sociale")
    client.force_login(agent)
    _visit(client)
    offer_save(user=offer.host, offer=offer, data={"job_title": "Assistante sociale"})
    assert "Assistante sociale" in _visit(client)[1]
    agent_profile_update(agent=offer.host, user=rh, data={"last_name": "Nouveau-Nom"})
    assert "Nouveau-Nom" in _visit(client)[1]
    offer_save(user=offer.host, offer=offer, data={"active": False})
    assert "Assistante sociale" not in _visit(client)[1]


def test_an_agent_never_gets_hrs_button(client, agent, rh):
    OfferFactory()
    client.force_login(rh)
    assert CAMPAIGNS in _visit(client)[1]
    client.force_login(agent)
    assert CAMPAIGNS not in _visit(client)[1]


def test_a_wrong_filter_read_as_kept_still_says_so_in_the_title(client, agent):
    OfferFactory()
    client.force_login(agent)
    for _visit_number in range(2):
        assert "<title>Erreur : " in _visit(client, {"service": "999999"})[1]
    assert "<title>Erreur : " not in _visit(client)[1]
