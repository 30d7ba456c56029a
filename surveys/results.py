"""The results of a survey, computed in the database: counts, percentages, satisfaction rate, NPS,
means, free texts — for the whole survey, a session, or (identified surveys only) a unit or site.

What is read: published responses only (an anonymous survey publishes its responses by batches of
at least MIN_RESPONDENTS per session, see services.answers._responses_publish).

The rule of the threshold, said once: a group (the survey, a session, a unit, a site) with fewer
than MIN_RESPONDENTS respondents shows no figure at all, only that it is too small; a question
answered by fewer than MIN_RESPONDENTS people in a shown group shows no figure either (a free text
or a distribution of three answers would point at people). A group whose figures, subtracted from
a larger group's, would give a hidden one is hidden too (secondary suppression, surveys.disclosure).
On an anonymous survey, number and date answers are given as ranges of at least MIN_RESPONDENTS
answers, never their minimum and maximum. The page says so in words.

A fixed number of queries whatever the number of answers or questions (see `_fill`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from intranet.audiences import unit_ids_with_descendants
from intranet.models import OrgUnit, Site
from surveys.disclosure import Disclosure, UnitTree, View
from surveys.models import (
    DISCLOSURE_THRESHOLD,
    SATISFIED_LEVELS,
    Answer,
    Invitation,
    Question,
    Response,
    Survey,
    SurveySession,
)
from surveys.services.questionnaire import survey_questions

MIN_RESPONDENTS = DISCLOSURE_THRESHOLD
TEXTS_SHOWN = 200  # free-text answers listed per question on the page (all of them in the exports)

LEVEL_KINDS = (Question.Kind.SCALE, Question.Kind.NPS, Question.Kind.YES_NO)


@dataclass(frozen=True)
class ResultFilters:
    session: SurveySession | None = None
    unit: OrgUnit | None = None  # with its sub-units; identified surveys only
    site: Site | None = None  # identified surveys only

    @property
    def is_group(self) -> bool:
        return bool(self.session or self.unit or self.site)

    def params(self) -> dict:
        """JSON-able, for a document request."""
        return {
            "session": self.session.pk if self.session else None,
            "unit": self.unit.pk if self.unit else None,
            "site": self.site.pk if self.site else None,
        }

    def view(self, survey: Survey) -> View:
        identified = filters_allowed(survey)
        return View(
            session=self.session.pk if self.session else None,
            site=self.site.pk if self.site and identified else None,
            unit=self.unit.pk if self.unit and identified else None,
        )

    def describe(self) -> str:
        parts = []
        if self.session:
            parts.append(_("session « %(label)s »") % {"label": self.session.label})
        if self.unit:
            parts.append(_("unité « %(name)s » et ses sous-unités") % {"name": self.unit.name})
        if self.site:
            parts.append(_("site « %(name)s »") % {"name": self.site.name})
        return ", ".join(parts) or _("toutes les réponses")


def filters_allowed(survey: Survey) -> bool:
    """Unit and site filters need the path to the agent, which only identified surveys have."""
    return not survey.anonymous


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


def published_responses(survey: Survey) -> QuerySet[Response]:
    """What every figure, export, PDF and indicator reads."""
    return Response.objects.filter(survey=survey, published=True)


def result_responses(*, survey: Survey, filters: ResultFilters) -> QuerySet[Response]:
    responses = published_responses(survey)
    if filters.session:
        responses = responses.filter(session=filters.session)
    if filters_allowed(survey):
        if filters.unit:
            units = unit_ids_with_descendants([filters.unit.pk])
            responses = responses.filter(identity__agent__org_unit_id__in=units)
        if filters.site:
            responses = responses.filter(identity__agent__site=filters.site)
    return responses


def _invitations(*, survey: Survey, filters: ResultFilters) -> QuerySet[Invitation]:
    invitations = Invitation.objects.filter(survey=survey)
    if filters.session:
        invitations = invitations.filter(session=filters.session)
    if filters_allowed(survey):
        if filters.unit:
            invitations = invitations.filter(agent__org_unit_id__in=unit_ids_with_descendants([filters.unit.pk]))
        if filters.site:
            invitations = invitations.filter(agent__site=filters.site)
    return invitations


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


# --- Ranges of numbers and dates (anonymous surveys) -------------------------------------------


@dataclass
class _Range:
    low: object  # included
    high: object  # excluded
    count: int


def _tiled(buckets: Counter, edge) -> list[_Range]:
    """Ranges from the non-empty buckets (index → count) of a regular grid whose edges `edge(index)`
    gives; each range starts where the previous one ends, so the ranges cover every value."""
    ranges: list[_Range] = []
    for index in sorted(buckets):
        low = ranges[-1].high if ranges else edge(index)
        ranges.append(_Range(low, edge(index + 1), buckets[index]))
    return ranges


def _inner(values: dict) -> tuple:
    """The 5th smallest and the 5th largest value: the grid's step is chosen on them, so one
    extreme value cannot make every range wide."""
    ordered = [value for value, count in sorted(values.items()) for _ in range(count)]
    return ordered[min(MIN_RESPONDENTS - 1, len(ordered) - 1)], ordered[max(len(ordered) - MIN_RESPONDENTS, 0)]


def _number_bins(values: dict) -> list[_Range]:
    low, high = _inner(values)
    parts = max(1, min(5, sum(values.values()) // MIN_RESPONDENTS))
    raw = Decimal(high - low) / parts
    integral = all(Decimal(value) == Decimal(value).to_integral_value() for value in values)
    width = Decimal(1) if integral else Decimal("0.01")
    if raw > width:
        width = Decimal(10) ** raw.adjusted()
        width = next(width * factor for factor in (1, 2, 5, 10) if width * factor >= raw)
    start = (Decimal(min(values)) / width).to_integral_value(rounding=ROUND_FLOOR) * width
    buckets = Counter()
    for value, count in values.items():
        buckets[int(((Decimal(value) - start) / width).to_integral_value(rounding=ROUND_FLOOR))] += count
    return _tiled(buckets, lambda index: start + index * width)


def _month(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _date_bins(values: dict) -> list[_Range]:
    low, high = _inner(values)
    step = 12 if high.year - low.year >= 2 else 1  # years, or months over a short span
    first = min(values)
    origin = date(first.year, 1, 1) if step == 12 else date(first.year, first.month, 1)
    buckets = Counter()
    for value, count in values.items():
        buckets[((value.year - origin.year) * 12 + value.month - origin.month) // step] += count
    return _tiled(buckets, lambda index: _month(origin, index * step))


def _merged(bins: list[_Range]) -> list[_Range]:
    """Neighbouring ranges put together until each holds at least MIN_RESPONDENTS answers."""
    merged: list[_Range] = []
    for current in bins:
        if merged and merged[-1].count < MIN_RESPONDENTS:
            merged[-1] = _Range(merged[-1].low, current.high, merged[-1].count + current.count)
        else:
            merged.append(current)
    if len(merged) > 1 and merged[-1].count < MIN_RESPONDENTS:
        last = merged.pop()
        merged[-1] = _Range(merged[-1].low, last.high, merged[-1].count + last.count)
    return merged


def _number_label(value) -> str:
    return number_format(Decimal(value).normalize(), use_l10n=True)


def _date_label(day: date, *, years: bool) -> str:
    return str(day.year) if years else date_format(day, "F Y")


def value_ranges(values: dict) -> list[tuple[object, object, str, int]]:
    """[(low, high, label, count)] of number or date answers ({value: count}, at least
    MIN_RESPONDENTS in all), in ranges of at least MIN_RESPONDENTS answers each, open at both ends:
    no label gives the smallest or the largest value."""
    is_date = isinstance(next(iter(values)), date)
    bins = _merged(_date_bins(values) if is_date else _number_bins(values))
    if len(bins) == 1:
        return [(bins[0].low, bins[0].high, _("toutes les réponses"), bins[0].count)]
    found = []
    for index, current in enumerate(bins):
        first, last = index == 0, index == len(bins) - 1
        if is_date:
            years = (current.low.month, current.high.month) == (1, 1)
            begin = _date_label(current.low, years=years)
            end = _date_label(_month(current.high, -12 if years else -1), years=years)
            if first:
                label = _("jusqu'en %(end)s") % {"end": end}
            elif last:
                label = _("à partir de %(begin)s") % {"begin": begin}
            elif begin == end:
                label = _("en %(begin)s") % {"begin": begin}
            else:
                label = _("de %(begin)s à %(end)s") % {"begin": begin, "end": end}
        elif first:
            label = _("moins de %(high)s") % {"high": _number_label(current.high)}
        elif last:
            label = _("%(low)s ou plus") % {"low": _number_label(current.low)}
        else:
            label = _("de %(low)s à moins de %(high)s") % {
                "low": _number_label(current.low),
                "high": _number_label(current.high),
            }
        found.append((current.low, current.high, label, current.count))
    return found


def value_range_of(value, ranges: list[tuple]) -> str:
    """The label of the range `value` falls in (the exports' cells)."""
    return next((label for low, high, label, _count in ranges if low <= value < high), "")


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


@dataclass
class SessionRow:
    session: SurveySession
    invited: int
    respondents: int  # published
    hidden: bool  # under the threshold, or secondary suppression
    satisfaction: Decimal | None  # of the headline scale question; None when hidden or absent

    @property
    def response_rate(self) -> Decimal | None:
        return _percent(self.respondents, self.invited)


def session_overview(
    *,
    survey: Survey,
    headline: Question | None,
    respondents: Disclosure | None = None,
    answers: AnswerCounts | None = None,
) -> list[SessionRow]:
    """Each session's participation and satisfaction, hidden by the same rules as the session's own
    page. The counts of the page's figures are reused when given (`SurveyResults.respondent_counts`,
    `.answer_counts`); otherwise read (a fixed number of queries, whatever the number of sessions)."""
    sessions = list(survey.sessions.order_by("order", "held_on", "pk"))
    if not sessions:
        return []
    respondents = respondents or respondent_disclosure(survey)
    if headline is not None and (answers is None or not answers.by_cell or headline.pk not in answers.values):
        # The overall page's counts hold one cell: the sessions' satisfaction needs the headline by cell.
        answers = answer_counts(survey, [headline])
    invited = dict(
        Invitation.objects.filter(survey=survey)
        .values("session_id")
        .annotate(n=Count("pk"))
        .values_list("session_id", "n")
    )
    rows = []
    for session in sessions:
        view = View(session=session.pk)
        hidden = not respondents.visible(view)
        satisfaction = None
        if headline is not None and not hidden and answers.answered[headline.pk].visible(view):
            levels = answers.distribution(headline.pk, view)
            top = sum(count for level, count in levels.items() if int(level) in SATISFIED_LEVELS)
            satisfaction = _percent(top, sum(levels.values()))
        rows.append(SessionRow(session, invited.get(session.pk, 0), respondents.count(view), hidden, satisfaction))
    return rows


def survey_satisfaction_rate(survey: Survey) -> Decimal | None:
    """The headline figure fed to action-plan indicators: the first scale question's satisfaction
    rate over every published response, None below the threshold."""
    headline = (
        survey.questions.filter(kind=Question.Kind.SCALE)
        .order_by("section__order", "section_id", "order", "pk")
        .first()
    )
    if headline is None:
        return None
    row = Answer.objects.filter(question=headline, number__isnull=False, response__published=True).aggregate(
        total=Count("id"), top=Count("id", filter=Q(number__in=SATISFIED_LEVELS))
    )
    if row["total"] < MIN_RESPONDENTS:
        return None
    return _percent(row["top"], row["total"])


def survey_response_rate(survey: Survey) -> Decimal | None:
    """Published responses over invitations: it moves with the publications, like every figure."""
    invited = survey.invitations.count()
    return _percent(published_responses(survey).count(), invited)
