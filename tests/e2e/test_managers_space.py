"""The managers' space in a browser, at a desktop's width and a phone's: the space's page, the
questions, a question with its answers, asking (empty and wrong: the French error summary), answering,
marking the useful answer, hiding with a reason; zero axe violations, no console error. Agents and
partners find no link to it and are refused."""

import os
from pathlib import Path

import pytest

from content import services
from intranet.audiences import AudienceSpec
from intranet.roles import Role
from tests.content.factories import FolderFactory
from tests.e2e.conftest import assert_no_axe_violations, assert_no_console_errors, login_as
from tests.factories import AgentFactory

pytestmark = pytest.mark.browser

SCREENSHOT_DIR = os.environ.get("E2E_SCREENSHOT_DIR", "")
SIZES = {"desktop": (1366, 768), "phone": (375, 812)}


def _shot(page, name):
    if SCREENSHOT_DIR:
        Path(SCREENSHOT_DIR).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SCREENSHOT_DIR}/{name}.png", full_page=True)


def _check(page, axe):
    assert_no_axe_violations(page, axe)
    assert_no_console_errors(page)


@pytest.fixture
def board(manager):
    FolderFactory(
        title="Espace managers — Ressourcez-vous",
        slug="espace-managers",
        description="Guides et fiches réflexes.",
        audience=AudienceSpec(roles=(Role.MANAGER.value,)).to_json(),
    )
    other = AgentFactory(first_name="Paul", last_name="Chef")
    AgentFactory(manager=other)
    question = services.question_ask(
        user=manager, title="Comment garder le lien en télétravail ?", body="<p>Toute l'équipe est à distance.</p>"
    )
    services.answer_post(
        user=other, question=question, body="<p>Un point de <strong>15 minutes</strong> chaque matin.</p>"
    )
    return question


@pytest.mark.parametrize("role", ["manager", "communication"])
def test_the_space_and_its_pages_at_both_widths(role, request, page, axe, live_server, board):
    login_as(page, live_server, request.getfixturevalue(role))
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        for name, path in [
            ("space", "/espace-managers/"),
            ("questions", "/espace-managers/questions/"),
            ("question", board.get_absolute_url()),
            ("ask", "/espace-managers/questions/nouvelle/"),
        ]:
            page.goto(live_server.url + path)
            _shot(page, f"managers-{name}-{role}-{size}")
            _check(page, axe)
        if role == "communication":
            page.goto(live_server.url + f"/espace-managers/questions/{board.pk}/masquer/")
            _shot(page, f"managers-hide-{role}-{size}")
            _check(page, axe)


def test_ask_empty_then_answer_and_mark_useful(page, axe, live_server, manager, board):
    login_as(page, live_server, manager)
    page.goto(live_server.url + "/espace-managers/questions/nouvelle/")
    page.get_by_role("button", name="Publier la question").click()
    assert page.title().startswith("Erreur : ")
    page.browser_errors.take()  # the refused form answers 400, which Chromium logs
    summary = page.locator("[data-error-summary]")
    assert "Le formulaire contient des erreurs" in summary.inner_text()
    assert summary.evaluate("element => element === document.activeElement || element.contains(document.activeElement)")
    _shot(page, "managers-ask-errors")
    _check(page, axe)

    page.goto(live_server.url + board.get_absolute_url())
    page.get_by_role("button", name="Cette réponse m'a aidé").click()
    assert page.locator(".badge", has_text="Réponse utile").count() == 1
    _shot(page, "managers-question-useful")
    _check(page, axe)


def test_hide_without_a_reason_then_with_one(page, axe, live_server, communication, board):
    login_as(page, live_server, communication)
    page.goto(live_server.url + f"/espace-managers/questions/{board.pk}/masquer/")
    page.get_by_role("button", name="Masquer").click()
    assert page.title().startswith("Erreur : ")
    page.browser_errors.take()  # the refused form answers 400, which Chromium logs
    _check(page, axe)
    page.get_by_label("Motif").fill("Doublon d'une question déjà posée.")
    page.get_by_role("button", name="Masquer").click()
    assert "La question est masquée." in page.locator("body").inner_text()
    _check(page, axe)


@pytest.mark.parametrize("role", ["agent", "partenaire"])
def test_agents_and_partners_do_not_reach_it(role, request, page, live_server, board):
    login_as(page, live_server, request.getfixturevalue(role))
    page.goto(live_server.url + "/")
    assert page.locator("a[href='/espace-managers/']").count() == 0
    response = page.goto(live_server.url + "/espace-managers/")
    assert response.status == 403
    page.browser_errors.take()  # the browser logs the page's own 403
    _shot(page, f"managers-space-{role}-refused")
