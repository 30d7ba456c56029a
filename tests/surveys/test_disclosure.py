"""What a curious organiser can learn from the results of a survey, tried through the pages.

Issue 13: results of an anonymous survey change only in batches that never isolate one new answer
(publication by groups of at least 5 per session), the invitations page of an anonymous survey says
how many answered but not who, every export, PDF and chart applies the threshold of 5 to every
group, a hidden group cannot be rebuilt by subtraction (secondary suppression), and the extremes
of number and date answers are given as ranges.
"""

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from actions.indicator_sources import indicator_source_get
from surveys.models import Answer, Question, Response, ResponseIdentity, Survey
from surveys.results import ResultFilters, session_overview, survey_results
from surveys.results_plugins import results_pdf_render
from surveys.services.answers import survey_answer_submit
from surveys.services.status import survey_close
from tests.factories import AgentFactory, OrgUnitFactory, SiteFactory
from tests.surveys.factories import InvitationFactory, QuestionFactory, SectionFactory, SessionFactory, SurveyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(rh):
    """An anonymous survey of two information meetings: a satisfaction scale, a seniority, an arrival
    date, a free text; seven people invited to meeting A, seven to meeting B."""
    survey = SurveyFactory(title="Réunions d'information : votre avis", authors=[rh], anonymous=True)
    section = SectionFactory(survey=survey)
    survey.scale = QuestionFactory(section=section, kind=Question.Kind.SCALE, label="Satisfaction globale ?")
    survey.seniority = QuestionFactory(section=section, kind=Question.Kind.NUMBER, label="Ancienneté (années) ?")
    survey.arrival = QuestionFactory(section=section, kind=Question.Kind.DATE, label="Date d'arrivée ?")
    survey.text = QuestionFactory(section=section, kind=Question.Kind.LONG_TEXT, label="Remarques ?")
    survey.a = SessionFactory(survey=survey, label="Réunion A", order=1)
    survey.b = SessionFactory(survey=survey, label="Réunion B", order=2)
    survey.invitations_a = [InvitationFactory(survey=survey, session=survey.a) for _ in range(7)]
    survey.invitations_b = [InvitationFactory(survey=survey, session=survey.b) for _ in range(7)]
    return survey


def _answer(survey, invitation, *, level="4", seniority="3", arrival="2020-09-01", text=""):
    """One invitee answers through their personal link, as they would in the browser."""
    link = reverse("surveys:answer-token", args=[invitation.token()])
    response = Client().post(
        link,
        {
            survey.scale.field_name: level,
            survey.seniority.field_name: seniority,
            survey.arrival.field_name: arrival,
            survey.text.field_name: text,
            "action": "submit",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def _section(html: str, anchor: str) -> str:
    start = html.index(f'aria-labelledby="{anchor}"')
    return html[start : html.index("</section>", start)]


def _results(client, survey, **params) -> str:
    response = client.get(reverse("surveys:survey-results", args=[survey.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def _csv(client, survey) -> list[list[str]] | None:
    response = client.get(reverse("surveys:survey-results-export", args=[survey.pk, "csv"]))
    if response.status_code != 200:
        return None
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def _store(survey, answers: dict, *, session=None, agent=None, published=True):
    """A response stored as earlier versions did (published at once), for the suppression rules."""
    response = Response.objects.create(survey=survey, session=session, published=published)
    if agent is not None:
        ResponseIdentity.objects.create(response=response, survey=survey, agent=agent)
    rows = []
    for question, value in answers.items():
        if question.kind == Question.Kind.DATE:
            rows.append(Answer(response=response, question=question, date_value=value))
        elif question.kind in Question.TEXT_KINDS:
            rows.append(Answer(response=response, question=question, text=value))
        else:
            rows.append(Answer(response=response, question=question, number=Decimal(value)))
    Answer.objects.bulk_create(rows)
    return response


# --- 1. Publication in batches; who answered is not shown per person -----------------------------


def test_an_organiser_watching_the_pages_never_sees_one_new_answer(client, rh, meeting):
    client.force_login(rh)
    seen_results, seen_exports = [], []
    for index, invitation in enumerate(meeting.invitations_a[:6]):
        _answer(meeting, invitation, level=str(1 + index % 5), text=f"Remarque de la personne {index}")
        html = _results(client, meeting)
        seen_results.append(_section(html, "par-question"))
        seen_exports.append(_csv(client, meeting))
    # Answers 1 to 4: nothing published, the page and the export say nothing of them.
    assert all("Remarque de la personne" not in page for page in seen_results[:4])
    assert seen_results[0] == seen_results[1] == seen_results[2] == seen_results[3]
    assert seen_exports[:4] == [None] * 4
    # The fifth answer publishes the five together...
    assert all(f"Remarque de la personne {i}" in seen_results[4] for i in range(5))
    assert len(seen_exports[4]) == 1 + 5
    # ...and the sixth changes nothing until four more arrive in its session.
    assert seen_results[5] == seen_results[4]
    assert "Remarque de la personne 5" not in seen_results[5]
    assert seen_exports[5] == seen_exports[4]
    assert "1 réponse reçue n'est pas encore publiée" in _results(client, meeting)


def test_batches_are_counted_per_session_so_no_session_grows_by_one(client, rh, meeting):
    for invitation in meeting.invitations_a[:4]:
        _answer(meeting, invitation)
    for invitation in meeting.invitations_b[:5]:
        _answer(meeting, invitation)
    published = set(Response.objects.filter(survey=meeting, published=True).values_list("session__label", flat=True))
    assert published == {"Réunion B"}  # A's four answers wait for a fifth in A
    _answer(meeting, meeting.invitations_a[4])
    assert Response.objects.filter(survey=meeting, published=False).count() == 0


def test_the_action_plan_indicator_moves_only_with_a_publication(meeting):
    source = indicator_source_get("surveys.satisfaction")
    for invitation in meeting.invitations_a[:5]:
        _answer(meeting, invitation, level="5")
    assert source.compute(str(meeting.pk)) == Decimal("100.0")
    _answer(meeting, meeting.invitations_a[5], level="1")
    assert source.compute(str(meeting.pk)) == Decimal("100.0")  # the lone unhappy answer waits


def test_closing_publishes_no_lone_remainder(client, rh, meeting):
    for invitation in meeting.invitations_a[:6]:
        _answer(meeting, invitation, text="Texte")
    survey_close(survey=meeting, user=rh)
    client.force_login(rh)
    html = _results(client, meeting)
    assert "5 répondants" in html
    assert Response.objects.filter(survey=meeting, published=False).count() == 1


def test_the_invitations_page_of_an_anonymous_survey_gives_counts_not_who_answered(client, rh, meeting):
    client.force_login(rh)
    url = reverse("surveys:invitation-list", args=[meeting.pk])
    before = client.get(url).content.decode()
    _answer(meeting, meeting.invitations_a[0])
    after = client.get(url).content.decode()
    rows = re.compile(r"<tbody>.*?</tbody>", re.S)
    assert rows.search(before).group(0) == rows.search(after).group(0)  # no row changes
    assert "A répondu" not in after
    assert "repondu=oui" not in after
    assert "1 personne a répondu sur 14" in after
    # The filter by answer cannot be forced through the address either.
    assert client.get(url, {"repondu": "oui"}).content.decode().count("<tr>") == after.count("<tr>")


def test_the_invitations_page_of_an_identified_survey_still_says_who_answered(client, rh, agent):
    survey = SurveyFactory(authors=[rh], anonymous=False)
    question = QuestionFactory(section=SectionFactory(survey=survey))
    invitation = InvitationFactory(survey=survey, agent=agent)
    survey_answer_submit(invitation=invitation, raw={question.field_name: ["4"]})
    client.force_login(rh)
    page = client.get(reverse("surveys:invitation-list", args=[survey.pk]), {"repondu": "oui"}).content.decode()
    assert agent.last_name in page
    assert "A répondu" in page


def test_free_texts_come_in_no_arrival_order(client, rh, meeting):
    for index, invitation in enumerate(meeting.invitations_a[:5] + meeting.invitations_b[:5]):
        _answer(meeting, invitation, text=f"Texte arrivé en position {index:02d}")
    client.force_login(rh)
    html = _results(client, meeting)
    shown = re.findall(r"Texte arrivé en position (\d\d)", html)
    assert len(shown) == 10
    assert shown != sorted(shown)
    assert shown != sorted(shown, reverse=True)


# --- 2. Every export, PDF and chart applies the threshold to every group ---------------------------


def test_the_export_never_gives_the_answers_of_a_group_below_five(client, rh, meeting):
    _store(meeting, {meeting.scale: 1, meeting.text: "Seul en réunion A"}, session=meeting.a)
    for index in range(5):
        _store(meeting, {meeting.scale: 4, meeting.text: f"Réunion B, personne {index}"}, session=meeting.b)
    client.force_login(rh)
    rows = _csv(client, meeting)
    assert rows is not None
    assert "Session" not in rows[0]
    sessions = {"Réunion A", "Réunion B"}
    assert not any(cell in sessions for row in rows for cell in row)  # B alone would give A by elimination
    assert len(rows) == 1 + 6  # the whole survey is shown: A's answer is in it, with nothing to single it out


def test_the_pdf_of_a_session_whose_complement_is_small_is_empty(meeting):
    _store(meeting, {meeting.scale: 1, meeting.text: "Seul en réunion A"}, session=meeting.a)
    for index in range(5):
        _store(meeting, {meeting.scale: 4, meeting.text: f"Réunion B, personne {index}"}, session=meeting.b)
    from pypdf import PdfReader

    _name, pdf = results_pdf_render(survey=meeting.pk, session=meeting.b.pk)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Réunion B, personne" not in text
    assert "Seul en réunion A" not in text


def test_no_chart_for_a_hidden_group(client, rh, meeting):
    _store(meeting, {meeting.scale: 1}, session=meeting.a)
    for _ in range(5):
        _store(meeting, {meeting.scale: 4}, session=meeting.b)
    client.force_login(rh)
    assert "<svg" not in _results(client, meeting, session=meeting.b.pk)
    assert "<svg" in _results(client, meeting)


# --- 3. Secondary suppression ----------------------------------------------------------------


def test_all_minus_session_b_cannot_give_the_lone_answer_of_session_a(client, rh, meeting):
    _store(meeting, {meeting.scale: 1, meeting.text: "Seul en réunion A"}, session=meeting.a)
    for index in range(5):
        _store(meeting, {meeting.scale: 4, meeting.text: f"Réunion B, personne {index}"}, session=meeting.b)
    client.force_login(rh)
    overall = _results(client, meeting)
    session_b = _results(client, meeting, session=meeting.b.pk)
    assert "Seul en réunion A" in overall  # the whole survey (6) is shown...
    assert "Réunion B, personne" not in session_b  # ...so B (6 − 1) is not: the difference would be A
    assert "masqués" in _section(session_b, "par-question")
    rows = {row.session.label: row for row in session_overview(survey=meeting, headline=meeting.scale)}
    assert rows["Réunion A"].hidden
    assert rows["Réunion B"].hidden


def test_with_three_sessions_the_hidden_remainder_is_never_below_five(meeting):
    c = SessionFactory(survey=meeting, label="Réunion C", order=3)
    _store(meeting, {meeting.scale: 1}, session=meeting.a)
    for session, size in ((meeting.b, 6), (c, 5)):
        for _ in range(size):
            _store(meeting, {meeting.scale: 4}, session=session)
    total = survey_results(survey=meeting).respondents
    shown = [
        survey_results(survey=meeting, filters=ResultFilters(session=session)) for session in (meeting.a, meeting.b, c)
    ]
    visible = sum(result.respondents for result in shown if not result.hidden)
    assert total == 12
    assert total - visible == 0 or total - visible >= 5
    assert not shown[1].hidden  # the larger of the two is still shown: only what is needed is hidden


def test_a_question_hidden_in_one_session_is_hidden_in_its_complement_too(meeting):
    for index in range(6):  # everybody rates; only two of A and six of B write a remark
        _store(meeting, {meeting.scale: 4, **({meeting.text: f"A{index}"} if index < 2 else {})}, session=meeting.a)
        _store(meeting, {meeting.scale: 4, meeting.text: f"B{index}"}, session=meeting.b)
    overall = survey_results(survey=meeting)
    in_b = survey_results(survey=meeting, filters=ResultFilters(session=meeting.b))
    text_overall = next(r for r in overall.questions if r.question == meeting.text)
    text_b = next(r for r in in_b.questions if r.question == meeting.text)
    assert not text_overall.hidden
    assert len(text_overall.texts) == 8
    assert text_b.hidden
    assert not text_b.texts
    scale_b = next(r for r in in_b.questions if r.question == meeting.scale)
    assert not scale_b.hidden


def test_unit_and_site_filters_of_an_identified_survey_hide_a_small_complement(client, rh):
    survey = SurveyFactory(authors=[rh], anonymous=False)
    scale = QuestionFactory(section=SectionFactory(survey=survey), kind=Question.Kind.SCALE)
    paie, seul = OrgUnitFactory(name="Paie"), OrgUnitFactory(name="Archives")
    siege, annexe = SiteFactory(name="Siège"), SiteFactory(name="Annexe")
    for _ in range(6):
        _store(survey, {scale: 4}, agent=AgentFactory(org_unit=paie, site=siege))
    _store(survey, {scale: 1}, agent=AgentFactory(org_unit=seul, site=annexe))
    client.force_login(rh)
    for params in ({"unit": paie.pk}, {"site": siege.pk}):
        html = _results(client, survey, **params)
        assert "6 répondants" in html
        assert "% de satisfaits" not in html  # all (7) minus Paie (6) would be the person of the Archives
    assert "% de satisfaits" in _results(client, survey)


# --- 4. Extremes of numbers and dates -------------------------------------------------------------


def test_extremes_of_numbers_and_dates_are_ranges_of_at_least_five(client, rh, meeting):
    values = [(1, date(2019, 3, 1)), (2, date(2020, 9, 1)), (3, date(2021, 1, 4)), (4, date(2021, 6, 1))]
    values += [(5, date(2022, 2, 1)), (6, date(2022, 9, 1)), (7, date(2023, 3, 1)), (8, date(2023, 9, 1))]
    values += [(9, date(2024, 1, 2)), (37, date(1989, 11, 20))]  # the long-serving agent of the arrivals page
    for seniority, arrival in values:
        _store(meeting, {meeting.seniority: seniority, meeting.arrival: arrival})
    client.force_login(rh)
    section = _section(_results(client, meeting), "par-question")
    assert "37" not in section
    assert "20/11/1989" not in section
    assert "1989" not in section
    assert "02/01/2024" not in section
    seniority = next(r for r in survey_results(survey=meeting).questions if r.question == meeting.seniority)
    assert seniority.minimum is None
    assert seniority.maximum is None
    assert seniority.bars
    assert all(bar.count >= 5 for bar in seniority.bars)
    arrival = next(r for r in survey_results(survey=meeting).questions if r.question == meeting.arrival)
    assert arrival.bars
    assert all(bar.count >= 5 for bar in arrival.bars)
    rows = _csv(client, meeting)
    column = rows[0].index(meeting.seniority.label)
    assert "37" not in [row[column] for row in rows[1:]]
    column = rows[0].index(meeting.arrival.label)
    assert not any("1989" in row[column] for row in rows[1:])


def test_an_identified_survey_keeps_its_extremes(rh):
    survey = SurveyFactory(authors=[rh], anonymous=False, status=Survey.Status.OPEN)
    number = QuestionFactory(section=SectionFactory(survey=survey), kind=Question.Kind.NUMBER)
    for value in (1, 2, 3, 4, 37):
        _store(survey, {number: value}, agent=AgentFactory())
    result = survey_results(survey=survey).questions[0]
    assert (result.minimum, result.maximum) == (1, 37)
