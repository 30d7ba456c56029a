"""Forms that failed, as a person meets them (the DSFR's and GOV.UK's pattern): each form below is
sent empty or wrong; the page's title starts with « Erreur : », the error summary has the focus,
each of its links moves the focus to its field (an editor or a picker included), and axe finds
nothing — at a desktop's width and a phone's."""

import re

import pytest
from django.urls import reverse

from surveys.services.drafting import survey_create_from_template
from surveys.services.invitations import survey_invite
from tests.e2e.conftest import assert_no_axe_violations, login_as
from tests.newsletters.factories import IssueFactory

pytestmark = pytest.mark.browser


def _summary_has_the_focus(page) -> None:
    assert page.title().startswith("Erreur : "), page.title()
    summary = page.locator("[data-error-summary]")
    summary.wait_for()
    page.wait_for_function("document.activeElement && document.activeElement.matches('[data-error-summary]')")


def _links_move_the_focus(page) -> list[str]:
    """Click each link of the summary; return the id (or data-focus-for) of what got the focus."""
    reached = []
    links = page.locator("[data-error-summary] a")
    for index in range(links.count()):
        links.nth(index).click()
        focused = page.evaluate(
            "() => { const e = document.activeElement; return e.getAttribute('data-focus-for') || e.id || e.tagName; }"
        )
        reached.append(focused)
    return reached


def _check(page, axe, expected_targets: list[str]) -> None:
    _summary_has_the_focus(page)
    assert_no_axe_violations(page, axe)
    reached = _links_move_the_focus(page)
    for target, focused in zip(expected_targets, reached, strict=True):
        assert re.fullmatch(target, focused), (target, focused)


@pytest.mark.parametrize("width", [1366, 375])
def test_the_login_form_sent_empty_then_wrong(page, axe, live_server, agent, width):
    page.set_viewport_size({"width": width, "height": 768})
    page.goto(live_server.url + reverse("account_login"))
    page.get_by_role("button", name="Se connecter").click()
    _check(page, axe, ["id_login", "id_password"])
    page.get_by_label("Courriel").fill(agent.email)
    page.get_by_label("Mot de passe").fill("pas-le-bon")
    page.get_by_role("button", name="Se connecter").click()
    _check(page, axe, ["id_login"])
    page.browser_errors.take()  # a refused login answers 200; nothing else is expected


def test_the_job_shadowing_wish_sent_empty(page, axe, live_server, agent):
    login_as(page, live_server, agent)
    page.goto(live_server.url + reverse("shadowing:visit-create"))
    page.get_by_role("button", name="Envoyer mon souhait").click()
    _check(page, axe, ["id_wished_job"])


def test_a_survey_sent_without_its_required_answers(page, axe, live_server, agent, rh):
    survey = survey_create_from_template(template="meeting", title="Réunion de mars", author=rh)
    survey_invite(survey=survey, agents=[agent])
    login_as(page, live_server, agent)
    page.goto(live_server.url + survey.get_absolute_url())
    page.get_by_role("button", name="Envoyer mes réponses").click()
    _summary_has_the_focus(page)
    assert_no_axe_violations(page, axe)
    reached = _links_move_the_focus(page)
    assert reached, "the summary lists the questions to answer"
    assert all(re.fullmatch(r"q\d+-\w+", focused) for focused in reached), reached  # a radio of the question
    page.browser_errors.take()  # the refused form answers 400, which Chromium logs


def test_the_profile_with_a_skill_too_long(page, axe, live_server, agent):
    login_as(page, live_server, agent)
    page.goto(live_server.url + reverse("directory:profile-edit"))
    page.get_by_label("Ajouter des compétences").fill("x" * 120)
    page.get_by_role("button", name=re.compile("Enregistrer")).first.click()
    _check(page, axe, ["id_new_skills"])


def test_a_newsletter_text_block_sent_empty(page, axe, live_server, communication):
    issue = IssueFactory(title="Numéro d'essai")
    login_as(page, live_server, communication)
    page.goto(live_server.url + reverse("newsletters:block-create", args=[issue.pk, "text"]))
    page.get_by_role("textbox", name="Texte").wait_for()
    page.get_by_role("button", name="Enregistrer le bloc").click()
    page.get_by_role("textbox", name="Texte").wait_for()  # the editor is back, in error
    _check(page, axe, ["id_body"])  # the link reaches the editor that stands for the textarea
    page.browser_errors.take()  # the refused form answers 400, which Chromium logs


def test_a_vacancy_sent_empty(page, axe, live_server, rh):
    login_as(page, live_server, rh)
    page.goto(live_server.url + reverse("vacancies:vacancy-create"))
    page.get_by_role("button", name=re.compile("Enregistrer")).first.click()
    _summary_has_the_focus(page)
    assert_no_axe_violations(page, axe)
    reached = _links_move_the_focus(page)
    assert "id_title" in reached
    assert all(focused.startswith("id_") for focused in reached), reached
