"""Invitations and reminders through a real SMTP server on loopback (and a real worker once)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from intranet.models import OutgoingEmail
from intranet.services import email_send
from surveys.models import Question, Response
from surveys.services.invitations import invitations_mail_pending, reminders_send, survey_invite, survey_remind
from surveys.tasks import surveys_daily_task
from tests.factories import AgentFactory
from tests.surveys.factories import QuestionFactory, SectionFactory, SurveyFactory

pytestmark = pytest.mark.django_db


def _send_outbox():
    for pk in OutgoingEmail.objects.pending().values_list("pk", flat=True):
        assert email_send(email_id=pk)


def _link_in(message) -> str:
    match = re.search(r"https?://\S*(/enquetes/r/[0-9a-f]{64}/)", message.text())
    assert match, message.text()
    return match.group(1)


def test_the_invitation_mail_carries_a_working_personal_link_and_the_reminder_skips_who_answered(
    smtp_server, client, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://intranet.example"
    survey = SurveyFactory(title="Réunion d'information de mars", closes_on=timezone.localdate() + timedelta(7))
    question = QuestionFactory(section=SectionFactory(survey=survey), kind=Question.Kind.SCALE, required=True)
    answering, silent = AgentFactory(), AgentFactory()
    with django_capture_on_commit_callbacks():
        assert survey_invite(survey=survey, agents=[answering, silent]) == 2
    assert invitations_mail_pending(survey_id=survey.pk) == 2  # what the task does
    _send_outbox()
    invitations = smtp_server.wait_for(2)
    mail = smtp_server.messages_to(answering.email)[0]
    assert "Réunion d'information de mars" in mail.message["Subject"]
    assert "anonyme" in mail.text()
    link = _link_in(mail)
    assert client.get(link).status_code == 200
    assert client.post(link, {question.field_name: "5", "action": "submit"}).status_code == 302
    assert Response.objects.count() == 1

    with django_capture_on_commit_callbacks():
        assert survey_remind(survey=survey) == 1
    assert reminders_send(survey_id=survey.pk) == 1
    _send_outbox()
    smtp_server.wait_for(len(invitations) + 1)
    assert len(smtp_server.messages_to(answering.email)) == 1
    reminders = smtp_server.messages_to(silent.email)
    assert len(reminders) == 2
    assert reminders[1].message["Subject"].startswith("Rappel")
    assert _link_in(reminders[1]) == _link_in(reminders[0])  # the same personal link


@pytest.mark.django_db(transaction=True)  # committed rows, seen by the worker's connection
@pytest.mark.services
def test_the_hourly_task_through_a_real_worker_sends_the_automatic_reminder_once(smtp_server, celery_worker_process):
    today = timezone.localdate()
    survey = SurveyFactory(closes_on=today + timedelta(days=1), auto_remind_days=2)
    QuestionFactory(section=SectionFactory(survey=survey))
    agent = AgentFactory()
    survey_invite(survey=survey, agents=[agent])
    smtp_server.wait_for(1, timeout=60)
    surveys_daily_task.delay()
    smtp_server.wait_for(2, timeout=60)
    surveys_daily_task.delay()
    from tests.harness import wait_until

    wait_until(
        lambda: celery_worker_process.log().count("automatic reminder(s)") >= 2,
        timeout=60,
        message="the second run of the task",
    )
    subjects = [mail.message["Subject"] for mail in smtp_server.messages_to(agent.email)]
    assert len(subjects) == 2
    assert subjects[1].startswith("Rappel")
