"""HR manages a card in the browser: the card's form, its steps and its indicators, zero axe
violations on each page, an error shown next to its field."""

import os

import pytest
from django.urls import reverse

from actions.models import CardChange
from tests.actions.factories import ActionCardFactory, IndicatorFactory, StepFactory
from tests.e2e.conftest import assert_no_axe_violations, console_errors, login_as

pytestmark = pytest.mark.browser


def _shot(page, name):
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], name), full_page=True)


def test_hr_edits_a_card_its_steps_and_indicators(page, axe, live_server, rh):
    card = ActionCardFactory(title="Créer une charte des services communs")
    StepFactory(card=card, position=1, title="Réunir le groupe de travail")
    StepFactory(card=card, position=2, title="Rédiger la charte")
    IndicatorFactory(card=card, definition="Nombre de services signataires")
    login_as(page, live_server, rh)
    page.goto(live_server.url + reverse("actions:card-detail", args=[card.pk]))

    page.get_by_role("link", name="Modifier la fiche").click()
    page.wait_for_url(live_server.url + reverse("actions:card-edit", args=[card.pk]))
    assert_no_axe_violations(page, axe)
    page.get_by_label("Date de début").fill("2025-06-01")
    page.get_by_label("Date de fin").fill("2024-01-01")
    page.get_by_role("button", name="Enregistrer la fiche").click()
    # The error summary links to the field; the field says it too.
    assert page.get_by_role("link", name="La date de fin doit suivre la date de début.").is_visible()
    assert page.locator(".invalid-feedback", has_text="La date de fin doit suivre la date de début.").is_visible()
    _shot(page, "card_edit_error.png")
    assert_no_axe_violations(page, axe)
    page.get_by_label("Date de fin").fill("2026-12-31")
    page.get_by_label("Intitulé").first.fill("Créer et faire vivre une charte des services communs")
    page.get_by_role("button", name="Enregistrer la fiche").click()
    page.wait_for_url(live_server.url + reverse("actions:card-detail", args=[card.pk]))
    assert page.get_by_role("heading", name="Créer et faire vivre une charte des services communs").is_visible()
    assert CardChange.objects.filter(card=card, field="title").exists()

    page.get_by_role("link", name="Gérer les étapes").click()
    page.wait_for_url(live_server.url + reverse("actions:card-steps", args=[card.pk]))
    assert_no_axe_violations(page, axe)
    page.get_by_role("button", name="Descendre l'étape 1").click()
    page.wait_for_url(live_server.url + reverse("actions:card-steps", args=[card.pk]))
    assert page.get_by_label("Intitulé de l'étape 1").input_value() == "Rédiger la charte"
    _shot(page, "card_steps.png")

    page.goto(live_server.url + reverse("actions:card-indicators", args=[card.pk]))
    assert_no_axe_violations(page, axe)
    _shot(page, "card_indicators.png")
    # The refused form answered 400 on purpose (the browser logs it); nothing else may be logged.
    unexpected = [e for e in console_errors(page) if not ("status of 400" in e and "/modifier/" in e)]
    assert not unexpected


def test_hr_exports_and_imports_a_plan(page, axe, live_server, rh, tmp_path):
    from actions.importer import plan_import_template_csv
    from actions.models import Plan

    ActionCardFactory(title="Une action du plan en cours")
    login_as(page, live_server, rh)
    page.goto(live_server.url + reverse("actions:plan-overview"))
    page.get_by_role("link", name="Exports").click()
    page.wait_for_url(live_server.url + reverse("actions:plan-exports"))
    assert_no_axe_violations(page, axe)

    page.get_by_role("link", name="Importer un plan").click()
    page.wait_for_url(live_server.url + reverse("actions:plan-import"))
    assert_no_axe_violations(page, axe)
    template = tmp_path / "modele.csv"
    template.write_bytes(plan_import_template_csv())
    page.get_by_label("Fichier du plan (CSV ou XLSX)").set_input_files(str(template))
    page.get_by_label("Titre du plan").fill("Projet d'administration de Testville")
    page.get_by_role("button", name="Vérifier le fichier").click()
    page.wait_for_url("**/plan/import/*/")
    assert page.get_by_text("à créer : 2").is_visible()
    _shot(page, "import_preview.png")
    assert_no_axe_violations(page, axe)
    page.get_by_role("button", name="Importer le plan").click()
    page.wait_for_url(live_server.url + reverse("actions:plan-overview"))
    assert page.get_by_text("2 fiche(s) créée(s)").is_visible()
    assert Plan.objects.get(is_current=True).title == "Projet d'administration de Testville"
    assert not console_errors(page)
