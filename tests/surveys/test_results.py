"""The results of a survey: figures computed in the database, the threshold of 5, sessions,
filters (identified surveys only), exports that keep anonymity, the PDF report, the indicator feed."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from actions.indicator_sources import indicator_source_get
from surveys.models import Answer, Question, Response, ResponseIdentity
from surveys.results import ResultFilters, session_overview, survey_results, survey_satisfaction_rate
from surveys.results_plugins import results_pdf_render
from tests.factories import AgentFactory, OrgUnitFactory
from tests.querycount import assert_same_queries
from tests.surveys.factories import (
    ChoiceFactory,
    QuestionFactory,
    SectionFactory,
    SessionFactory,
    SurveyFactory,
)

pytestmark = pytest.mark.django_db


def _respond(survey, answers: dict, *, session=None, agent=None):
    """Store one published response as the answer service would: {question: value} (a list for
    multiple choice). Publication by batches is tested in test_disclosure.py."""
    response = Response.objects.create(survey=survey, session=session, published=True)
    if agent is not None:
        ResponseIdentity.objects.create(response=response, survey=survey, agent=agent)
    rows = []
    for question, value in answers.items():
        for one in value if isinstance(value, list) else [value]:
            if question.is_choice:
                rows.append(Answer(response=response, question=question, choice=one))
            elif question.kind == Question.Kind.DATE:
                rows.append(Answer(response=response, question=question, date_value=one))
            elif question.kind in Question.TEXT_KINDS:
                rows.append(Answer(response=response, question=question, text=one))
            else:
                rows.append(Answer(response=response, question=question, number=Decimal(one)))
    Answer.objects.bulk_create(rows)
    return response


@pytest.fixture
def meeting(rh):
    """Seed 000's questionnaire in small: a satisfaction scale, an NPS, a yes/no, a multiple choice, a text."""
    survey = SurveyFactory(title="Réunions d'information : votre avis", authors=[rh])
    section = SectionFactory(survey=survey)
    survey.scale = QuestionFactory(section=section, kind=Question.Kind.SCALE, label="Satisfaction globale ?")
    survey.nps = QuestionFactory(section=section, kind=Question.Kind.NPS, label="Recommanderiez-vous ?")
    survey.yesno = QuestionFactory(section=section, kind=Question.Kind.YES_NO, label="Avez-vous appris ?")
    survey.multi = QuestionFactory(section=section, kind=Question.Kind.MULTIPLE, label="Quels thèmes ?")
    survey.themes = [ChoiceFactory(question=survey.multi, label=label) for label in ("Carrière", "Paie", "Congés")]
    survey.text = QuestionFactory(section=section, kind=Question.Kind.LONG_TEXT, label="Remarques ?")
    return survey


def _fill_meeting(survey, levels, *, session=None):
    for index, level in enumerate(levels):
        _respond(
            survey,
            {
                survey.scale: level,
                survey.nps: (10, 9, 7, 3)[index % 4],
                survey.yesno: index % 2,
                survey.multi: [survey.themes[0], survey.themes[index % 3]] if index % 3 else [survey.themes[0]],
                survey.text: f"Remarque n° {index}",
            },
            session=session,
        )


def _result(results, question):
    return next(r for r in results.questions if r.question.pk == question.pk)


def test_figures_are_counts_percentages_satisfaction_nps_and_means(meeting):
    _fill_meeting(meeting, [5, 5, 4, 4, 4, 3, 2, 1])

    results = survey_results(survey=meeting)

    assert results.respondents == 8
    assert not results.hidden
    scale = _result(results, meeting.scale)
    assert [bar.count for bar in scale.bars] == [1, 1, 1, 3, 2]
    assert scale.satisfaction == Decimal("62.5")  # 5 of 8 in the top two levels
    assert scale.mean == Decimal("3.50")
    assert results.headline is scale
    nps = _result(results, meeting.nps)  # 10, 9, 7, 3 twice: 4 promoters, 2 passives, 2 detractors
    assert (nps.promoters, nps.passives, nps.detractors, nps.nps) == (
        Decimal("50.0"),
        Decimal("25.0"),
        Decimal("25.0"),
        25,
    )
    assert [(bar.label, bar.count) for bar in _result(results, meeting.yesno).bars] == [("Oui", 4), ("Non", 4)]
    multi = _result(results, meeting.multi)  # percentages of the respondents, a person ticks several
    assert [(bar.label, bar.count, bar.percent) for bar in multi.bars] == [
        ("Carrière", 8, Decimal("100.0")),
        ("Paie", 3, Decimal("37.5")),
        ("Congés", 2, Decimal("25.0")),
    ]
    assert sorted(_result(results, meeting.text).texts) == sorted(f"Remarque n° {i}" for i in range(8))


def test_fewer_than_five_respondents_show_no_figure(meeting, client, rh):
    _fill_meeting(meeting, [5, 5, 4, 1])

    results = survey_results(survey=meeting)
    assert results.hidden
    assert all(not r.bars and not r.texts and r.satisfaction is None for r in results.questions)

    client.force_login(rh)
    page = client.get(reverse("surveys:survey-results", args=[meeting.pk])).content.decode()
    assert "les résultats ne sont pas affichés pour protéger l'anonymat" in page
    assert "Remarque n° 1" not in page
    assert "% satisfaits" not in page


def test_a_question_answered_by_fewer_than_five_hides_its_detail(meeting):
    _fill_meeting(meeting, [5, 4, 4, 3, 2, 1])
    for response in list(Response.objects.filter(survey=meeting))[:2]:
        Answer.objects.filter(response=response, question=meeting.text).delete()

    text = _result(survey_results(survey=meeting), meeting.text)

    assert text.answered == 4
    assert text.hidden
    assert text.texts == []


def test_sessions_have_their_own_results_and_the_threshold_applies_to_each(meeting, client, rh):
    big, small = SessionFactory(survey=meeting, label="Metz"), SessionFactory(survey=meeting, label="Nancy")
    _fill_meeting(meeting, [5, 5, 5, 4, 1, 2], session=big)
    _fill_meeting(meeting, [1, 1, 5], session=small)

    rows = {row.session.label: row for row in session_overview(survey=meeting, headline=meeting.scale)}
    assert rows["Nancy"].hidden
    assert rows["Nancy"].satisfaction is None
    # Metz is big enough, but the whole survey minus Metz would be Nancy: hidden too (secondary).
    assert (rows["Metz"].respondents, rows["Metz"].hidden, rows["Metz"].satisfaction) == (6, True, None)
    assert survey_results(survey=meeting, filters=ResultFilters(session=small)).hidden
    overall = survey_results(survey=meeting)
    assert overall.respondents == 9
    assert _result(overall, meeting.scale).satisfaction == Decimal("55.6")

    client.force_login(rh)
    page = client.get(reverse("surveys:survey-results", args=[meeting.pk]), {"session": small.pk}).content.decode()
    assert "3 répondants seulement dans ce groupe" in page

    third = SessionFactory(survey=meeting, label="Thionville")
    _fill_meeting(meeting, [4, 4, 4, 5, 5], session=third)  # Nancy (3) and Thionville (5) hidden: 8 ≥ 5
    rows = {row.session.label: row for row in session_overview(survey=meeting, headline=meeting.scale)}
    assert (rows["Metz"].hidden, rows["Metz"].satisfaction) == (False, Decimal("66.7"))
    assert rows["Thionville"].hidden


def test_unit_filter_exists_for_identified_surveys_only(rh, client):
    service = OrgUnitFactory(name="Service des routes")
    survey = SurveyFactory(anonymous=False, authors=[rh])
    scale = QuestionFactory(section=SectionFactory(survey=survey), kind=Question.Kind.SCALE)
    for level in (5, 5, 4, 4, 1):
        _respond(survey, {scale: level}, agent=AgentFactory(org_unit=service))
    for level in (1, 1, 1, 1, 1):  # without a unit: the remainder outside the service is 0 or at least 5
        _respond(survey, {scale: level}, agent=AgentFactory(org_unit=None))

    in_service = survey_results(survey=survey, filters=ResultFilters(unit=service))
    assert in_service.respondents == 5
    assert _result(in_service, scale).satisfaction == Decimal("80.0")

    client.force_login(rh)
    page = client.get(reverse("surveys:survey-results", args=[survey.pk])).content.decode()
    assert 'name="unit"' in page
    anonymous = SurveyFactory(anonymous=True, authors=[rh])
    page = client.get(reverse("surveys:survey-results", args=[anonymous.pk]), {"unit": service.pk}).content.decode()
    assert 'name="unit"' not in page
    assert "Le filtre par unité ou par site n'existe pas" in page


def test_results_page_queries_do_not_grow_with_answers(meeting, client, rh):
    SessionFactory(survey=meeting, label="Metz")
    _fill_meeting(meeting, [5, 4, 3, 2, 1, 5])
    client.force_login(rh)

    assert_same_queries(
        client, reverse("surveys:survey-results", args=[meeting.pk]), lambda: _fill_meeting(meeting, [5, 4, 4, 3] * 50)
    )


def test_csv_export_of_an_anonymous_survey_names_nobody(meeting, client, rh):
    _fill_meeting(meeting, [5, 4, 3, 2, 1])
    Answer.objects.filter(question=meeting.text).update(text='=HYPERLINK("http://x")')
    client.force_login(rh)

    response = client.get(reverse("surveys:survey-results-export", args=[meeting.pk, "csv"]))

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [  # no session column: the survey has none
        "Satisfaction globale ?",
        "Recommanderiez-vous ?",
        "Avez-vous appris ?",
        "Quels thèmes ?",
        "Remarques ?",
    ]
    assert len(rows) == 6
    assert sorted(row[0] for row in rows[1:]) == ["1", "2", "3", "4", "5"]
    assert all(row[4].startswith("'=") for row in rows[1:])  # a formula stays text


def test_xlsx_export_of_an_identified_survey_says_who_answered(rh, client):
    survey = SurveyFactory(anonymous=False, authors=[rh])
    scale = QuestionFactory(section=SectionFactory(survey=survey), kind=Question.Kind.SCALE, label="Satisfait ?")
    agents = [AgentFactory(last_name=f"Agent{i}") for i in range(5)]
    for agent in agents:
        _respond(survey, {scale: 4}, agent=agent)
    client.force_login(rh)

    response = client.get(reverse("surveys:survey-results-export", args=[survey.pk, "xlsx"]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Nom", "Prénom", "E-mail")
    assert rows[0][-1] == "Satisfait ?"
    assert sorted(row[0] for row in rows[1:]) == [f"Agent{i}" for i in range(5)]


def test_export_below_the_threshold_is_refused_with_its_reason(meeting, client, rh):
    _fill_meeting(meeting, [5, 4])
    client.force_login(rh)

    response = client.get(reverse("surveys:survey-results-export", args=[meeting.pk, "csv"]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("surveys:survey-results", args=[meeting.pk])
    assert "l&#x27;export est refusé pour protéger l&#x27;anonymat" in response.content.decode()


def test_pdf_report_reads_back_with_its_figures(meeting):
    _fill_meeting(meeting, [5, 5, 4, 4, 4, 3, 2, 1])

    filename, pdf = results_pdf_render(survey=meeting.pk)

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert filename.startswith("resultats-reunions")
    assert filename.endswith(".pdf")
    assert "Réunions d'information : votre avis" in text
    assert "8 répondants" in text
    assert "62,5 % satisfaits" in text
    assert "NPS : 25" in text
    assert "Remarque n° 7" in text


def test_pdf_is_asked_from_the_page_and_rendered_by_the_document_machinery(meeting, client, rh):
    _fill_meeting(meeting, [5, 4, 3, 2, 1])
    client.force_login(rh)

    response = client.post(reverse("surveys:survey-results-pdf", args=[meeting.pk]))

    assert response.status_code == 302
    assert "/documents/" in response["Location"]


def test_satisfaction_feeds_an_action_plan_indicator(meeting):
    source = indicator_source_get(f"surveys.satisfaction:{meeting.pk}")
    assert source is not None
    assert source.compute(str(meeting.pk)) is None  # no answer yet: below the threshold
    _fill_meeting(meeting, [5, 5, 4, 4, 4, 3, 2, 1])
    assert source.compute(str(meeting.pk)) == survey_satisfaction_rate(meeting) == Decimal("62.5")
    assert (str(meeting.pk), meeting.title) in source.choices()
