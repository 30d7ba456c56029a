"""The results of a survey, computed in the database: counts, percentages, satisfaction rate, NPS,
means, free texts — for the whole survey, a session, or (identified surveys only) a unit or site.

The rule of the threshold, said once: a group (the survey, a session, a unit, a site) with fewer
than MIN_RESPONDENTS respondents shows no figure at all, only that it is too small; a question
answered by fewer than MIN_RESPONDENTS people in a shown group shows no figure either (a free text
or a distribution of three answers would point at people). The page says so in words.

A fixed number of queries whatever the number of answers or questions (see `_fill`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from intranet.audiences import unit_ids_with_descendants
from intranet.models import OrgUnit, Site
from surveys.models import SATISFIED_LEVELS, Answer, Invitation, Question, Response, Survey, SurveySession
from surveys.services import survey_questions

MIN_RESPONDENTS = 5
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
    hidden: bool = False  # fewer than MIN_RESPONDENTS answered it in this group
    bars: list[Bar] = field(default_factory=list)
    satisfaction: Decimal | None = None  # scale: share of the top two levels
    mean: Decimal | None = None
    minimum: object = None
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


@dataclass
class SurveyResults:
    survey: Survey
    filters: ResultFilters
    invited: int
    respondents: int
    questions: list[QuestionResult]

    @property
    def hidden(self) -> bool:
        return self.respondents < MIN_RESPONDENTS

    @property
    def response_rate(self) -> Decimal | None:
        return _percent(self.respondents, self.invited)

    @property
    def headline(self) -> QuestionResult | None:
        """The survey's headline figure: the first scale question's satisfaction rate."""
        return next((q for q in self.questions if q.kind == Question.Kind.SCALE and not q.hidden), None)


def result_responses(*, survey: Survey, filters: ResultFilters) -> QuerySet[Response]:
    responses = Response.objects.filter(survey=survey)
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


def survey_results(
    *,
    survey: Survey,
    filters: ResultFilters | None = None,
    texts_limit: int = TEXTS_SHOWN,
    questions: list[Question] | None = None,
) -> SurveyResults:
    filters = filters or ResultFilters()
    responses = result_responses(survey=survey, filters=filters)
    respondents = responses.count()
    invited = _invitations(survey=survey, filters=filters).count()
    questions = list(questions if questions is not None else survey_questions(survey))
    results = [QuestionResult(question=question) for question in questions]
    outcome = SurveyResults(survey=survey, filters=filters, invited=invited, respondents=respondents, questions=results)
    if outcome.hidden:
        return outcome  # nothing else is computed, so nothing can leak into the page
    answers = Answer.objects.filter(question_id__in=[question.pk for question in questions])
    if filters.is_group:
        answers = answers.filter(response__in=responses.values("pk"))
    _fill(results, answers, texts_limit=texts_limit)
    return outcome


def _fill(results: list[QuestionResult], answers: QuerySet[Answer], *, texts_limit: int) -> None:
    """Three queries: every non-text answer grouped by (question, value) — the distributions, from
    which counts, percentages, means and extremes follow exactly —, the respondents of multiple-choice
    questions (a person ticks several), and the first free texts of each text question."""
    by_id = {result.question.pk: result for result in results}
    kinds = {result.question.pk: result.question.kind for result in results}
    text_ids = [pk for pk, kind in kinds.items() if kind in Question.TEXT_KINDS]
    multiple_ids = [pk for pk, kind in kinds.items() if kind == Question.Kind.MULTIPLE]

    distributions: dict[int, dict] = {pk: {} for pk in by_id}
    answered = dict.fromkeys(by_id, 0)
    grouped = (
        answers.exclude(question_id__in=text_ids)
        .values("question_id", "choice_id", "number", "date_value")
        .annotate(n=Count("id"))
        .values_list("question_id", "choice_id", "number", "date_value", "n")
    )
    for pk, choice_id, number, date_value, n in grouped:
        value = choice_id if choice_id is not None else number if number is not None else date_value
        distributions[pk][value] = distributions[pk].get(value, 0) + n
        answered[pk] += n
    if multiple_ids:
        answered.update(
            answers.filter(question_id__in=multiple_ids)
            .values("question_id")
            .annotate(n=Count("response_id", distinct=True))
            .values_list("question_id", "n")
        )
    if text_ids:
        answered.update(
            answers.filter(question_id__in=text_ids)
            .exclude(text="")
            .values("question_id")
            .annotate(n=Count("id"))
            .values_list("question_id", "n")
        )

    for pk, result in by_id.items():
        result.answered = answered.get(pk, 0)
        result.hidden = result.answered < MIN_RESPONDENTS
        if result.hidden:
            continue  # below the threshold: the count of answers only
        values = distributions[pk]
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
            result.minimum, result.maximum = min(values), max(values)
        if question.kind == Question.Kind.DATE and values:
            result.minimum, result.maximum = min(values), max(values)

    shown_texts = [pk for pk in text_ids if not by_id[pk].hidden]
    if shown_texts and texts_limit:
        ranked = (
            answers.filter(question_id__in=shown_texts)
            .exclude(text="")
            .annotate(rank=Window(RowNumber(), partition_by=[F("question_id")], order_by=[F("id").asc()]))
            .filter(rank__lte=texts_limit)
            .values_list("question_id", "text")
        )
        for pk, text in ranked:
            by_id[pk].texts.append(text)
        for pk in shown_texts:
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


@dataclass
class SessionRow:
    session: SurveySession
    invited: int
    respondents: int
    satisfaction: Decimal | None  # of the headline scale question; None when hidden or absent

    @property
    def hidden(self) -> bool:
        return self.respondents < MIN_RESPONDENTS

    @property
    def response_rate(self) -> Decimal | None:
        return _percent(self.respondents, self.invited)


def session_overview(*, survey: Survey, headline: Question | None) -> list[SessionRow]:
    """Each session's participation and satisfaction (three queries, whatever the number of sessions)."""
    sessions = list(survey.sessions.order_by("order", "held_on", "pk"))
    if not sessions:
        return []
    respondents = dict(
        Response.objects.filter(survey=survey)
        .values("session_id")
        .annotate(n=Count("pk"))
        .values_list("session_id", "n")
    )
    invited = dict(
        Invitation.objects.filter(survey=survey)
        .values("session_id")
        .annotate(n=Count("pk"))
        .values_list("session_id", "n")
    )
    satisfied: dict[int, tuple[int, int]] = {}
    if headline is not None:
        for row in (
            Answer.objects.filter(question=headline, number__isnull=False)
            .values("response__session_id")
            .annotate(total=Count("id"), top=Count("id", filter=Q(number__in=SATISFIED_LEVELS)))
        ):
            satisfied[row["response__session_id"]] = (row["top"], row["total"])
    rows = []
    for session in sessions:
        count = respondents.get(session.pk, 0)
        top, total = satisfied.get(session.pk, (0, 0))
        shown = count >= MIN_RESPONDENTS and total >= MIN_RESPONDENTS
        rows.append(SessionRow(session, invited.get(session.pk, 0), count, _percent(top, total) if shown else None))
    return rows


def survey_satisfaction_rate(survey: Survey) -> Decimal | None:
    """The headline figure fed to action-plan indicators: the first scale question's satisfaction
    rate over every response, None below the threshold."""
    headline = (
        survey.questions.filter(kind=Question.Kind.SCALE)
        .order_by("section__order", "section_id", "order", "pk")
        .first()
    )
    if headline is None:
        return None
    row = Answer.objects.filter(question=headline, number__isnull=False).aggregate(
        total=Count("id"), top=Count("id", filter=Q(number__in=SATISFIED_LEVELS))
    )
    if row["total"] < MIN_RESPONDENTS:
        return None
    return _percent(row["top"], row["total"])


def survey_response_rate(survey: Survey) -> Decimal | None:
    invited = survey.invitations.count()
    return _percent(survey.responses.count(), invited)
