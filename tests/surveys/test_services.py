from datetime import date, timedelta
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from intranet.models import OutgoingEmail
from surveys.models import Answer, Invitation, Question, Response, ResponseIdentity, Survey
from surveys.services.answers import invitation_draft_save, survey_answer_submit
from surveys.services.drafting import survey_copy, survey_create_from_template, survey_delete, survey_update
from surveys.services.errors import AlreadyAnsweredError, AnswersInvalidError, SurveyClosedError
from surveys.services.invitations import (
    invitations_mail_pending,
    reminders_send,
    survey_auto_remind,
    survey_invite,
    survey_remind,
)
from surveys.services.questionnaire import condition_values, question_create, question_delete, question_move
from surveys.services.status import survey_close, survey_status_sync
from surveys.templates_library import TEMPLATES
from tests.factories import AgentFactory
from tests.surveys.factories import (
    InvitationFactory,
    QuestionFactory,
    SectionFactory,
    SessionFactory,
    SurveyFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_survey_create_from_template_builds_every_question_and_condition(template, rh):
    survey = survey_create_from_template(template=template, title="Test", author=rh)
    expected = sum(len(questions) for _title, questions in TEMPLATES[template]["sections"])
    assert survey.questions.count() == expected
    assert survey.status == Survey.Status.DRAFT
    assert list(survey.authors.all()) == [rh]
    assert survey.anonymous is TEMPLATES[template]["anonymous"]
    conditional = survey.questions.filter(condition_question__isnull=False)
    assert conditional.exists()
    for question in conditional:
        assert question.condition_value in {value for value, _label in condition_values(question.condition_question)}


def test_survey_create_from_template_refuses_an_unknown_template(rh):
    with pytest.raises(ValidationError):
        survey_create_from_template(template="inconnu", title="Test", author=rh)
    assert not Survey.objects.exists()


def test_survey_invite_is_idempotent_and_mails_only_agents_with_a_mailbox(rh, django_capture_on_commit_callbacks):
    survey = survey_create_from_template(template="meeting", title="Réunion", author=rh)
    paper = AgentFactory(has_mailbox=False)
    agents = [AgentFactory(), AgentFactory(), paper]
    with django_capture_on_commit_callbacks() as callbacks:
        assert survey_invite(survey=survey, agents=agents) == 3
        assert survey_invite(survey=survey, agents=agents) == 0
    tasks = [callback for callback in callbacks if isinstance(callback, partial)]  # (the others renew kept pages)
    assert len(tasks) == 1  # one task for the new invitations, none for the second call
    assert Invitation.objects.filter(survey=survey).count() == 3
    assert not OutgoingEmail.objects.exists()  # the worker queues the mails, in batches
    assert invitations_mail_pending(survey_id=survey.pk, batch=1) == 2
    assert invitations_mail_pending(survey_id=survey.pk) == 0  # run twice: nothing twice
    mails = OutgoingEmail.objects.filter(kind="surveys.invitation")
    assert sorted(mails.values_list("to", flat=True)) == sorted(a.email for a in agents[:2])
    invitation = Invitation.objects.get(agent=agents[0])
    assert invitation.get_link_path() in mails.get(to=agents[0].email).text
    assert invitation.token() not in str(Invitation.objects.values_list(flat=True))
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN  # inviting publishes a draft


def test_survey_invite_refuses_a_closed_survey():
    survey = SurveyFactory(status=Survey.Status.CLOSED)
    with pytest.raises(ValidationError):
        survey_invite(survey=survey, agents=[AgentFactory()])
    assert not Invitation.objects.exists()


def _scale_survey(**kwargs):
    survey = SurveyFactory(**kwargs)
    question = QuestionFactory(section=SectionFactory(survey=survey), kind=Question.Kind.SCALE, required=True)
    return survey, question


def test_answer_submit_anonymous_stores_no_identity_and_clears_the_draft():
    survey, question = _scale_survey(anonymous=True)
    session = SessionFactory(survey=survey)
    invitation = InvitationFactory(survey=survey, session=session)
    invitation_draft_save(invitation=invitation, raw={question.field_name: ["3"]})
    assert Invitation.objects.get(pk=invitation.pk).draft == {question.field_name: ["3"]}
    response = survey_answer_submit(invitation=invitation, raw={question.field_name: ["4"]})
    invitation.refresh_from_db()
    assert invitation.answered
    assert invitation.draft is None
    assert not ResponseIdentity.objects.exists()
    assert response.session == session
    assert response.submitted_on is None  # no date at all on an anonymous response
    assert Answer.objects.get(response=response).number == 4


def test_answer_submit_identified_links_the_agent():
    survey, question = _scale_survey(anonymous=False)
    invitation = InvitationFactory(survey=survey)
    response = survey_answer_submit(invitation=invitation, raw={question.field_name: ["5"]})
    assert ResponseIdentity.objects.get(response=response).agent == invitation.agent
    assert response.submitted_on == timezone.localdate()


def test_answer_submit_twice_is_refused_and_stores_one_response():
    survey, question = _scale_survey()
    invitation = InvitationFactory(survey=survey)
    survey_answer_submit(invitation=invitation, raw={question.field_name: ["4"]})
    with pytest.raises(AlreadyAnsweredError):
        survey_answer_submit(invitation=invitation, raw={question.field_name: ["2"]})
    with pytest.raises(AlreadyAnsweredError):
        invitation_draft_save(invitation=invitation, raw={question.field_name: ["2"]})
    assert Response.objects.count() == 1


def test_answer_submit_invalid_stores_nothing():
    survey, question = _scale_survey()
    other = QuestionFactory(section=question.section, kind=Question.Kind.SHORT_TEXT)
    invitation = InvitationFactory(survey=survey)
    with pytest.raises(AnswersInvalidError) as error:
        survey_answer_submit(invitation=invitation, raw={other.field_name: ["bonjour"]})
    assert question.pk in error.value.cleaned.errors
    assert not Response.objects.exists()
    assert not Answer.objects.exists()
    assert not Invitation.objects.get(pk=invitation.pk).answered


def test_answer_submit_refused_on_a_closed_survey():
    survey, question = _scale_survey(closes_on=timezone.localdate() - timedelta(days=1), opens_on=date(2020, 1, 1))
    invitation = InvitationFactory(survey=survey)
    with pytest.raises(SurveyClosedError):
        survey_answer_submit(invitation=invitation, raw={question.field_name: ["4"]})
    assert not Response.objects.exists()


def test_anonymity_and_questions_freeze_once_answered(rh):
    survey, question = _scale_survey(anonymous=True)
    survey_update(survey=survey, user=rh, title="T", intro="", anonymous=False, opens_on=None, closes_on=None)
    survey.refresh_from_db()
    assert survey.anonymous is False
    survey_answer_submit(invitation=InvitationFactory(survey=survey), raw={question.field_name: ["4"]})
    with pytest.raises(ValidationError):
        survey_update(survey=survey, user=rh, title="T", intro="", anonymous=True, opens_on=None, closes_on=None)
    with pytest.raises(ValidationError):
        question_create(section=question.section, kind=Question.Kind.YES_NO, label="Nouvelle ?")
    with pytest.raises(ValidationError):
        question_delete(question=question)
    survey.refresh_from_db()
    assert survey.anonymous is False
    assert survey.questions.count() == 1


def test_survey_copy_keeps_questions_choices_and_remaps_conditions(rh):
    source = survey_create_from_template(template="managers_year_end", title="Source", author=rh)
    copy = survey_copy(survey=source, user=rh)
    assert copy.pk != source.pk
    assert copy.status == Survey.Status.DRAFT
    assert copy.questions.count() == source.questions.count()
    for question in copy.questions.filter(condition_question__isnull=False):
        assert question.condition_question.survey_id == copy.pk
    choice_question = copy.questions.get(kind=Question.Kind.SINGLE)
    assert choice_question.choices.count() == 3


def test_question_move_reorders_within_the_section():
    section = SectionFactory(survey=SurveyFactory(status=Survey.Status.DRAFT))
    first, second = QuestionFactory(section=section, order=0), QuestionFactory(section=section, order=1)
    question_move(question=second, direction="up")
    assert list(section.questions.order_by("order").values_list("pk", flat=True)) == [second.pk, first.pk]


def test_question_condition_must_point_to_a_known_answer():
    section = SectionFactory(survey=SurveyFactory(status=Survey.Status.DRAFT))
    parent = QuestionFactory(section=section, kind=Question.Kind.YES_NO)
    with pytest.raises(ValidationError):
        question_create(
            section=section,
            kind=Question.Kind.LONG_TEXT,
            label="Pourquoi ?",
            condition_question=parent,
            condition_value="peut-être",
        )
    child = question_create(
        section=section,
        kind=Question.Kind.LONG_TEXT,
        label="Pourquoi ?",
        condition_question=parent,
        condition_value="non",
    )
    assert child.condition_question == parent


def test_choice_question_needs_two_choices():
    section = SectionFactory(survey=SurveyFactory(status=Survey.Status.DRAFT))
    with pytest.raises(ValidationError):
        question_create(section=section, kind=Question.Kind.SINGLE, label="Couleur ?", choices=["Rouge"])
    assert not Question.objects.exists()


def test_survey_remind_mails_only_those_who_have_not_answered(django_capture_on_commit_callbacks):
    survey, question = _scale_survey()
    answered, pending = InvitationFactory(survey=survey), InvitationFactory(survey=survey)
    survey_answer_submit(invitation=answered, raw={question.field_name: ["4"]})
    with django_capture_on_commit_callbacks():
        assert survey_remind(survey=survey) == 1
    assert reminders_send(survey_id=survey.pk) == 1
    assert reminders_send(survey_id=survey.pk) == 0  # a task delivered twice sends nothing twice
    assert list(OutgoingEmail.objects.filter(kind="surveys.reminder").values_list("to", flat=True)) == [
        pending.agent.email
    ]
    pending.refresh_from_db()
    assert pending.reminder_count == 1
    assert pending.reminded_at is not None


def test_survey_auto_remind_once_before_the_close_date(django_capture_on_commit_callbacks):
    today = timezone.localdate()
    survey, _question = _scale_survey(closes_on=today + timedelta(days=2), auto_remind_days=3)
    later, _q = _scale_survey(closes_on=today + timedelta(days=10), auto_remind_days=3)
    InvitationFactory(survey=survey)
    InvitationFactory(survey=later)
    assert survey_auto_remind(today=today) == 1
    assert survey_auto_remind(today=today) == 0
    assert reminders_send() == 1
    assert reminders_send() == 0
    assert OutgoingEmail.objects.filter(kind="surveys.reminder").count() == 1


def test_survey_status_follows_the_dates():
    today = timezone.localdate()
    scheduled = SurveyFactory(status=Survey.Status.SCHEDULED, opens_on=today)
    ended = SurveyFactory(
        status=Survey.Status.OPEN, opens_on=today - timedelta(days=9), closes_on=today - timedelta(days=1)
    )
    draft = SurveyFactory(status=Survey.Status.DRAFT, opens_on=today - timedelta(days=1))
    ended_invitation = InvitationFactory(survey=ended, draft={"q1": ["4"]})
    assert survey_status_sync(today=today) == 2
    for survey in (scheduled, ended, draft):
        survey.refresh_from_db()
    assert (scheduled.status, ended.status, draft.status) == ("open", "closed", "draft")
    assert Invitation.objects.get(pk=ended_invitation.pk).draft is None


def test_survey_close_deletes_the_drafts_left(rh):
    survey, _question = _scale_survey()
    invitation = InvitationFactory(survey=survey, draft={"q1": ["2"]})
    survey_close(survey=survey, user=rh)
    survey.refresh_from_db()
    assert survey.status == Survey.Status.CLOSED
    assert not survey.is_accepting_answers()
    assert Invitation.objects.get(pk=invitation.pk).draft is None


def test_survey_delete_only_without_answers(rh):
    survey, question = _scale_survey()
    invitation = InvitationFactory(survey=survey)
    survey_answer_submit(invitation=invitation, raw={question.field_name: ["4"]})
    with pytest.raises(ValidationError):
        survey_delete(survey=survey, user=rh)
    assert Survey.objects.filter(pk=survey.pk).exists()
    empty, _question = _scale_survey()
    InvitationFactory(survey=empty)
    survey_delete(survey=empty, user=rh)
    assert not Survey.objects.filter(pk=empty.pk).exists()
