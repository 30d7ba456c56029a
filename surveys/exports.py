"""Exports of a survey's answers: one row per response, one column per question.

Anonymous stays anonymous: no name, no e-mail, no service, no date, and the rows come in the order
of their random keys (not the order of answering). Identified surveys add who answered and the day.
An anonymous survey with fewer than MIN_RESPONDENTS responses is not exported at all (the threshold).
"""

import csv
import io
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from intranet.directory.exports import neutralise_formula
from surveys.models import Answer, Question, Response, ResponseIdentity, Survey
from surveys.results import MIN_RESPONDENTS
from surveys.services import survey_questions


def _value(question: Question, answer: dict) -> str:
    kind = question.kind
    if question.is_choice:
        return answer["choice__label"] or ""
    if kind == Question.Kind.YES_NO:
        return "" if answer["number"] is None else (_("Oui") if int(answer["number"]) == 1 else _("Non"))
    if kind == Question.Kind.DATE:
        return date_format(answer["date_value"], "SHORT_DATE_FORMAT") if answer["date_value"] else ""
    if kind in Question.TEXT_KINDS:
        return answer["text"] or ""
    number = answer["number"]
    if number is None:
        return ""
    return str(int(number)) if number == number.to_integral_value() else str(number).replace(".", ",")


def export_rows(*, survey: Survey):
    """The header, then one list of strings per response."""
    if survey.anonymous and Response.objects.filter(survey=survey).count() < MIN_RESPONDENTS:
        raise ValidationError(
            _("Moins de %(count)d réponses : l'export est refusé pour protéger l'anonymat des répondants.")
            % {"count": MIN_RESPONDENTS}
        )
    questions = list(survey_questions(survey))
    header = [_("Session")]
    if not survey.anonymous:
        header = [_("Nom"), _("Prénom"), _("E-mail"), _("Service"), _("Date de la réponse"), *header]
    yield header + [question.label for question in questions]

    values: dict = defaultdict(lambda: defaultdict(list))
    by_id = {question.pk: question for question in questions}
    answers = (
        Answer.objects.filter(response__survey=survey)
        .values("response_id", "question_id", "choice__label", "choice__order", "number", "date_value", "text")
        .order_by("response_id", "question_id", "choice__order", "choice_id")
    )
    for answer in answers.iterator(chunk_size=5000):
        question = by_id.get(answer["question_id"])
        if question is not None:
            values[answer["response_id"]][question.pk].append(_value(question, answer))

    identities = {}
    if not survey.anonymous:
        identities = {
            identity.response_id: identity.agent
            for identity in ResponseIdentity.objects.filter(survey=survey).select_related("agent__org_unit")
        }
    responses = Response.objects.filter(survey=survey).select_related("session").order_by("id")
    for response in responses.iterator(chunk_size=5000):
        row = [response.session.label if response.session else ""]
        if not survey.anonymous:
            agent = identities.get(response.id)
            row = [
                agent.last_name if agent else "",
                agent.first_name if agent else "",
                agent.email if agent else "",
                agent.org_unit.name if agent and agent.org_unit else "",
                date_format(response.submitted_on, "SHORT_DATE_FORMAT") if response.submitted_on else "",
                *row,
            ]
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
