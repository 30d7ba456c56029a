"""A pilot in the browser: "Mes actions", change a step's state in place (htmx), zero axe
violations on the page."""

import pytest
from django.urls import reverse

from actions.models import CardChange, Step
from tests.actions.factories import ActionCardFactory, IndicatorFactory, StepFactory
from tests.e2e.conftest import assert_no_axe_violations, assert_no_console_errors, login_as, nav_go

pytestmark = pytest.mark.browser


def test_pilot_changes_a_step_state_in_place(page, axe, live_server, pilote):
    card = ActionCardFactory(title="Créer une charte des services communs")
    card.pilot_agents.add(pilote)
    step = StepFactory(card=card, position=1, title="Réunir le groupe de travail")
    IndicatorFactory(card=card, definition="Nombre de services signataires")
    login_as(page, live_server, pilote)

    nav_go(page, "Projet d'administration", "Mes actions")
    page.wait_for_url(live_server.url + reverse("actions:my-cards"))
    assert page.get_by_text("Créer une charte des services communs").is_visible()
    assert_no_axe_violations(page, axe)

    page.get_by_label("État de l'étape 1").select_option("realisee")
    with page.expect_response(lambda r: reverse("actions:step-update", args=[card.pk, step.pk]) in r.url):
        page.get_by_role("button", name="Enregistrer l'état de l'étape 1").click()
    page.wait_for_function(f"document.querySelector('#etape-{step.pk}-state').value === 'realisee'")
    step.refresh_from_db()
    assert step.state == Step.State.DONE
    assert CardChange.objects.filter(card=card, field="step:1").exists()
    assert page.url == live_server.url + reverse("actions:my-cards")
    page.mouse.move(0, 0)  # the swapped-in button is under the pointer: let its hover transition end
    page.wait_for_timeout(400)
    assert_no_axe_violations(page, axe)
    assert_no_console_errors(page)
