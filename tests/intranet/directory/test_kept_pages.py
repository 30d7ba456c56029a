"""The trombinoscope and the agent page kept a minute (intranet.kept): read again without their
lists' queries, renewed at once by a change made through the services (an import or a merge of
units included), and never showing a reader what only another reader may see: a hidden photo
(HR, the agent themselves), the links offered to someone else."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intranet.directory.selectors.orgchart import orgchart_changed
from intranet.directory.services.orgchart import orgunit_merge, orgunit_update
from intranet.directory.services.profile import agent_profile_update
from intranet.models import Agent
from tests.factories import AgentFactory, OrgUnitFactory
from tests.intranet.directory.orgchart_factories import jpeg_file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kept_pages")]

TROMBINOSCOPE = reverse("directory:trombinoscope")
WISH = reverse("shadowing:visit-create")


@pytest.fixture
def shy(unit, site, manager):
    """A colleague who hid their photo: HR and they themselves see it, nobody else."""
    return AgentFactory(
        first_name="Henri",
        last_name="Discret",
        org_unit=unit,
        site=site,
        manager=manager,
        photo=jpeg_file("h.jpg"),
        show_photo=False,
    )


def main(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def _visit(client, url, params=None) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries), response.content.decode()


def _profile(agent) -> str:
    return reverse("directory:agent-detail", kwargs={"pk": agent.pk})


def _photo_of(agent) -> str:
    return f'alt="Photo de {agent.get_full_name()}"'


# --- The trombinoscope --------------------------------------------------------------------------


def test_a_second_visit_reads_the_trombinoscope_as_kept(client, agent, unit):
    client.force_login(agent)
    first, html = _visit(client, TROMBINOSCOPE, {"unite": unit.pk})
    again, kept = _visit(client, TROMBINOSCOPE, {"unite": unit.pk})
    assert again < first
    assert main(kept) == main(html)
    assert "Hélène Dupont" in kept


def test_the_trombinoscope_shows_a_change_made_through_the_services_at_once(client, agent, manager, unit, rh):
    client.force_login(agent)
    _visit(client, TROMBINOSCOPE, {"unite": unit.pk})
    agent_profile_update(agent=manager, user=rh, data={"job_title": "Cheffe du service"})
    assert "Cheffe du service" in _visit(client, TROMBINOSCOPE, {"unite": unit.pk})[1]
    newcomer = OrgUnitFactory(name="Service de la paie")
    orgunit_update(user=rh, unit=newcomer, data={"parent": unit})
    Agent.objects.bulk_create(
        [Agent(email="importe@test.local", first_name="Ivan", last_name="Importé", org_unit=newcomer)]
    )
    orgchart_changed()  # what the HR import calls after its bulk writes
    assert "Ivan Importé" in _visit(client, TROMBINOSCOPE, {"unite": unit.pk})[1]


def test_the_trombinoscope_never_shows_a_photo_hr_saw_to_a_colleague(client, agent, rh, shy, unit):
    client.force_login(rh)
    assert _photo_of(shy) in _visit(client, TROMBINOSCOPE, {"unite": unit.pk})[1]
    client.force_login(shy)
    assert _photo_of(shy) in _visit(client, TROMBINOSCOPE, {"unite": unit.pk})[1]
    client.force_login(agent)
    assert _photo_of(shy) not in _visit(client, TROMBINOSCOPE, {"unite": unit.pk})[1]


def test_a_wrong_filter_read_as_kept_still_says_so_in_the_title(client, agent):
    client.force_login(agent)
    for _visit_number in range(2):
        assert "<title>Erreur : " in _visit(client, TROMBINOSCOPE, {"unite": "999999"})[1]


# --- The agent page -----------------------------------------------------------------------------


def test_a_second_visit_reads_the_agent_page_as_kept(client, agent, manager):
    client.force_login(agent)
    first, html = _visit(client, _profile(manager))
    again, kept = _visit(client, _profile(manager))
    assert again < first
    assert main(kept) == main(html)
    assert "Hélène Dupont" in kept  # her team


def test_the_agent_page_shows_a_change_made_through_the_services_at_once(client, agent, manager, unit, rh):
    client.force_login(agent)
    _visit(client, _profile(manager))
    data = {"missions": "Animer le service.", "phone": "03 83 00 00 01", "show_phone": True}
    agent_profile_update(agent=manager, user=manager, data=data)
    html = _visit(client, _profile(manager))[1]
    assert "Animer le service." in html
    assert "03 83 00 00 01" in html
    agent_profile_update(agent=manager, user=manager, data={"show_phone": False})
    assert "03 83 00 00 01" not in _visit(client, _profile(manager))[1]
    orgunit_update(user=rh, unit=unit, data={"name": "Service des carrières"})
    assert "Service des carrières" in _visit(client, _profile(manager))[1]
    merged = OrgUnitFactory(name="Direction des ressources")
    orgunit_merge(user=rh, source=unit, target=merged)  # re-points the agents in bulk
    assert "Direction des ressources" in _visit(client, _profile(manager))[1]


def test_the_agent_page_never_shows_what_hr_or_the_agent_saw_to_a_colleague(client, agent, rh, shy, manager):
    client.force_login(rh)
    assert _photo_of(shy) in _visit(client, _profile(shy))[1]
    assert _photo_of(shy) in _visit(client, _profile(manager))[1]  # in her team
    client.force_login(shy)
    own = _visit(client, _profile(shy))[1]
    assert _photo_of(shy) in own
    assert WISH not in own  # nobody asks to discover their own job
    client.force_login(agent)
    html = _visit(client, _profile(shy))[1]
    assert _photo_of(shy) not in html
    assert f"{WISH}?hote={shy.pk}" in html
    assert _photo_of(shy) not in _visit(client, _profile(manager))[1]


def test_the_link_to_ask_for_a_discovery_is_for_colleagues_only(client, agent, manager):
    client.force_login(agent)
    assert WISH not in _visit(client, _profile(agent))[1]
    client.force_login(manager)
    assert f"{WISH}?hote={agent.pk}" in _visit(client, _profile(agent))[1]
