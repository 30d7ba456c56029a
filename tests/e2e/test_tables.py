"""Wide tables on a phone (static/js/tables.js): a short table becomes stacked rows, each cell
under its column's name; a long one (more than 25 rows) scrolls inside its own box, a focusable
region named after the table; neither widens the page. On a laptop the table stays a table."""

import itertools

import pytest
from django.urls import reverse

from tests.e2e.conftest import assert_no_axe_violations, login_as
from tests.shadowing.factories import CampaignFactory, VisitFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
LAPTOP = {"width": 1366, "height": 768}
JOB = "Agent d'exploitation et d'entretien de la voirie départementale"


def _campaign_with(visits: int):
    campaign = CampaignFactory()
    for _ in range(visits):
        VisitFactory(campaign=campaign, offer__job_title=JOB)
    return campaign


def _open(page, live_server, campaign, viewport):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + reverse("shadowing:campaign-detail", args=[campaign.pk]))
    page.wait_for_load_state("load")
    return page.locator("main table").first


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_a_short_wide_table_becomes_stacked_rows_on_a_phone(page, axe, live_server, rh):
    campaign = _campaign_with(3)
    login_as(page, live_server, rh)
    table = _open(page, live_server, campaign, PHONE)
    assert "mc-stacked" in table.get_attribute("class")
    assert _page_width(page) <= PHONE["width"]
    assert page.locator("main table thead").bounding_box()["height"] <= 1  # hidden: the names move to each cell
    first_row = table.locator("tbody tr").first
    cells = first_row.locator("td")
    # One block per row, its cells one under the other, each labelled with its column's name.
    boxes = [cells.nth(i).bounding_box() for i in range(cells.count())]
    assert all(later["y"] >= earlier["y"] + earlier["height"] - 1 for earlier, later in itertools.pairwise(boxes))
    assert cells.nth(1).get_attribute("data-label") == "Visiteur"
    label = cells.nth(1).evaluate("cell => getComputedStyle(cell, '::before').content")
    assert "Visiteur" in label
    assert page.get_by_role("table", name="Demandes de la campagne").is_visible()  # still a table to a screen reader
    assert_no_axe_violations(page, axe)

    table = _open(page, live_server, campaign, LAPTOP)
    assert "mc-stacked" not in (table.get_attribute("class") or "")
    assert page.locator("main table thead").bounding_box()["height"] > 20


def test_a_long_wide_table_scrolls_in_its_own_region_on_a_phone(page, axe, live_server, rh):
    campaign = _campaign_with(30)
    login_as(page, live_server, rh)
    table = _open(page, live_server, campaign, PHONE)
    assert "mc-stacked" not in (table.get_attribute("class") or "")
    assert _page_width(page) <= PHONE["width"]
    region = page.get_by_role("region", name="Demandes de la campagne")
    assert region.get_attribute("tabindex") == "0"
    assert region.evaluate("box => box.scrollWidth > box.clientWidth")
    region.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_timeout(300)  # smooth scrolling
    assert region.evaluate("box => box.scrollLeft") > 0  # the keyboard scrolls it
    assert_no_axe_violations(page, axe)
