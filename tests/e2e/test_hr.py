"""HR in the browser: upload an HR export, read the preview, apply it; edit a unit. Zero axe
violations on the import, preview, result and unit edit pages."""

import pytest
from django.urls import reverse

from intranet.models import Agent
from tests.e2e.conftest import assert_no_axe_violations, assert_no_console_errors, login_as, pick
from tests.factories import OrgUnitFactory
from tests.intranet.directory.importfiles import agent_row, csv_bytes

pytestmark = pytest.mark.browser


def test_hr_uploads_a_file_sees_the_preview_and_applies_it(page, axe, live_server, rh, unit, site, tmp_path):
    path = tmp_path / "export-rh.csv"
    path.write_bytes(
        csv_bytes(
            [
                agent_row("W001", "Lefèvre", "Hélène", manager="W002"),
                agent_row("W002", "Durand", "Paul"),
                agent_row("W003", "Faux", "Jean", arrival="32/13/2024"),
                agent_row("W004", "Neuf", "Anne", unit="Service des sports"),
            ],
            encoding="cp1252",
        )
    )
    login_as(page, live_server, rh)

    page.get_by_role("button", name="Gestion").click()
    page.get_by_role("link", name="Agents et organigramme").click()
    page.get_by_role("link", name="Importer un fichier").click()
    assert page.url.endswith(reverse("directory:hr-import"))
    assert_no_axe_violations(page, axe)

    page.get_by_label("Fichier exporté du logiciel RH (CSV ou XLSX)").set_input_files(str(path))
    page.get_by_role("button", name="Voir l'aperçu").click()
    page.wait_for_selector("text=Lignes du fichier")
    assert page.get_by_text("2 nouveaux agents").is_visible()
    assert page.get_by_text("Date d'arrivée « 32/13/2024 » invalide : format attendu JJ/MM/AAAA").is_visible()
    assert page.get_by_text("Service « Service des sports » — lignes 5").is_visible()
    assert_no_axe_violations(page, axe)
    assert not Agent.objects.filter(matricule__startswith="W").exists()

    page.get_by_role("button", name="Appliquer l'import").click()
    page.wait_for_selector("text=Import appliqué")
    assert page.get_by_text(
        "2 agent(s) créé(s), 0 modifié(s), 0 inchangé(s), 2 ligne(s) en erreur ignorée(s)."
    ).is_visible()
    assert_no_axe_violations(page, axe)
    assert Agent.objects.get(matricule="W001").manager.matricule == "W002"
    assert not Agent.objects.filter(matricule="W004").exists()
    assert_no_console_errors(page)


def test_hr_edits_a_unit(page, axe, live_server, rh, unit):
    parent = OrgUnitFactory(name="Pôle ressources")
    login_as(page, live_server, rh)
    page.goto(live_server.url + reverse("directory:hr-unit-edit", kwargs={"pk": unit.pk}))
    assert_no_axe_violations(page, axe)
    page.get_by_label("Nom").fill("Direction des ressources humaines")
    pick(page, "Unité parente", "ressou", "Pôle ressources")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_selector("text=est enregistrée")
    unit.refresh_from_db()
    assert (unit.name, unit.parent) == ("Direction des ressources humaines", parent)
    assert_no_axe_violations(page, axe)
    page.goto(live_server.url + reverse("directory:hr-unit-merge", kwargs={"pk": unit.pk}))
    assert_no_axe_violations(page, axe)
    assert_no_console_errors(page)
