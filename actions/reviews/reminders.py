"""Which reminders a review still owes its pilots, and the e-mail that carries them
(`services.review_reminders_send` decides when and records them)."""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from actions.models import STALE_AFTER_DAYS, ActionCard
from actions.reviews.models import Reminder, Review, SelfAssessment
from intranet.links import absolute_url
from intranet.models import Agent, OrgUnit
from intranet.services import email_queue


def pilots_to_remind(card: ActionCard) -> list[Agent]:
    """The card's pilots who are told: the agents named on it and the heads of its pilot units (active)."""
    agents = {agent.pk: agent for agent in card.pilot_agents.all() if agent.is_active}
    for unit in card.pilot_units.all():
        if unit.head is not None and unit.head.is_active:
            agents.setdefault(unit.head.pk, unit.head)
    return list(agents.values())


def pending_reminders(*, review: Review, now) -> dict[Agent, list[tuple[ActionCard, str]]]:
    """{pilot: [(card, kind)…]} of the reminders not sent yet for `review`."""
    cards = list(
        ActionCard.objects.filter(plan_id=review.plan_id)
        .open()
        .select_related("objective")
        .prefetch_related("pilot_agents", Prefetch("pilot_units", queryset=OrgUnit.objects.select_related("head")))
        .order_by("objective__number", "position")
    )
    assessed = set(SelfAssessment.objects.filter(review=review).values_list("card_id", flat=True))
    in_review = set(review.snapshots.values_list("card_id", flat=True))
    sent = set(Reminder.objects.filter(review=review).values_list("card_id", "agent_id", "kind"))
    stale_before = now - timedelta(days=STALE_AFTER_DAYS)
    pending: dict[Agent, list] = defaultdict(list)
    for card in cards:
        kinds = []
        if card.updated_at < stale_before:
            kinds.append(Reminder.Kind.STALE)
        if review.status == Review.Status.SELF_ASSESSMENT and card.pk in in_review and card.pk not in assessed:
            kinds.append(Reminder.Kind.SELF_ASSESSMENT)
        for agent in pilots_to_remind(card):
            for kind in kinds:
                if (card.pk, agent.pk, kind) not in sent:
                    pending[agent].append((card, kind))
    return dict(pending)


def reminder_email(*, review: Review, agent: Agent, items: list[tuple[ActionCard, str]]) -> None:
    context = {
        "agent": agent,
        "review": review,
        "stale": [card for card, kind in items if kind == Reminder.Kind.STALE],
        "missing": [card for card, kind in items if kind == Reminder.Kind.SELF_ASSESSMENT],
        "my_url": absolute_url(reverse("reviews:my-self-assessments")),
        "cards_url": absolute_url(reverse("actions:my-cards")),
        "stale_days": STALE_AFTER_DAYS,
    }
    email_queue(
        to=agent.email,
        subject=_("Revue %(year)s du projet d'administration : vos fiches à mettre à jour") % {"year": review.year},
        text=render_to_string("reviews/email/reminder.txt", context),
        html=render_to_string("reviews/email/reminder.html", context),
        kind="reviews.reminder",
    )
