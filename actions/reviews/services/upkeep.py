"""Upkeep: the reminders e-mailed to pilots before a review (beat), and the RGPD anonymisation of a
departed agent's name."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from actions.reviews.models import CardSnapshot, Decision, FollowUpMember, Proposal, Review, SelfAssessment

REMIND_DAYS_BEFORE = 30
REMINDER_KIND = "reviews.reminder"


def review_reminders_send(*, now=None) -> int:
    """E-mail the pilots whose cards need them before a review: cards not followed up for 90
    days, and (while the review collects them) missing self-assessments. Reviews due within
    REMIND_DAYS_BEFORE days and not closed. One e-mail per pilot and review, listing the
    cards; a Reminder row per (review, card, pilot, kind) makes it idempotent: a reminder
    already sent is never sent again. Returns the number of e-mails queued."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = Review.objects.not_closed().filter(date__gte=today, date__lte=today + timedelta(days=REMIND_DAYS_BEFORE))
    return sum(_review_reminders(review_id=pk, now=now) for pk in due.values_list("pk", flat=True))


@transaction.atomic
def _review_reminders(*, review_id: int, now) -> int:
    from actions.reviews.reminders import pending_reminders, reminder_email

    review = Review.objects.select_for_update().select_related("plan").filter(pk=review_id).first()
    if review is None or review.is_closed:
        return 0
    sent = 0
    for agent, items in pending_reminders(review=review, now=now).items():
        from actions.reviews.models import Reminder

        Reminder.objects.bulk_create(
            [Reminder(review=review, card=card, agent=agent, kind=kind, sent_at=now) for card, kind in items]
        )
        if agent.has_mailbox and agent.email:
            reminder_email(review=review, agent=agent, items=items)
            sent += 1
    return sent


@transaction.atomic
def reviews_anonymise(*, agent, label: str) -> None:
    """A departed agent's name leaves the reviews: the self-assessments, decisions and
    proposals they wrote, and the snapshots where they were a pilot, show `label` instead."""
    SelfAssessment.objects.filter(author=agent).update(author_label=label)
    Decision.objects.filter(recorded_by=agent).update(recorded_by_label=label)
    Proposal.objects.filter(author=agent).update(author_label=label)
    for snapshot in CardSnapshot.objects.only("pk", "pilots").iterator():
        if any(pilot.get("id") == agent.pk for pilot in snapshot.pilots):
            pilots = [{**p, "name": label} if p.get("id") == agent.pk else p for p in snapshot.pilots]
            CardSnapshot.objects.filter(pk=snapshot.pk).update(pilots=pilots)
    FollowUpMember.objects.filter(agent=agent).delete()
