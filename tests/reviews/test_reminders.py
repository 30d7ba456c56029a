"""Reminders to pilots before a review: stale cards (no follow-up for 90 days) and missing
self-assessments; never the same reminder twice for a review and a card."""

from datetime import timedelta

import pytest
from django.utils import timezone

from actions.models import ActionCard
from actions.reviews.models import Reminder, Review
from actions.reviews.services.committee import review_close, review_open, review_session_start
from actions.reviews.services.pilots import self_assessment_save
from actions.reviews.services.upkeep import review_reminders_send
from actions.reviews.tasks import review_reminders_task
from intranet.models import OutgoingEmail
from tests.factories import AgentFactory
from tests.harness import wait_until
from tests.intranet.test_outbox import WORKER_DB
from tests.reviews.factories import ReviewFactory


def _soon(review, *, days=10):
    Review.objects.filter(pk=review.pk).update(date=timezone.localdate() + timedelta(days=days))
    review.refresh_from_db()
    return review


def _stale(card, *, days=120):
    ActionCard.objects.filter(pk=card.pk).update(updated_at=timezone.now() - timedelta(days=days))


def test_pilot_is_reminded_of_a_stale_card_and_a_missing_self_assessment_once(open_review, cards, pilote):
    _soon(open_review)
    _stale(cards[0])
    assert review_reminders_send() == 1
    email = OutgoingEmail.objects.get()
    assert email.to == pilote.email
    assert "Revue 2026" in email.subject
    assert "Votre auto-évaluation est attendue" in email.text
    assert "1.1" in email.text
    assert "pas été mises à jour depuis plus de 90 jours" in email.text
    assert set(Reminder.objects.values_list("kind", flat=True)) == {"stale", "self_assessment"}
    assert review_reminders_send() == 0  # the same reminders: never twice
    assert OutgoingEmail.objects.count() == 1


def test_no_reminder_once_the_self_assessment_is_written_and_the_card_followed(open_review, cards, pilote):
    _soon(open_review)
    self_assessment_save(review=open_review, card=cards[0], user=pilote, assessment="Fait")
    assert review_reminders_send() == 0
    assert not OutgoingEmail.objects.exists()


def test_reminders_only_within_the_weeks_before_an_unclosed_review(open_review, cards, copil):
    _stale(cards[0])
    _soon(open_review, days=60)
    assert review_reminders_send() == 0
    _soon(open_review, days=-1)  # the session is past
    assert review_reminders_send() == 0
    _soon(open_review)
    review_session_start(review=open_review, user=copil)
    review_close(review=open_review, user=copil, undecided_confirmed=True)
    assert review_reminders_send() == 0


def test_unit_head_pilot_is_reminded_and_agent_without_mailbox_is_not_emailed(plan, cards, copil, unit, manager):
    card = cards[1]
    card.pilot_units.add(unit)  # the unit's head (`manager`) pilots it
    paper = AgentFactory(has_mailbox=False)
    cards[2].pilot_agents.add(paper)
    review = _soon(ReviewFactory(plan=plan, year=2026))
    review_open(review=review, user=copil)
    review_reminders_send()
    recipients = set(OutgoingEmail.objects.values_list("to", flat=True))
    assert manager.email in recipients
    assert paper.email not in recipients


# --- a real worker and a real SMTP server ------------------------------------------------------


@WORKER_DB
@pytest.mark.services
def test_beat_task_through_a_real_worker_sends_one_mail_per_pilot(
    open_review, cards, pilote, smtp_server, celery_worker_process
):
    _soon(open_review)
    _stale(cards[0])
    review_reminders_task.delay()
    messages = smtp_server.wait_for(1, timeout=60)
    assert messages[0].rcpt_tos == [pilote.email]
    assert "Action 1.1" in messages[0].text()
    review_reminders_task.delay()  # the beat runs again: nothing new to say

    def second_run_done():
        return celery_worker_process.log().count("reminder e-mail(s) queued") >= 2

    wait_until(second_run_done, timeout=60, message="the second run of the task")
    assert len(smtp_server.messages_to(pilote.email)) == 1
    assert Reminder.objects.filter(review=open_review).count() == 2
