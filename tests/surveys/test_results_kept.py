"""The results page keeps its figures a minute for every manager asking for the same group
(surveys.results_views.RESULTS_PAGE): an answer shows at once, with the thresholds and the hidden
groups it changes; each group is kept apart; nobody else gets them; a second visit reads less."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from surveys.models import Question
from surveys.services.answers import survey_answer_submit
from tests.surveys.factories import InvitationFactory, QuestionFactory, SectionFactory, SessionFactory, SurveyFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kept_pages")]


def _survey(rh, *, anonymous: bool):
    """Two meetings, seven people invited to each; one satisfaction question."""
    survey = SurveyFactory(title="Réunions d'information : votre avis", authors=[rh], anonymous=anonymous)
    survey.scale = QuestionFactory(
        section=SectionFactory(survey=survey), kind=Question.Kind.SCALE, label="Satisfaction globale ?"
    )
    survey.metz = SessionFactory(survey=survey, label="Metz", order=1)
    survey.nancy = SessionFactory(survey=survey, label="Nancy", order=2)
    survey.invited = {
        session: [InvitationFactory(survey=survey, session=session) for _ in range(7)]
        for session in (survey.metz, survey.nancy)
    }
    return survey


def _answer(survey, session, count: int, level: str = "4"):
    for invitation in [i for i in survey.invited[session] if not i.answered][:count]:
        survey_answer_submit(invitation=invitation, raw={survey.scale.field_name: [level]})
        invitation.answered = True


def _results(client, user, survey, **params) -> tuple[str, int]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("surveys:survey-results", args=[survey.pk]), params)
    assert response.status_code == 200
    return response.text, len(queries)


def _satisfaction_of(html: str, label: str) -> str:
    row = html.split(f">{label}</a>")[1].split("</tr>")[0]
    return row.rsplit('<td class="text-end">', 1)[1].split("</td>")[0]


def test_answers_submitted_through_the_service_show_at_once_in_their_batches(client, rh):
    survey = _survey(rh, anonymous=True)
    assert "0 répondant" in _results(client, rh, survey)[0]
    _answer(survey, survey.metz, 4)
    html = _results(client, rh, survey)[0]
    assert "4 réponses reçues ne sont pas encore publiées" in html
    _answer(survey, survey.metz, 1)
    html = _results(client, rh, survey)[0]
    assert "5 répondants" in html
    assert "réponses reçues ne sont pas encore publiées" not in html


def test_a_new_small_group_hides_at_once_the_group_it_could_be_subtracted_from(client, rh):
    survey = _survey(rh, anonymous=False)
    _answer(survey, survey.metz, 6, level="5")
    assert _satisfaction_of(_results(client, rh, survey)[0], "Metz") == "100,0 %"
    _answer(survey, survey.nancy, 3, level="1")  # Nancy (3) hidden: the survey minus Metz would give it
    html = _results(client, rh, survey)[0]
    assert _satisfaction_of(html, "Metz") == "masqué"
    assert "moins de 5 réponses" in _satisfaction_of(html, "Nancy")
    assert "Satisfaction globale ?" in html  # the whole survey (9) is still shown
    metz = _results(client, rh, survey, session=survey.metz.pk)[0]
    assert "Les résultats de ce groupe sont masqués" in metz


def test_each_group_asked_for_is_kept_apart(client, rh):
    survey = _survey(rh, anonymous=False)
    _answer(survey, survey.metz, 5)
    _answer(survey, survey.nancy, 5)
    overall = _results(client, rh, survey)[0]
    assert "10 répondants" in overall
    assert 'id="par-session"' in overall
    metz = _results(client, rh, survey, session=survey.metz.pk)[0]
    assert "Participation — session « Metz »" in metz
    assert "5 répondants" in metz
    assert 'id="par-session"' not in metz
    assert "10 répondants" in _results(client, rh, survey)[0]


def test_nobody_else_gets_the_kept_figures(client, rh, agent):
    survey = _survey(rh, anonymous=True)
    _answer(survey, survey.metz, 5)
    _results(client, rh, survey)
    client.force_login(agent)
    assert client.get(reverse("surveys:survey-results", args=[survey.pk])).status_code == 403


def test_a_second_visit_reads_the_figures_from_the_cache(client, rh):
    survey = _survey(rh, anonymous=True)
    _answer(survey, survey.metz, 5)
    first = _results(client, rh, survey)
    second = _results(client, rh, survey)
    assert "5 répondants" in second[0]
    assert 'name="csrfmiddlewaretoken"' in second[0]  # the PDF form, drawn at each visit
    assert second[1] < first[1] - 5, (first[1], second[1])


def test_each_manager_gets_their_own_pdf_form_with_the_filters_asked(client, rh, admin_user):
    """The page is kept, but the « Rapport PDF » form carries each reader's own token and the
    filters of the address."""
    import re

    survey = _survey(rh, anonymous=True)
    _answer(survey, survey.metz, 6)
    first, _ = _results(client, rh, survey, session=survey.metz.pk)
    second, _ = _results(client, admin_user, survey, session=survey.metz.pk)

    def pdf_form(html: str) -> str:
        return re.search(r'<form method="post" action="[^"]*/rapport/">.*?</form>', html, re.S).group(0)

    assert f'<input type="hidden" name="session" value="{survey.metz.pk}">' in pdf_form(first)
    assert f'<input type="hidden" name="session" value="{survey.metz.pk}">' in pdf_form(second)
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    assert token.search(pdf_form(first)).group(1) != token.search(pdf_form(second)).group(1)
    assert 'name="unit"' not in pdf_form(first)  # an anonymous survey has no unit filter
