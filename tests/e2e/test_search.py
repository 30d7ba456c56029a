"""The global search in a browser: every kind of result with its kind, the filter by kind, at a
desktop's width and a phone's, for an agent, a manager, a partner and communication; zero axe
violations, no console error."""

import os
from pathlib import Path

import pytest

from intranet.audiences import AudienceSpec
from tests.content.factories import NewsFactory, PageFactory
from tests.e2e.conftest import assert_no_axe_violations, assert_no_console_errors, login_as
from tests.events.factories import EventFactory, SessionFactory
from tests.shadowing.factories import OfferFactory
from tests.vacancies.factories import ConcoursFactory

pytestmark = pytest.mark.browser

SCREENSHOT_DIR = os.environ.get("E2E_SCREENSHOT_DIR", "")
SIZES = {"desktop": (1366, 768), "phone": (375, 812)}


@pytest.fixture
def garden_content(unit):
    unit.name = "Service des jardins familiaux"
    unit.save()
    NewsFactory(title="Les jardins familiaux rouvrent", summary="Inscriptions ouvertes jusqu'au 15 mars.")
    NewsFactory(
        title="Jardins pédagogiques des lycées",
        audience=AudienceSpec(everyone=True, partners=True).to_json(),
        audience_partners=True,
    )
    PageFactory(title="Règlement des jardins familiaux")
    SessionFactory(event=EventFactory(title="Atelier des jardins", kind="formation"))
    OfferFactory(job_title="Jardinier", description="Entretien des jardins familiaux.")
    ConcoursFactory(name="Technicien territorial, spécialité espaces verts et jardins")


@pytest.mark.parametrize("role", ["agent", "manager", "partenaire", "communication"])
def test_search_page_for_each_role_and_width(role, request, page, axe, live_server, garden_content):
    login_as(page, live_server, request.getfixturevalue(role))
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.goto(live_server.url + "/recherche/?q=jardins")
        results = page.locator("li.list-group-item")
        assert results.count() >= 1
        if role == "partenaire":
            assert results.count() == 1
            assert "Jardins pédagogiques des lycées" in results.first.inner_text()
        else:
            assert page.get_by_role("heading", name="Services").count() == 1
        if SCREENSHOT_DIR:
            Path(SCREENSHOT_DIR).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{SCREENSHOT_DIR}/search-{role}-{size}.png", full_page=True)
        assert_no_axe_violations(page, axe)
        assert_no_console_errors(page)


def test_filter_by_kind_with_the_keyboard(page, axe, live_server, agent, garden_content):
    login_as(page, live_server, agent)
    page.goto(live_server.url + "/recherche/?q=jardins")
    page.get_by_label("Type de résultat").select_option(label="Actualités")
    page.locator("#contenu").get_by_role("button", name="Rechercher").press("Enter")
    page.wait_for_url("**type=news**")
    kinds = set(page.locator("li.list-group-item .badge").all_inner_texts())
    assert kinds == {"Actualités"}
    page.get_by_role("link", name="Voir les résultats de tous les types").click()
    assert page.locator("li.list-group-item").count() >= 5
    assert_no_axe_violations(page, axe)
    assert_no_console_errors(page)
