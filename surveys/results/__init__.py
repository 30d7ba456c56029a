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

A fixed number of queries whatever the number of answers or questions (see `figures._fill`).

- `filters`: the group asked for, the published responses and invitations it reads;
- `counts`: respondents and answers counted once per (session, site, unit) cell;
- `figures`: the page's figures, question by question (`survey_results`);
- `ranges`: numbers and dates given as ranges on anonymous surveys;
- `overview`: the sessions' table and the headline rates fed to indicators.

Every public name is re-exported here: callers import from `surveys.results`.
"""

from surveys.results.counts import AnswerCounts, answer_counts, respondent_disclosure
from surveys.results.figures import (
    LEVEL_KINDS,
    TEXTS_SHOWN,
    Bar,
    QuestionResult,
    SurveyResults,
    survey_results,
    value_distributions,
)
from surveys.results.filters import (
    MIN_RESPONDENTS,
    ResultFilters,
    filters_allowed,
    published_responses,
    result_responses,
)
from surveys.results.overview import SessionRow, session_overview, survey_response_rate, survey_satisfaction_rate
from surveys.results.ranges import value_range_of, value_ranges

__all__ = [
    "AnswerCounts",
    "Bar",
    "LEVEL_KINDS",
    "MIN_RESPONDENTS",
    "QuestionResult",
    "ResultFilters",
    "SessionRow",
    "SurveyResults",
    "TEXTS_SHOWN",
    "answer_counts",
    "filters_allowed",
    "published_responses",
    "respondent_disclosure",
    "result_responses",
    "session_overview",
    "survey_response_rate",
    "survey_results",
    "survey_satisfaction_rate",
    "value_distributions",
    "value_range_of",
    "value_ranges",
]
