"""The e-mail that carries the committee's decisions to the pilots of the cards, when the review
closes (the decisions are final then): one e-mail per pilot, listing their cards' decisions with
the committee's comments and what each asks of them."""

from collections import defaultdict

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from actions.reviews.models import Decision, Review
from actions.reviews.reminders import pilots_to_remind
from actions.reviews.selectors.follow_up import FOLLOW_UP_DAYS
from intranet.links import absolute_url
from intranet.models import OrgUnit
from intranet.services import email_publish_on_commit, email_queue


def decisions_notify(*, review: Review) -> int:
    """Queue, in the caller's transaction, one e-mail per pilot of the review's decided cards.
    Returns the number of e-mails queued."""
    decisions = list(
        Decision.objects.filter(review=review)
        .select_related("card", "card__objective")
        .prefetch_related(
            "card__pilot_agents",
            Prefetch("card__pilot_units", queryset=OrgUnit.objects.select_related("head")),
        )
        .order_by("card__objective__number", "card__position")
    )
    by_pilot = defaultdict(list)
    for decision in decisions:
        for agent in pilots_to_remind(decision.card):
            by_pilot[agent].append(decision)
    sent = 0
    for agent, items in by_pilot.items():
        if not (agent.has_mailbox and agent.email):
            continue
        context = {
            "agent": agent,
            "review": review,
            "items": [
                {
                    "decision": decision,
                    "card_url": absolute_url(reverse("actions:card-detail", args=[decision.card_id])),
                    "steps_url": absolute_url(reverse("actions:card-steps", args=[decision.card_id])),
                }
                for decision in items
            ],
            "review_url": absolute_url(review.get_absolute_url()),
            "my_cards_url": absolute_url(reverse("actions:my-cards")),
            "follow_up_days": FOLLOW_UP_DAYS,
        }
        email_queue(
            to=agent.email,
            subject=_("Revue %(year)s du projet d'administration : les décisions du comité sur vos actions")
            % {"year": review.year},
            text=render_to_string("reviews/email/decisions.txt", context),
            html=render_to_string("reviews/email/decisions.html", context),
            kind="reviews.decisions",
            publish=False,
        )
        sent += 1
    if sent:
        email_publish_on_commit()
    return sent
