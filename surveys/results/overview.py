"""The figures read beside a results page: each session's participation and satisfaction (hidden by
the same rules as the session's own page), and the survey's headline rates that feed action-plan
indicators."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q

from surveys.disclosure import Disclosure, View
from surveys.models import SATISFIED_LEVELS, Answer, Invitation, Question, Survey, SurveySession
from surveys.results.counts import AnswerCounts, answer_counts, respondent_disclosure
from surveys.results.figures import _percent
from surveys.results.filters import MIN_RESPONDENTS, published_responses


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
