"""The published respondents and answers counted once per cell (session, site, unit), so that the
threshold of any group, and the figures of any group, are summed in Python from a few grouped
queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from surveys.disclosure import Disclosure, UnitTree, View
from surveys.models import Answer, Question, Survey
from surveys.results.filters import MIN_RESPONDENTS, filters_allowed, published_responses


def _cell_fields(survey: Survey, prefix: str = "") -> list[str]:
    fields = [f"{prefix}session_id"]
    if filters_allowed(survey):  # identified: the respondent's site and unit
        fields += [f"{prefix}identity__agent__site_id", f"{prefix}identity__agent__org_unit_id"]
    return fields


def _cell(row: tuple) -> tuple:
    return (*row, None, None, None)[:3]


def respondent_disclosure(survey: Survey, *, tree: UnitTree | None = None) -> Disclosure:
    """The published respondents counted by (session, site, unit): one query."""
    fields = _cell_fields(survey)
    rows = published_responses(survey).values(*fields).annotate(n=Count("pk")).values_list(*fields, "n")
    return Disclosure({_cell(row[:-1]): row[-1] for row in rows}, tree=tree, threshold=MIN_RESPONDENTS)


@dataclass
class AnswerCounts:
    """The published answers of a survey counted once per (question, session, site, unit): who
    answered each question (for the threshold) and the distribution of its values (for the figures
    of any group, summed from the cells in Python)."""

    answered: dict[int, Disclosure]
    values: dict[int, dict[tuple, dict]]  # question id → cell → {value: count} (non-text questions)
    by_cell: bool = True  # False: one cell for the whole survey (its overall page needs no more)

    def distribution(self, pk: int, view: View) -> dict:
        disclosure, found = self.answered[pk], {}
        for cell, values in self.values.get(pk, {}).items():
            if disclosure.matches(cell, view):
                for value, count in values.items():
                    found[value] = found.get(value, 0) + count
        return found


def answer_counts(
    survey: Survey, questions, *, tree: UnitTree | None = None, by_cell: bool = True, with_values: bool = True
) -> AnswerCounts:
    """Three queries at most, whatever the number of answers: the values of the choice, level,
    number and date questions; the respondents of multiple-choice questions (a person ticks
    several); the non-empty answers of text questions. `by_cell=False` counts the whole survey as
    one cell: enough for its overall page, where no group is compared with another.
    `with_values=False` counts who answered without the values (lighter: a group's page reads
    its own values with `value_distributions`)."""
    fields = _cell_fields(survey, prefix="response__") if by_cell else []
    value_fields = ["choice_id", "number", "date_value"] if with_values else []
    published = Answer.objects.filter(response__published=True)
    kinds = {question.pk: question.kind for question in questions}
    valued = [pk for pk, kind in kinds.items() if kind not in Question.TEXT_KINDS]
    multiple = [pk for pk, kind in kinds.items() if kind == Question.Kind.MULTIPLE]
    texts = [pk for pk, kind in kinds.items() if kind in Question.TEXT_KINDS]
    answered: dict[int, dict] = {pk: {} for pk in kinds}
    values: dict[int, dict] = {pk: {} for pk in valued} if with_values else {}
    counted_valued = valued if with_values else [pk for pk in valued if pk not in multiple]
    if counted_valued:
        rows = (
            published.filter(question_id__in=counted_valued)
            .values("question_id", *fields, *value_fields)
            .annotate(n=Count("id"))
            .values_list("question_id", *fields, *value_fields, "n")
        )
        width = len(value_fields)
        for row in rows:
            pk, cell, n = row[0], _cell(row[1 : len(row) - 1 - width]), row[-1]
            if with_values:
                choice_id, number, date_value = row[-4:-1]
                value = choice_id if choice_id is not None else number if number is not None else date_value
                per_cell = values[pk].setdefault(cell, {})
                per_cell[value] = per_cell.get(value, 0) + n
            if kinds[pk] != Question.Kind.MULTIPLE:
                answered[pk][cell] = answered[pk].get(cell, 0) + n
    for ids, queryset in (
        (multiple, published.filter(question_id__in=multiple)),
        (texts, published.filter(question_id__in=texts).exclude(text="")),
    ):
        if ids:
            counted = (
                queryset.values("question_id", *fields)
                .annotate(n=Count("response_id", distinct=ids is multiple))
                .values_list("question_id", *fields, "n")
            )
            for row in counted:
                answered[row[0]][_cell(row[1:-1])] = row[-1]
    return AnswerCounts(
        answered={pk: Disclosure(found, tree=tree, threshold=MIN_RESPONDENTS) for pk, found in answered.items()},
        values=values,
        by_cell=by_cell,
    )
