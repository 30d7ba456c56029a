"""Profiles in the browser: an agent edits their missions and uploads a photo, then sees it;
the profile, "mes données" and completion pages pass axe-core's WCAG 2.1 AA rules."""

import pytest
from django.urls import reverse

from tests.e2e.conftest import assert_no_axe_violations, assert_no_console_errors, login_as
from tests.intranet.directory.images import image_bytes

pytestmark = pytest.mark.browser


def test_agent_edits_missions_and_uploads_a_photo_then_sees_it(page, axe, live_server, agent):
    login_as(page, live_server, agent)
    # The yearly prompt on the home page leads to the profile.
    page.get_by_role("link", name="Mettre à jour mon profil").click()
    page.wait_for_url(live_server.url + reverse("directory:profile-edit"))
    assert_no_axe_violations(page, axe)
    assert page.locator(".agent-initials").is_visible()  # no photo yet

    page.get_by_label("Mes missions").fill("Préparer la paie des agents de la voirie.")
    page.get_by_label("Photo", exact=True).set_input_files(
        {"name": "moi.png", "mimeType": "image/png", "buffer": image_bytes("PNG", size=(800, 600), gps=True)}
    )
    page.get_by_label("Ajouter des compétences").fill("Paie, Tableurs")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()

    assert page.get_by_text("Votre profil est enregistré.").is_visible()
    photo = page.get_by_role("img", name="Photo de Hélène Dupont")
    assert photo.is_visible()
    assert photo.evaluate("img => img.complete && img.naturalWidth") == 160
    assert page.get_by_label("Mes missions").input_value() == "Préparer la paie des agents de la voirie."
    assert_no_axe_violations(page, axe)
    assert_no_console_errors(page)


def test_a_file_that_is_not_an_image_is_refused_in_french(page, axe, live_server, agent):
    login_as(page, live_server, agent)
    page.goto(live_server.url + reverse("directory:profile-edit"))
    page.get_by_label("Photo", exact=True).set_input_files(
        {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": b"<html><body>non</body></html>"}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    # The error summary links to the field; the field says it too.
    assert page.get_by_role("link", name="Ce fichier n'est pas une image JPEG, PNG ou WebP.").is_visible()
    assert page.locator(".invalid-feedback", has_text="Ce fichier n'est pas une image JPEG, PNG ou WebP.").is_visible()
    assert_no_axe_violations(page, axe)
    assert_no_console_errors(page)


def test_my_data_page_is_accessible(page, axe, live_server, agent):
    login_as(page, live_server, agent)
    page.goto(live_server.url + reverse("directory:my-data"))
    assert page.get_by_role("heading", name="Mes données personnelles").is_visible()
    assert_no_axe_violations(page, axe)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger mes données (JSON)").click()
    assert download.value.suggested_filename == "mes-donnees.json"
    assert_no_console_errors(page)


def test_hr_pages_are_accessible(page, axe, live_server, rh, agent):
    login_as(page, live_server, rh)
    page.goto(live_server.url + reverse("directory:completion"))
    assert page.get_by_role("heading", name="Complétude des profils").is_visible()
    assert_no_axe_violations(page, axe)
    page.get_by_role("link", name=str(agent)).click()
    page.wait_for_url(live_server.url + reverse("directory:agent-edit", kwargs={"pk": agent.pk}))
    assert_no_axe_violations(page, axe)
    page.goto(live_server.url + reverse("directory:agent-anonymise", kwargs={"pk": agent.pk}))
    assert page.get_by_text("n'a pas de date de départ").is_visible()
    assert_no_axe_violations(page, axe)
    assert_no_console_errors(page)
