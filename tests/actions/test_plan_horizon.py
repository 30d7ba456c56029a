"""The plan's horizon in its header comes from the plan's data: the years its calendar spans (the
plan's own period and every card's dates), never only the period the plan was first written for."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.actions.factories import ActionCardFactory, ObjectiveFactory, PlanFactory
from tests.html import text_of

pytestmark = pytest.mark.django_db


def test_header_and_calendar_give_the_same_horizon(client, agent):
    plan = PlanFactory(is_current=True, period_start=None, period_end=datetime.date(2025, 12, 31))
    objective = ObjectiveFactory(plan=plan, number=1)
    ActionCardFactory(
        objective=objective, position=1, start_date=datetime.date(2022, 3, 1), end_date=datetime.date(2027, 6, 30)
    )
    client.force_login(agent)
    header = text_of(client.get(reverse("actions:plan-overview")))
    assert "De 2022 à 2027" in header
    assert "Jusqu'en 2025" not in header
    calendar = client.get(reverse("actions:plan-calendar")).content.decode()
    assert "de 2022 à 2027" in calendar


def test_no_horizon_when_nothing_is_dated(client, agent):
    plan = PlanFactory(is_current=True, period_start=None, period_end=None)
    ActionCardFactory(objective=ObjectiveFactory(plan=plan, number=1), position=1, start_date=None, end_date=None)
    client.force_login(agent)
    header = text_of(client.get(reverse("actions:plan-overview")))
    assert "1 action" in header
    assert not re.search(r"De \d{4} à \d{4}|Jusqu'en \d{4}", header)
