"""HR reads the results of a survey the agents answered: figures, charts with their tables, the
threshold on a small session, the exports; zero axe violations."""

import pytest
from django.urls import reverse

from surveys.models import Invitation, Question
from surveys.services.answers import survey_answer_submit
from surveys.services.drafting import survey_create_from_template
from surveys.services.invitations import survey_invite
from surveys.services.questionnaire import survey_questions
from tests.e2e.conftest import assert_no_axe_violations, assert_no_console_errors, login_as
from tests.factories import AgentFactory

pytestmark = pytest.mark.browser


def _answer(invitation, questions, *, overall: str):
    by_label = {question.label: question for question in questions}
    survey_answer_submit(
        invitation=invitation,
        raw={
            by_label["Dans l'ensemble, êtes-vous satisfait(e) de la réunion ?"].field_name: [overall],
            by_label["Les informations présentées étaient-elles claires ?"].field_name: ["4"],
            by_label["Avez-vous pu poser vos questions ?"].field_name: ["oui"],
            by_label["Vos remarques et suggestions"].field_name: [f"Remarque de niveau {overall}"],
        },
    )


def test_hr_reads_the_results_of_a_survey_answered_by_agents(page, axe, live_server, agent, rh):
    survey = survey_create_from_template(template="meeting", title="Réunion d'information d'avril", author=rh)
    colleagues = [AgentFactory() for _ in range(6)]
    survey_invite(survey=survey, agents=[agent, *colleagues])
    questions = list(survey_questions(survey))
    for colleague, level in zip(colleagues, ["5", "5", "4", "4", "2", "1"], strict=True):  # in this order
        _answer(Invitation.objects.get(survey=survey, agent=colleague), questions, overall=level)

    login_as(page, live_server, rh)
    page.goto(live_server.url + reverse("surveys:survey-build", args=[survey.pk]))
    page.get_by_role("link", name="Résultats").click()
    page.wait_for_url(live_server.url + reverse("surveys:survey-results", args=[survey.pk]))

    # Six answered; an anonymous survey publishes by batches of five: the sixth waits for four more.
    assert page.get_by_text("5 répondants").first.is_visible()
    assert page.get_by_text("sur 7 personnes invitées, soit un taux de réponse de 71,4 %").is_visible()
    assert page.get_by_text("1 réponse reçue n'est pas encore publiée").is_visible()
    assert page.get_by_text("80,0 % de satisfaits").is_visible()
    overall = page.get_by_role("img", name="Dans l'ensemble, êtes-vous satisfait(e) de la réunion ?")
    assert overall.is_visible()
    # The chart's figures as a table, one click away (the page stays short).
    table = page.get_by_role("table", name="Réponses à « Dans l'ensemble, êtes-vous satisfait(e) de la réunion ? »")
    assert not table.is_visible()
    page.get_by_text("Les chiffres en tableau").first.click()
    assert table.get_by_role("row", name="5 — Très satisfait 2 40,0").is_visible()
    assert page.get_by_text("Remarque de niveau 2").is_visible()
    assert page.get_by_text("Remarque de niveau 1").count() == 0  # the sixth, not published
    assert Question.objects.filter(survey=survey).count() == len(questions)
    assert_no_axe_violations(page, axe)
    assert_no_console_errors(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Réponses (CSV)").click()
    content = download.value.path().read_text(encoding="utf-8-sig")
    assert len(content.splitlines()) == 6  # the header and the 5 published responses, nobody named
    assert agent.last_name not in content
