"""The plan's calendar in the browser: the Gantt chart and its table, zero axe violations."""

import datetime
import os

import pytest
from django.urls import reverse

from actions.models import ActionCard
from actions.services.plan_loading import plan_data_read, plan_load
from tests.e2e.conftest import assert_no_axe_violations, assert_no_console_errors, login_as

pytestmark = pytest.mark.browser


@pytest.fixture
def seed_plan(db):
    return plan_load(data=plan_data_read())


def test_calendar_page_is_accessible(page, axe, live_server, agent, seed_plan):
    for index, card in enumerate(seed_plan.cards.order_by("objective__number", "position")):
        card.start_date = datetime.date(2022, 1, 1) + datetime.timedelta(days=40 * index)
        card.end_date = card.start_date + datetime.timedelta(days=300 + 10 * index)
        card.status = ActionCard.Status.values[index % 6]
        card.save()
    login_as(page, live_server, agent)
    page.goto(live_server.url + reverse("actions:plan-overview"))
    page.get_by_role("link", name="Calendrier").click()
    page.wait_for_url(live_server.url + reverse("actions:plan-calendar"))
    chart = page.get_by_role("img", name="Calendrier du plan d'action, de 2022 à 2026")
    assert chart.is_visible()
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], "calendar.png"), full_page=True)
    assert_no_axe_violations(page, axe)
    page.get_by_text("Le calendrier sous forme de tableau").click()
    assert page.get_by_role("link", name="1.1 ").first.is_visible()
    assert_no_axe_violations(page, axe)
    assert_no_console_errors(page)
