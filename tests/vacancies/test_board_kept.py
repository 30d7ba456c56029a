"""The vacancies board kept a minute (vacancies.selectors.VACANCY_BOARD, intranet.kept): read again
without its list's queries, renewed at once by a change made through the services, and never
showing one agent's « Intérêt manifesté » to another."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intranet.directory.services.orgchart import orgunit_update
from tests.factories import AgentFactory
from tests.vacancies.factories import VacancyFactory
from vacancies.services.interests import interest_express
from vacancies.services.postings import vacancy_close, vacancy_update

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kept_pages")]

LIST = reverse("vacancies:vacancy-list")


def _visit(client, params=None) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST, params or {})
    assert response.status_code == 200
    return len(queries), response.content.decode()


def main(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def test_a_second_visit_reads_the_board_as_kept(client, agent):
    VacancyFactory(title="Gestionnaire de paie")
    VacancyFactory(title="Chargé de mission mobilités")
    client.force_login(agent)
    first, html = _visit(client, {"category": "B"})
    again, kept = _visit(client, {"category": "B"})
    assert again < first
    assert main(kept) == main(html)
    assert "Chargé de mission mobilités" in kept


def test_a_change_made_through_the_services_shows_at_once(client, agent, rh):
    vacancy = VacancyFactory(title="Gestionnaire de paie")
    client.force_login(agent)
    _visit(client)
    vacancy_update(vacancy=vacancy, user=rh, title="Responsable de la paie")
    assert "Responsable de la paie" in _visit(client)[1]
    orgunit_update(user=rh, unit=vacancy.org_unit, data={"name": "Direction des finances"})
    assert "Direction des finances" in _visit(client)[1]
    vacancy_close(vacancy=vacancy, user=rh)
    assert "Responsable de la paie" not in _visit(client)[1]


def test_an_agent_never_sees_another_agents_interest(client, agent):
    vacancy = VacancyFactory(title="Gestionnaire de paie")
    interest_express(vacancy=vacancy, agent=agent, message="Ce poste m'intéresse.")
    colleague = AgentFactory()
    client.force_login(agent)
    assert "Intérêt manifesté" in _visit(client)[1]
    client.force_login(colleague)
    assert "Intérêt manifesté" not in _visit(client)[1]
    interest_express(vacancy=vacancy, agent=colleague, message="Moi aussi.")
    assert "Intérêt manifesté" in _visit(client)[1]


def test_a_wrong_filter_read_as_kept_still_says_so_in_the_title(client, agent):
    VacancyFactory()
    client.force_login(agent)
    for _visit_number in range(2):
        html = _visit(client, {"category": "Z"})[1]
        assert "<title>Erreur : " in html
    assert "<title>Erreur : " not in _visit(client)[1]
