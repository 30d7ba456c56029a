"""The newsletter in the browser: communication@ writes an issue (with hostile HTML pasted in its
text), chooses its audience and sends it; agent@ finds it in the archive and reads it — no
dialog fires, no console error or CSP refusal, zero axe violations on every page on the way."""

import pytest
from django.urls import reverse

from mailing.models import Mailing
from newsletters.models import Issue
from tests.e2e.conftest import (
    assert_no_axe_violations,
    assert_no_console_errors,
    login_as,
    nav_go,
    paste_html,
    rich_text_editor,
)
from tests.newsletters.test_services import XSS_CORPUS

pytestmark = pytest.mark.browser


def _watch_dialogs(page) -> list[str]:
    dialogs: list[str] = []

    def on_dialog(dialog):
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return dialogs


def test_communication_writes_and_sends_an_issue_that_agent_reads(
    browser, page, axe, live_server, communication, agent
):
    dialogs = _watch_dialogs(page)
    login_as(page, live_server, communication)
    page.goto(live_server.url + reverse("newsletters:issue-manage"))
    assert_no_axe_violations(page, axe)
    page.get_by_role("link", name="Nouveau numéro").click()
    assert_no_axe_violations(page, axe)
    page.get_by_label("Titre").fill("Bienvenue aux personnels des lycées")
    page.get_by_label("Édito").fill("Cette lettre vous est dédiée.\n\nÉcrivez-nous !")
    page.get_by_role("button", name="Créer le numéro").click()
    issue = Issue.objects.get()
    page.wait_for_url(live_server.url + reverse("newsletters:issue-edit", args=[issue.pk]))
    assert page.get_by_text("Le numéro est créé.").is_visible()
    assert_no_axe_violations(page, axe)

    # A text block with the whole XSS corpus pasted in the middle of real text.
    page.get_by_role("link", name="Texte", exact=True).click()
    assert_no_axe_violations(page, axe)
    page.get_by_label("Titre du bloc").fill("Les réunions d'information")
    editor = rich_text_editor(page)
    paste_html(editor, "<p>Quinze réunions, <strong>90 % de participation</strong>.</p>" + "".join(XSS_CORPUS))
    editor.get_by_text("90 % de participation").wait_for()
    page.get_by_role("button", name="Enregistrer le bloc").click()
    page.wait_for_url(live_server.url + reverse("newsletters:issue-edit", args=[issue.pk]))
    # An agenda block, then moved above the text (htmx, in place).
    page.get_by_role("link", name="Agenda", exact=True).click()
    page.get_by_label("Dates").fill("03/12/2026 Réunion d'information au lycée Fabert")
    page.get_by_role("button", name="Enregistrer le bloc").click()
    page.wait_for_url(live_server.url + reverse("newsletters:issue-edit", args=[issue.pk]))
    with page.expect_response(lambda response: "/deplacer/" in response.url):
        page.get_by_role("button", name="Monter Agenda").click()
    page.wait_for_function("document.querySelector('#blocs li').textContent.includes('Agenda')")
    assert list(issue.blocks.values_list("kind", flat=True)) == ["agenda", "text"]
    # The pointer now rests on the next "Monter" button: let its hover transition end (axe would
    # measure the colours half-way) by moving away first.
    page.mouse.move(0, 0)
    page.wait_for_timeout(400)
    assert_no_axe_violations(page, axe)

    # The audience, with the shared form.
    page.get_by_role("link", name="Choisir le public").click()
    assert_no_axe_violations(page, axe)
    page.get_by_label("Tous les agents").check()
    page.get_by_role("button", name="Enregistrer le public").click()
    page.wait_for_url(live_server.url + reverse("newsletters:issue-edit", args=[issue.pk]))

    # The preview in the browser: the hostile HTML is inert.
    page.get_by_role("link", name="Aperçu dans le navigateur").click()
    assert page.get_by_text("90 % de participation").is_visible()
    assert_no_axe_violations(page, axe)
    page.go_back()

    # Send now: the mailing's control page takes over.
    page.get_by_role("link", name="Envoyer ou programmer…").click()
    assert_no_axe_violations(page, axe)
    page.get_by_role("button", name="Confirmer l'envoi").click()
    mailing = Mailing.objects.get()
    page.wait_for_url(live_server.url + reverse("mailing:mailing-detail", args=[mailing.pk]))
    assert mailing.deliveries.filter(agent=agent).exists()
    assert_no_console_errors(page)

    # agent@ reads it in the archive.
    context = browser.new_context(locale="fr-FR", base_url=live_server.url)
    reader = context.new_page()
    reader_errors: list[str] = []
    reader.on("console", lambda message: message.type == "error" and reader_errors.append(message.text))
    reader.on("pageerror", lambda exc: reader_errors.append(str(exc)))
    reader_dialogs = _watch_dialogs(reader)
    login_as(reader, live_server, agent)
    nav_go(reader, "Communication", "Lettre « Bienvenue »")
    reader.wait_for_url(live_server.url + reverse("newsletters:issue-list"))
    assert_no_axe_violations(reader, axe)
    reader.get_by_label("Rechercher dans les numéros").fill("participation")
    reader.locator("#contenu").get_by_role("button", name="Rechercher").click()
    link = reader.get_by_role("link", name=f"Bienvenue n° {issue.number} — Bienvenue aux personnels des lycées")
    link.click()
    reader.wait_for_url(live_server.url + issue.get_absolute_url())
    assert reader.get_by_role("heading", name="Bienvenue aux personnels des lycées").is_visible()
    assert reader.get_by_text("Réunion d'information au lycée Fabert").is_visible()
    reader.mouse.move(200, 400)
    reader.wait_for_timeout(300)
    assert_no_axe_violations(reader, axe)
    assert reader.locator("script:not([src])").count() == 0
    assert reader.locator("iframe, svg[onload], [onerror], [onclick], [onmouseover]").count() == 0
    context.close()
    assert not reader_errors, reader_errors
    assert not dialogs
    assert not reader_dialogs
