"""Answering: an invitee's draft and final answers, and the publishing of anonymous responses in groups."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intranet.kept import model_version_name, renew
from surveys.answering import CleanedAnswers, answers_clean, raw_bounded
from surveys.models import PUBLISH_BATCH, Answer, Invitation, Question, Response, ResponseIdentity, Survey
from surveys.services.errors import AlreadyAnsweredError, AnswersInvalidError, SurveyClosedError
from surveys.services.questionnaire import survey_questions


def _check_answerable(invitation: Invitation, *, today: date | None = None) -> None:
    if invitation.answered:
        raise AlreadyAnsweredError(_("Vous avez déjà répondu à cette enquête. Merci !"))
    if not invitation.survey.is_accepting_answers(today=today):
        raise SurveyClosedError(_("Cette enquête n'accepte pas de réponses en ce moment."))


@transaction.atomic
def invitation_draft_save(*, invitation: Invitation, raw: dict[str, list[str]]) -> Invitation:
    """Keep partial answers to resume later. They are checked like a submit except for required
    questions (an unknown choice or a too long text is refused, not cut), and stored raw."""
    invitation = Invitation.objects.select_for_update().select_related("survey").get(pk=invitation.pk)
    _check_answerable(invitation)
    cleaned = answers_clean(questions=survey_questions(invitation.survey), raw=raw, for_submit=False)
    if not cleaned.is_valid:
        raise AnswersInvalidError(cleaned)
    invitation.draft = raw_bounded(raw)
    invitation.save(update_fields=["draft"])
    return invitation


def answer_rows(response: Response, questions, cleaned: CleanedAnswers) -> list[Answer]:
    rows = []
    for question in questions:
        if question.pk not in cleaned.values:
            continue
        value = cleaned.values[question.pk]
        kind = question.kind
        if kind == Question.Kind.MULTIPLE:
            rows.extend(Answer(response=response, question=question, choice_id=pk) for pk in value)
        elif kind == Question.Kind.SINGLE:
            rows.append(Answer(response=response, question=question, choice_id=value))
        elif kind == Question.Kind.YES_NO:
            rows.append(Answer(response=response, question=question, number=1 if value else 0))
        elif kind in (Question.Kind.SCALE, Question.Kind.NPS, Question.Kind.NUMBER):
            rows.append(Answer(response=response, question=question, number=value))
        elif kind == Question.Kind.DATE:
            rows.append(Answer(response=response, question=question, date_value=value))
        else:
            rows.append(Answer(response=response, question=question, text=value))
    return rows


@transaction.atomic
def survey_answer_submit(*, invitation: Invitation, raw: dict[str, list[str]], today: date | None = None) -> Response:
    """Store the final answers of one invitee, once.

    The invitation row is locked, then flipped answered with a conditional UPDATE (a second
    simultaneous submit waits for the first and finds it answered). The Response carries nothing
    of the invitation for an anonymous survey (see README); the draft is deleted in this same
    transaction. Invalid answers raise AnswersInvalidError (its `.cleaned.errors` per question) and
    store nothing."""
    # The survey row first (the order survey_close and survey_invite lock in): concurrent submits of
    # one survey queue here, so two of them never both count the same waiting responses.
    survey = Survey.objects.select_for_update().get(pk=invitation.survey_id)
    invitation = Invitation.objects.select_for_update().select_related("agent").get(pk=invitation.pk)
    invitation.survey = survey
    _check_answerable(invitation, today=today)
    questions = list(survey_questions(survey))
    cleaned = answers_clean(questions=questions, raw=raw, for_submit=True)
    if not cleaned.is_valid:
        raise AnswersInvalidError(cleaned)
    flipped = Invitation.objects.filter(pk=invitation.pk, answered=False).update(answered=True, draft=None)
    if flipped != 1:
        raise AlreadyAnsweredError(_("Vous avez déjà répondu à cette enquête. Merci !"))
    # An anonymous response keeps no date at all: even a day is a join key when an organiser watches
    # the "who has answered" list day by day.
    response = Response.objects.create(
        survey=survey,
        session_id=invitation.session_id,
        submitted_on=None if survey.anonymous else (today or timezone.localdate()),
        published=not survey.anonymous,
    )
    Answer.objects.bulk_create(answer_rows(response, questions, cleaned))
    renew(model_version_name("surveys.Answer"))  # in bulk: no signal renews the kept results
    if survey.anonymous:
        _responses_publish(survey=survey, session_id=invitation.session_id)
    else:
        ResponseIdentity.objects.create(response=response, survey=survey, agent=invitation.agent)
    return response


def _responses_publish(*, survey: Survey, session_id: int | None) -> int:
    """Publish the waiting responses of one session (or of a survey without sessions) once at least
    PUBLISH_BATCH of them wait: they enter the results together, so the results of any group grow by
    0 or by PUBLISH_BATCH and more, never by one answer. The caller holds the survey row's lock.
    Fewer than PUBLISH_BATCH left when the survey closes stay unpublished (see surveys/README.md)."""
    waiting = Response.objects.filter(survey=survey, session_id=session_id, published=False)
    if waiting.count() < PUBLISH_BATCH:
        return 0
    published = waiting.update(published=True)
    renew(model_version_name("surveys.Response"))  # an update: no signal renews the kept results
    return published


@transaction.atomic
def responses_publish(*, survey: Survey) -> int:
    """Publish, session by session, every group of at least PUBLISH_BATCH waiting responses (for
    answers stored in bulk, as the demo does)."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    sessions = set(
        Response.objects.filter(survey=survey, published=False).values_list("session_id", flat=True).distinct()
    )
    return sum(_responses_publish(survey=survey, session_id=session_id) for session_id in sessions)
