"""The shell as each demo account meets it, on a laptop and on a phone: every page of the role's
main navigation opened at 1280×720, 1366×768, 1920×1080 and 320 px wide. No page scrolls
sideways; the main navigation holds on one line on a laptop; the search field and the account
menu are on screen (at 320 px, once the « Menu » panel is open);
axe finds nothing on the phone's layout (test_pages checks the laptop's). And our error pages,
in the same layout."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from intranet.demo import DEMO_DOMAIN, DEMO_PASSWORD
from tests.e2e.conftest import axe_violations, console_errors, format_violations_by_page, path_of

pytestmark = pytest.mark.browser

DEMO_ROLES = ["agent", "manager", "rh", "communication", "copil", "pilote", "partenaire", "admin"]
DEMO_AGENTS = 60  # the smallest demo that still gives every unit a head
LAPTOPS = [(1280, 720), (1366, 768), (1920, 1080)]
PHONE = (320, 640)
COMPACT_BELOW = 992  # the header's breakpoint: the « Menu » panel below it


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", agents=DEMO_AGENTS, stdout=io.StringIO())


def _login(page, live_server, role):
    page.goto(live_server.url + reverse("account_login"))
    page.get_by_label("Courriel").fill(f"{role}@{DEMO_DOMAIN}")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(live_server.url + reverse("intranet:home"))


def _on_screen(locator, width: int) -> bool:
    """Visible, and wholly inside the window's width."""
    if not locator.is_visible():
        return False
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5


def _layout_problems(page, path: str, width: int) -> list[str]:
    problems = []
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    inner_width = page.evaluate("window.innerWidth")
    if scroll_width > inner_width:
        problems.append(f"{path} at {width} px: the page is {scroll_width} px wide (scrolls sideways)")
    search = page.get_by_role("searchbox", name="Rechercher dans l'intranet")
    account = page.locator("#menu-utilisateur")
    if width >= COMPACT_BELOW:
        tops = page.locator("ul.mc-nav-list > li").evaluate_all("items => items.map(li => li.offsetTop)")
        if len(set(tops)) > 1:
            problems.append(f"{path} at {width} px: the main navigation wraps on {len(set(tops))} lines")
    if width < COMPACT_BELOW:
        page.get_by_role("button", name="Menu", exact=True).click()
        search.wait_for(state="visible")
        page.wait_for_timeout(400)  # the panel's slide
    if not _on_screen(search, width):
        problems.append(f"{path} at {width} px: the search field is not on screen")
    if not _on_screen(account, width):
        problems.append(f"{path} at {width} px: the account menu is not on screen")
    if width < COMPACT_BELOW:
        page.keyboard.press("Escape")
        page.locator("#menu-principal").wait_for(state="hidden")
    return problems


def _main_navigation(page, origin: str) -> list[str]:
    hrefs = page.locator("nav.mc-nav a[href]").evaluate_all("links => links.map(a => a.href)")
    return list(dict.fromkeys(path_of(href) for href in hrefs if href.startswith(origin)))


@pytest.mark.parametrize("role", DEMO_ROLES)
def test_every_page_of_the_main_navigation_fits_laptops_and_phones(page, axe, live_server, demo, role):
    _login(page, live_server, role)
    paths = _main_navigation(page, live_server.url)
    assert reverse("intranet:home") in paths
    problems, violations_by_page = [], {}
    for width, height in [*LAPTOPS, PHONE]:
        page.set_viewport_size({"width": width, "height": height})
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response is not None
            if response.status >= 400:
                problems.append(f"{path}: HTTP {response.status}")
                continue
            if width < COMPACT_BELOW:
                violations = axe_violations(page, axe)
                if violations:
                    violations_by_page[f"{path} ({width} px)"] = violations
            problems += _layout_problems(page, path, width)
            errors = console_errors(page)
            if errors:
                problems.append(f"{path} at {width} px: browser errors:\n  " + "\n  ".join(errors))
    if violations_by_page:
        problems.append(format_violations_by_page(violations_by_page))
    assert not problems, f"{role}, pages: {', '.join(paths)}\n\n" + "\n".join(problems)


@pytest.mark.parametrize("role", ["agent", "partenaire"])
def test_error_pages_sit_in_the_layout_and_fit(page, axe, live_server, demo, role):
    _login(page, live_server, role)
    pages = {
        "/cette-page-n-existe-pas/": (404, "Page introuvable"),
        reverse("directory:hr-home"): (403, "Vous n'avez pas accès à cette page"),
    }
    problems, violations_by_page = [], {}
    for width, height in [LAPTOPS[1], PHONE]:
        page.set_viewport_size({"width": width, "height": height})
        for path, (status, heading) in pages.items():
            response = page.goto(live_server.url + path)
            assert response is not None
            assert response.status == status
            assert page.get_by_role("heading", level=1).inner_text() == heading
            assert page.locator("html").get_attribute("lang") == "fr"
            assert page.get_by_role("link", name="Revenir à la page d'accueil").is_visible()
            violations = axe_violations(page, axe)
            if violations:
                violations_by_page[f"{path} ({width} px)"] = violations
            problems += _layout_problems(page, path, width)
            console_errors(page)  # the browser logs the 403/404 of the page itself
    if violations_by_page:
        problems.append(format_violations_by_page(violations_by_page))
    assert not problems, "\n".join(problems)
