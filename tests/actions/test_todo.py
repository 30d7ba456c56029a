"""« À faire », for pilots: their cards of the current plan that are late or that nobody has
followed up for 90 days, by the plan overview's own rules."""

from datetime import timedelta

import pytest
from django.utils import timezone

from actions.models import ActionCard
from intranet.models import Agent
from intranet.selectors import todo_inbox
from tests.actions.factories import ActionCardFactory, ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db


def group(user):
    inbox = todo_inbox(user=Agent.objects.get(pk=user.pk), limit=50)
    return next((entry.group for entry in inbox.entries if entry.source.key == "actions-cards"), None)


def test_a_pilot_is_asked_to_update_their_stale_and_late_cards(pilote):
    objective = ObjectiveFactory(plan=PlanFactory(is_current=True), number=1)
    today = timezone.localdate()
    fresh = ActionCardFactory(objective=objective, position=1, status="en_cours")
    stale = ActionCardFactory(objective=objective, position=2, status="en_cours", title="Former les agents")
    late = ActionCardFactory(objective=objective, position=3, status="en_cours", end_date=today - timedelta(days=1))
    done = ActionCardFactory(objective=objective, position=4, status="realisee")
    for card in (fresh, stale, late, done):
        card.pilot_agents.add(pilote)
    ActionCard.objects.filter(pk__in=[stale.pk, done.pk]).update(updated_at=timezone.now() - timedelta(days=120))

    result = group(pilote)
    assert [(i.title, i.late, i.detail) for i in result.items] == [
        ("Action 1.2 – Former les agents", False, "pas de suivi depuis 90 jours"),
        (f"Action 1.3 – {late.title}", True, "en retard"),
    ]
    assert (result.count, result.late) == (2, 1)
    assert result.items[0].url == stale.get_absolute_url()
