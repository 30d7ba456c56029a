"""Rich text for people who do not write HTML: communication@ writes a newsletter text block with
the editor's toolbar and the keyboard (a heading, a list, a link), saves it and reads it back on
the web version; what is pasted from elsewhere keeps only what the sanitiser keeps; an older text
written as HTML opens in the editor and comes back unchanged in meaning."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from newsletters.models import Block
from tests.e2e.conftest import (
    assert_no_axe_violations,
    assert_no_console_errors,
    login_as,
    paste_html,
    rich_text_editor,
)
from tests.newsletters.factories import IssueFactory

pytestmark = pytest.mark.browser


def test_communication_writes_a_heading_a_list_and_a_link_with_the_keyboard(page, axe, live_server, communication):
    issue = IssueFactory(title="Vis ma vie")
    login_as(page, live_server, communication)
    page.goto(live_server.url + reverse("newsletters:block-create", args=[issue.pk, "text"]))
    editor = rich_text_editor(page)
    toolbar = page.get_by_role("toolbar", name="Mise en forme du texte")
    toolbar.get_by_role("button", name="Titre de niveau 2").wait_for()
    assert_no_axe_violations(page, axe)

    editor.click()
    page.keyboard.press("Control+Alt+2")
    page.keyboard.type("Au programme")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+Shift+8")
    page.keyboard.type("Visite du centre technique")
    page.keyboard.press("Enter")
    page.keyboard.type("Atelier de réparation")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # leaves the list
    page.keyboard.type("Je m'inscris")
    link_button = toolbar.get_by_role("button", name="Insérer un lien")
    select_the_line(page, link_button)
    link_button.click()
    page.get_by_label("Adresse (URL)").fill("https://intranet.example.fr/inscriptions")
    page.get_by_role("button", name="Valider").click()
    assert_no_axe_violations(page, axe)
    page.get_by_role("button", name="Enregistrer le bloc").click()
    page.wait_for_url(live_server.url + reverse("newsletters:issue-edit", args=[issue.pk]))

    body = Block.objects.get(issue=issue).body
    assert body.startswith("<h2>Au programme</h2><ul>")
    assert "Atelier de réparation" in body
    assert '<a href="https://intranet.example.fr/inscriptions" rel="noopener noreferrer">Je m' in body

    page.get_by_role("link", name="Aperçu dans le navigateur").click()
    content = page.locator("#contenu")
    assert content.get_by_role("heading", name="Au programme", level=2).is_visible()
    items = content.get_by_role("listitem").filter(has_text="Visite du centre technique")
    assert items.count() == 1
    link = content.get_by_role("link", name="Je m'inscris")
    assert link.get_attribute("href") == "https://intranet.example.fr/inscriptions"
    assert_no_axe_violations(page, axe)
    assert_no_console_errors(page)


def select_the_line(page, link_button) -> None:
    """Shift+Home selects the line just typed, and the link button turns usable. On a loaded
    machine the editor may still be taking in the last keys and put its collapsed caret back
    after the browser moved the selection: as a person would, select again."""
    for _attempt in range(5):
        page.keyboard.press("End")
        page.keyboard.press("Shift+Home")
        try:
            expect(link_button).to_be_enabled(timeout=3000)
            return
        except AssertionError:
            continue
    expect(link_button).to_be_enabled()


def test_a_pasted_script_is_stripped_and_the_rest_kept(page, live_server, communication):
    issue = IssueFactory(title="Collage")
    login_as(page, live_server, communication)
    page.goto(live_server.url + reverse("newsletters:block-create", args=[issue.pk, "text"]))
    editor = rich_text_editor(page)
    paste_html(
        editor,
        '<p style="color:red" onclick="alert(1)">Quinze <b>réunions</b><img src=x onerror="alert(2)">'
        '<script>alert(3)</script> <a href="javascript:alert(4)">piège</a></p>'
        '<iframe src="https://example.com"></iframe><h1 class="x">Grand titre</h1>',
    )
    editor.get_by_text("Grand titre").wait_for()
    page.get_by_role("button", name="Enregistrer le bloc").click()
    page.wait_for_url(live_server.url + reverse("newsletters:issue-edit", args=[issue.pk]))
    body = Block.objects.get(issue=issue).body
    assert "Quinze <strong>réunions</strong>" in body
    for hostile in ("script", "onclick", "onerror", "javascript:", "<img", "iframe", "style=", "class=", "<h1"):
        assert hostile not in body, body


def test_an_older_html_text_round_trips_through_the_editor(page, live_server, communication):
    issue = IssueFactory(title="Ancien")
    block = Block.objects.create(
        issue=issue,
        kind=Block.Kind.TEXT,
        position=1,
        title="Ancien texte",
        body="<h3>Les rendez-vous</h3><p>Un texte <b>gras</b>, <em>penché</em> et "
        '<a href="mailto:rh@example.fr">un lien</a>.</p><ol><li>premier</li><li>second</li></ol>'
        "<blockquote><p>Une citation</p></blockquote>",
    )
    login_as(page, live_server, communication)
    page.goto(live_server.url + reverse("newsletters:block-update", args=[issue.pk, block.pk]))
    editor = rich_text_editor(page)
    editor.get_by_role("heading", name="Les rendez-vous").wait_for()
    original = block.body
    page.get_by_role("button", name="Enregistrer le bloc").click()
    page.wait_for_url(live_server.url + reverse("newsletters:issue-edit", args=[issue.pk]))
    block.refresh_from_db()
    assert block.body == original.replace('">un lien', '" rel="noopener noreferrer">un lien')  # untouched

    page.goto(live_server.url + reverse("newsletters:block-update", args=[issue.pk, block.pk]))
    editor.get_by_role("heading", name="Les rendez-vous").click()
    page.keyboard.press("End")
    page.keyboard.type(" de 2027")
    page.get_by_role("button", name="Enregistrer le bloc").click()
    page.wait_for_url(live_server.url + reverse("newsletters:issue-edit", args=[issue.pk]))
    block.refresh_from_db()
    assert block.body == (
        "<h3>Les rendez-vous de 2027</h3><p>Un texte <strong>gras</strong>, <em>penché</em> et "
        '<a href="mailto:rh@example.fr" rel="noopener noreferrer">un lien</a>.</p>'
        "<ol><li><p>premier</p></li><li><p>second</p></li></ol><blockquote><p>Une citation</p></blockquote>"
    )
