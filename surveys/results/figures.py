"""A survey's results page: each question's figures (bars, satisfaction, mean, extremes, NPS, first
free texts) for the whole survey or a group, from the counts, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from intranet.models import OrgUnit
from surveys.disclosure import Disclosure, UnitTree
from surveys.models import SATISFIED_LEVELS, Answer, Question, Response, Survey
from surveys.results.counts import AnswerCounts, answer_counts, respondent_disclosure
from surveys.results.filters import MIN_RESPONDENTS, ResultFilters, _invitations, filters_allowed, result_responses
from surveys.results.ranges import value_ranges
from surveys.services.questionnaire import survey_questions

TEXTS_SHOWN = 200  # free-text answers listed per question on the page (all of them in the exports)

LEVEL_KINDS = (Question.Kind.SCALE, Question.Kind.NPS, Question.Kind.YES_NO)


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Bar:
    label: str
    count: int
    percent: Decimal | None


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    hidden: bool = False  # fewer than MIN_RESPONDENTS answered it in this group, or secondary suppression
    bars: list[Bar] = field(default_factory=list)
    satisfaction: Decimal | None = None  # scale: share of the top two levels
    mean: Decimal | None = None
    minimum: object = None  # identified surveys only: an anonymous one gives ranges (bars)
    maximum: object = None
    nps: int | None = None
    promoters: Decimal | None = None
    passives: Decimal | None = None
    detractors: Decimal | None = None
    texts: list[str] = field(default_factory=list)
    more_texts: int = 0

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def suppressed(self) -> bool:
        """Hidden although enough people answered: another group's figures would give it away."""
        return self.hidden and self.answered >= MIN_RESPONDENTS


@dataclass
class SurveyResults:
    survey: Survey
    filters: ResultFilters
    invited: int
    respondents: int  # published responses in this group
    questions: list[QuestionResult]
    hidden: bool = False
    waiting: int = 0  # anonymous survey: responses received, not published yet (whole survey)
    # The counts the figures came from, for the sessions' table of the same page (no second reading).
    respondent_counts: Disclosure | None = field(default=None, repr=False)
    answer_counts: AnswerCounts | None = field(default=None, repr=False)

    @property
    def suppressed(self) -> bool:
        """Hidden although enough people answered: another group's figures would give it away."""
        return self.hidden and self.respondents >= MIN_RESPONDENTS

    @property
    def response_rate(self) -> Decimal | None:
        return _percent(self.respondents, self.invited)

    @property
    def headline(self) -> QuestionResult | None:
        """The survey's headline figure: the first scale question's satisfaction rate."""
        return next((q for q in self.questions if q.kind == Question.Kind.SCALE and not q.hidden), None)


def _unit_tree(survey: Survey, filters: ResultFilters) -> UnitTree | None:
    if filters_allowed(survey) and filters.unit:
        return UnitTree(dict(OrgUnit.objects.values_list("pk", "parent_id")))
    return None


def survey_results(
    *,
    survey: Survey,
    filters: ResultFilters | None = None,
    texts_limit: int = TEXTS_SHOWN,
    questions: list[Question] | None = None,
) -> SurveyResults:
    filters = filters or ResultFilters()
    view = filters.view(survey)
    tree = _unit_tree(survey, filters)
    respondents = respondent_disclosure(survey, tree=tree)
    invited = _invitations(survey=survey, filters=filters).count()
    questions = list(questions if questions is not None else survey_questions(survey))
    results = [QuestionResult(question=question) for question in questions]
    outcome = SurveyResults(
        survey=survey,
        filters=filters,
        invited=invited,
        respondents=respondents.count(view),
        questions=results,
        hidden=not respondents.visible(view),
    )
    if survey.anonymous and not filters.is_group:
        outcome.waiting = Response.objects.filter(survey=survey, published=False).count()
    if outcome.hidden:
        return outcome  # nothing else is computed, so nothing can leak into the page
    # The whole survey's page reads its values with the counts; a group's page counts every group
    # (to compare them) but reads the values of its own answers only.
    group = filters.is_group
    counts = answer_counts(survey, questions, tree=tree, by_cell=group, with_values=not group)
    outcome.respondent_counts, outcome.answer_counts = respondents, counts
    for result in results:
        result.answered = counts.answered[result.question.pk].count(view)
        result.hidden = not counts.answered[result.question.pk].visible(view)
    shown = [r.question.pk for r in results if not r.hidden]
    answers = Answer.objects.filter(question_id__in=shown, response__published=True)
    if group:
        answers = answers.filter(response__in=result_responses(survey=survey, filters=filters).values("pk"))
        valued = [r.question.pk for r in results if not r.hidden and r.kind not in Question.TEXT_KINDS]
        distributions = value_distributions(answers.filter(question_id__in=valued))
    else:
        distributions = {pk: counts.distribution(pk, view) for pk in shown if pk in counts.values}
    _fill(results, distributions, answers, texts_limit=texts_limit, ranges=survey.anonymous)
    return outcome


def value_distributions(answers: QuerySet[Answer]) -> dict[int, dict]:
    """{question id: {value: count}} of the given answers (one query)."""
    found: dict[int, dict] = {}
    rows = (
        answers.values("question_id", "choice_id", "number", "date_value")
        .annotate(n=Count("id"))
        .values_list("question_id", "choice_id", "number", "date_value", "n")
    )
    for pk, choice_id, number, date_value, n in rows:
        value = choice_id if choice_id is not None else number if number is not None else date_value
        per_question = found.setdefault(pk, {})
        per_question[value] = per_question.get(value, 0) + n
    return found


def _fill(
    results: list[QuestionResult],
    distributions: dict[int, dict],
    texts: QuerySet[Answer],
    *,
    texts_limit: int,
    ranges: bool,
) -> None:
    """The figures of the questions shown, from their distributions in the group ({value: count}:
    counts, percentages, means and extremes follow exactly), and one query for the first free texts
    of each text question (in the order of their random keys, never of arrival)."""
    by_id = {result.question.pk: result for result in results if not result.hidden}
    text_ids = [pk for pk, result in by_id.items() if result.kind in Question.TEXT_KINDS]

    for pk, result in by_id.items():
        values = distributions.get(pk, {})
        question = result.question
        if question.is_choice:
            result.bars = [
                Bar(choice.label, values.get(choice.pk, 0), _percent(values.get(choice.pk, 0), result.answered))
                for choice in question.choices.all()
            ]
        elif question.kind in LEVEL_KINDS:
            _fill_levels(result, {int(number): n for number, n in values.items()})
        if question.kind in (Question.Kind.NUMBER, Question.Kind.SCALE, Question.Kind.NPS) and values:
            total = sum(values.values())
            mean = sum(Decimal(number) * n for number, n in values.items()) / total
            result.mean = mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if question.kind in (Question.Kind.NUMBER, Question.Kind.DATE) and values:
            if ranges:  # anonymous: the extremes would single out the newest or the longest-serving
                result.bars = [
                    Bar(label, count, _percent(count, result.answered))
                    for _low, _high, label, count in value_ranges(values)
                ]
            else:
                result.minimum, result.maximum = min(values), max(values)
        elif question.kind in (Question.Kind.SCALE, Question.Kind.NPS) and values:
            result.minimum, result.maximum = min(values), max(values)

    if text_ids and texts_limit:
        ranked = (
            texts.filter(question_id__in=text_ids)
            .exclude(text="")
            .annotate(rank=Window(RowNumber(), partition_by=[F("question_id")], order_by=[F("id").asc()]))
            .filter(rank__lte=texts_limit)
            .values_list("question_id", "text")
        )
        for pk, text in ranked:
            by_id[pk].texts.append(text)
        for pk in text_ids:
            by_id[pk].more_texts = max(0, by_id[pk].answered - len(by_id[pk].texts))


def _fill_levels(result: QuestionResult, levels: dict[int, int]) -> None:
    question, total = result.question, sum(levels.values())
    if question.kind == Question.Kind.SCALE:
        result.bars = [
            Bar(f"{level} — {label}", levels.get(level, 0), _percent(levels.get(level, 0), total))
            for level, label in question.levels
        ]
        result.satisfaction = _percent(sum(levels.get(level, 0) for level in SATISFIED_LEVELS), total)
    elif question.kind == Question.Kind.YES_NO:
        result.bars = [
            Bar(_("Oui"), levels.get(1, 0), _percent(levels.get(1, 0), total)),
            Bar(_("Non"), levels.get(0, 0), _percent(levels.get(0, 0), total)),
        ]
    else:  # NPS 0–10: promoters 9–10, passives 7–8, detractors 0–6
        result.bars = [
            Bar(str(level), levels.get(level, 0), _percent(levels.get(level, 0), total)) for level in range(11)
        ]
        promoters = sum(n for level, n in levels.items() if level >= 9)
        detractors = sum(n for level, n in levels.items() if level <= 6)
        result.promoters, result.detractors = _percent(promoters, total), _percent(detractors, total)
        result.passives = _percent(total - promoters - detractors, total)
        if total:
            result.nps = round((promoters - detractors) * 100 / total)
