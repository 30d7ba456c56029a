"""Exports of a survey's answers: one row per published response, one column per question.

Anonymous stays anonymous: no name, no e-mail, no service, no date, and the rows come in the order
of their random keys (not the order of answering). The threshold applies as on the page: an
anonymous survey with fewer than MIN_RESPONDENTS published responses is not exported at all; a
question shown on no page (fewer than MIN_RESPONDENTS answers) has its column left empty; the
session column is there only when every session can be shown for every question (otherwise the
rows of the shown sessions would give, by elimination, those of a hidden one); numbers and dates
come as the page's ranges. Identified surveys add who answered and the day: their organisers read
each answer with its author by design, so the threshold does not apply to their rows.
"""

import csv
import io
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from intranet.directory.exports import neutralise_formula
from surveys.disclosure import View
from surveys.models import Answer, Question, ResponseIdentity, Survey
from surveys.results import (
    MIN_RESPONDENTS,
    answer_counts,
    published_responses,
    respondent_disclosure,
    value_range_of,
    value_ranges,
)
from surveys.services.questionnaire import survey_questions


def _value(question: Question, answer: dict, ranges: list | None = None) -> str:
    kind = question.kind
    if question.is_choice:
        return answer["choice__label"] or ""
    if kind == Question.Kind.YES_NO:
        return "" if answer["number"] is None else (_("Oui") if int(answer["number"]) == 1 else _("Non"))
    if kind == Question.Kind.DATE:
        if ranges is not None and answer["date_value"]:
            return value_range_of(answer["date_value"], ranges)
        return date_format(answer["date_value"], "SHORT_DATE_FORMAT") if answer["date_value"] else ""
    if kind in Question.TEXT_KINDS:
        return answer["text"] or ""
    number = answer["number"]
    if number is None:
        return ""
    if ranges is not None:
        return value_range_of(number, ranges)
    return str(int(number)) if number == number.to_integral_value() else str(number).replace(".", ",")


class _AnonymousPlan:
    """What an anonymous survey's export may give, decided on the same counts as the page."""

    def __init__(self, survey: Survey, questions: list[Question]):
        respondents = respondent_disclosure(survey)
        counts = answer_counts(survey, questions)
        whole = View()
        self.questions = {question.pk for question in questions if counts.answered[question.pk].visible(whole)}
        sessions = {session for session, _site, _unit in respondents.cells if session is not None}
        self.with_sessions = bool(sessions) and all(
            respondents.visible(View(session=session))
            and all(
                counts.answered[pk].count(View(session=session)) == 0
                or counts.answered[pk].visible(View(session=session))
                for pk in self.questions
            )
            for session in sessions
        )
        # The page's ranges of each shown number or date question, over the whole survey.
        self.ranges = {
            question.pk: value_ranges(counts.distribution(question.pk, whole))
            for question in questions
            if question.pk in self.questions and question.kind in (Question.Kind.NUMBER, Question.Kind.DATE)
        }


def export_rows(*, survey: Survey):
    """The header, then one list of strings per published response."""
    responses = published_responses(survey)
    if survey.anonymous and responses.count() < MIN_RESPONDENTS:
        raise ValidationError(
            _("Moins de %(count)d réponses : l'export est refusé pour protéger l'anonymat des répondants.")
            % {"count": MIN_RESPONDENTS}
        )
    questions = list(survey_questions(survey))
    plan = _AnonymousPlan(survey, questions) if survey.anonymous else None
    header = [question.label for question in questions]
    if plan is None:
        header = [_("Nom"), _("Prénom"), _("E-mail"), _("Service"), _("Date de la réponse"), _("Session"), *header]
    elif plan.with_sessions:
        header = [_("Session"), *header]
    yield header

    values: dict = defaultdict(lambda: defaultdict(list))
    by_id = {question.pk: question for question in questions}
    if plan is not None:
        by_id = {pk: question for pk, question in by_id.items() if pk in plan.questions}
    answers = (
        Answer.objects.filter(response__survey=survey, response__published=True, question_id__in=list(by_id))
        .values("response_id", "question_id", "choice__label", "choice__order", "number", "date_value", "text")
        .order_by("response_id", "question_id", "choice__order", "choice_id")
    )
    for answer in answers.iterator(chunk_size=5000):
        question = by_id[answer["question_id"]]
        ranges = plan.ranges.get(question.pk) if plan is not None else None
        values[answer["response_id"]][question.pk].append(_value(question, answer, ranges))

    identities = {}
    if plan is None:
        identities = {
            identity.response_id: identity.agent
            for identity in ResponseIdentity.objects.filter(survey=survey).select_related("agent__org_unit")
        }
    for response in responses.select_related("session").order_by("id").iterator(chunk_size=5000):
        session = response.session.label if response.session else ""
        if plan is None:
            agent = identities.get(response.id)
            row = [
                agent.last_name if agent else "",
                agent.first_name if agent else "",
                agent.email if agent else "",
                agent.org_unit.name if agent and agent.org_unit else "",
                date_format(response.submitted_on, "SHORT_DATE_FORMAT") if response.submitted_on else "",
                session,
            ]
        else:
            row = [session] if plan.with_sessions else []
        answered = values.get(response.id, {})
        yield row + ["; ".join(answered.get(question.pk, [])) for question in questions]


def export_csv(*, survey: Survey) -> bytes:
    """UTF-8 with a BOM and `;`: what Excel opens correctly in France."""
    rows = list(export_rows(survey=survey))  # the threshold check runs before anything is written
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([neutralise_formula(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_xlsx(*, survey: Survey) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    rows = list(export_rows(survey=survey))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Réponses"))
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # answers are text: never a formula
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
