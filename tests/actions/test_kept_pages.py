"""The plan's pages kept a minute for everyone who reads them the same way (actions.kept_pages): a
change made through a service shows at once, a reader never gets an editor's buttons (nor the other
way round), and a second visit reads less."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import ActionCard
from actions.services.cards import card_update
from actions.services.indicators import measurement_record
from actions.services.steps import card_step_set_state
from intranet.directory.services.profile import agent_profile_update
from tests.actions.factories import ActionCardFactory, IndicatorFactory, StepFactory

pytestmark = pytest.mark.usefixtures("kept_pages")

EDITOR_BUTTON = "Modifier la fiche"
PILOT_BUTTON = "Mettre à jour dans « Mes actions »"
REFRESH_BUTTON = "Relever maintenant les valeurs des indicateurs alimentés"
IMPORT_TAB = reverse("actions:plan-import")


@pytest.fixture
def card(pilote):
    card = ActionCardFactory(title="Former les agents au reporting")
    card.pilot_agents.add(pilote)
    StepFactory(card=card, position=1, title="Recenser les besoins")
    return card


def read(client, user, url) -> tuple[str, int]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.text, len(queries)


def card_url(card) -> str:
    return reverse("actions:card-detail", args=[card.pk])


def test_card_page_shows_a_change_made_through_a_service_at_once(client, agent, rh, pilote, card):
    read(client, agent, card_url(card))
    card_update(card=card, user=rh, data={"status": ActionCard.Status.LATE})
    card_step_set_state(step=card.steps.get(), user=pilote, state="realisee")
    text, _queries = read(client, agent, card_url(card))
    assert "En retard</span>" in text
    assert "1 étape(s) réalisée(s) sur 1" in text

    indicator = IndicatorFactory(card=card, definition="Agents formés", target=100)
    measurement_record(indicator=indicator, user=pilote, date=datetime.date(2025, 3, 1), value=42)
    text, _queries = read(client, agent, card_url(card))
    assert "Agents formés" in text
    assert "Les données du graphique (1 mesure)" in text


def test_card_page_shows_a_pilots_new_job_title_at_once(client, agent, rh, pilote, card):
    read(client, agent, card_url(card))
    agent_profile_update(agent=pilote, user=rh, data={"job_title": "Chargée de la formation"})
    assert f"{pilote}, Chargée de la formation" in read(client, agent, card_url(card))[0]


def test_card_page_gives_each_reader_their_own_buttons(client, agent, rh, pilote, card):
    text, _queries = read(client, rh, card_url(card))
    assert EDITOR_BUTTON in text
    text, _queries = read(client, agent, card_url(card))
    assert EDITOR_BUTTON not in text
    assert PILOT_BUTTON not in text
    text, _queries = read(client, pilote, card_url(card))
    assert PILOT_BUTTON in text
    assert EDITOR_BUTTON not in text
    assert EDITOR_BUTTON in read(client, rh, card_url(card))[0]


def test_card_page_is_read_from_the_cache_on_a_second_visit(client, agent, pilote, card):
    IndicatorFactory(card=card, target=100)
    first = read(client, agent, card_url(card))
    second = read(client, agent, card_url(card))
    assert second[1] < first[1] - 5, (first[1], second[1])


def test_card_page_keeps_its_body_around_a_pilots_own_refresh_form(client, agent, pilote, card):
    IndicatorFactory(card=card, source="evenements.inscrits")
    first = read(client, pilote, card_url(card))
    second = read(client, pilote, card_url(card))
    assert REFRESH_BUTTON in second[0]
    assert 'name="csrfmiddlewaretoken"' in second[0]
    assert second[1] < first[1] - 5, (first[1], second[1])
    assert REFRESH_BUTTON not in read(client, agent, card_url(card))[0]


@pytest.mark.parametrize("url_name", ["actions:plan-overview", "actions:plan-calendar"])
def test_plan_pages_show_a_change_made_through_a_service_at_once(client, agent, rh, card, url_name):
    url = reverse(url_name)
    assert "Former les agents au reporting" in read(client, agent, url)[0]
    card_update(card=card, user=rh, data={"title": "Former les encadrants au reporting"})
    text, _queries = read(client, agent, url)
    assert "Former les encadrants au reporting" in text
    assert "Former les agents au reporting" not in text


@pytest.mark.parametrize("url_name", ["actions:plan-overview", "actions:plan-calendar"])
def test_plan_pages_show_the_import_tab_to_managers_only(client, agent, rh, card, url_name):
    url = reverse(url_name)
    assert IMPORT_TAB in read(client, rh, url)[0]
    assert IMPORT_TAB not in read(client, agent, url)[0]
    assert IMPORT_TAB in read(client, rh, url)[0]


@pytest.mark.parametrize("url_name", ["actions:plan-overview", "actions:plan-calendar"])
def test_plan_pages_are_read_from_the_cache_on_a_second_visit(client, agent, card, url_name):
    ActionCardFactory.create_batch(3, objective=card.objective)
    first = read(client, agent, reverse(url_name))
    second = read(client, agent, reverse(url_name))
    assert second[1] < first[1] - 2, (first[1], second[1])
