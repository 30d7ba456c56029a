"""Every page a role can reach from its navigation and footer: it answers, passes axe-core's
WCAG 2.1 AA rules, and runs without console errors or CSP violations. Plus the keyboard
paths (skip link, visible focus, menus), the language switcher and the login errors."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from tests.e2e.conftest import (
    assert_no_axe_violations,
    assert_no_console_errors,
    axe_violations,
    console_errors,
    format_violations_by_page,
    login_as,
    path_of,
)

pytestmark = pytest.mark.browser

ROLES = ["anonymous", "agent", "manager", "rh", "communication", "copil", "pilote", "partenaire", "admin_user"]
# Django's admin is not our templates. (The logout link is kept: a GET only shows the
# confirmation form, it does not end the session.)
EXCLUDED_PREFIXES = ("/admin/",)
# Set to a folder to keep a screenshot of each role's home page there.
SCREENSHOT_DIR = os.environ.get("E2E_SCREENSHOT_DIR", "")


def _user_for(request, role):
    return None if role == "anonymous" else request.getfixturevalue(role)


def _nav_and_footer_links(page, origin: str) -> list[str]:
    hrefs = page.locator("header nav a[href], footer a[href]").evaluate_all("links => links.map(a => a.href)")
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            continue
        path = path_of(href)
        if path.startswith(EXCLUDED_PREFIXES) or path in paths:
            continue
        paths.append(path)
    return paths


def _check_page(page, axe, live_server, path: str) -> tuple[list[str], list[dict]]:
    """Visit `path`: what is wrong with it (HTTP, console), and its axe violations."""
    response = page.goto(live_server.url + path)
    if response is None or response.status >= 400:
        status = response.status if response else "no response"
        return [f"{path}: HTTP {status}"], []
    violations = axe_violations(page, axe)
    errors = console_errors(page)
    problems = [f"{path}: browser errors:\n  " + "\n  ".join(errors)] if errors else []
    return problems, violations


@pytest.mark.parametrize("role", ROLES)
def test_every_reachable_page_is_accessible(request, page, axe, live_server, role):
    user = _user_for(request, role)
    home = reverse("intranet:home")
    if user is None:
        page.goto(live_server.url + home)
        # The intranet is private: the home page sends anonymous visitors to the login form.
        assert path_of(page.url).startswith(reverse("account_login"))
    else:
        login_as(page, live_server, user)
        assert path_of(page.url) == home
        greeting = page.locator("main h1")
        assert greeting.is_visible()
        assert greeting.inner_text().startswith("Bonjour")
    if SCREENSHOT_DIR:
        Path(SCREENSHOT_DIR).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOT_DIR) / f"home-{role}.png"), full_page=True)

    # Bootstrap's stylesheet is served (axe's contrast results depend on it).
    assert page.locator("footer").evaluate("f => getComputedStyle(f).borderTopStyle") == "solid"

    paths = _nav_and_footer_links(page, live_server.url)
    paths += [
        path_of(page.url),
        reverse("intranet:search") + "?q=dupont",
        reverse("account_login"),
        reverse("account_reset_password"),
        reverse("account_change_password"),
    ]
    problems, violations_by_page = [], {}
    for path in dict.fromkeys(paths):
        page_problems, violations = _check_page(page, axe, live_server, path)
        problems += page_problems
        if violations:
            violations_by_page[path] = violations
    if violations_by_page:
        problems.append(format_violations_by_page(violations_by_page))
    assert not problems, f"{role}, pages visited: {', '.join(dict.fromkeys(paths))}\n\n" + "\n\n".join(problems)


def test_skip_link_is_first_and_moves_focus_to_main(page, live_server, agent):
    login_as(page, live_server, agent)
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert focused.inner_text() == "Aller au contenu"
    assert focused.is_visible()
    box = focused.bounding_box()
    assert box is not None
    assert box["width"] > 10
    assert box["height"] > 10
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"
    assert page.evaluate("document.activeElement.tagName") == "MAIN"
    assert_no_console_errors(page)


def test_keyboard_focus_is_visible(page, live_server, agent):
    login_as(page, live_server, agent)
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the site's name
    page.keyboard.press("Tab")  # the search field
    focused = page.locator(":focus")
    assert focused.get_attribute("type") == "search"
    for _ in range(4):  # the search button, « À faire », the account menu, the first link of the navigation
        page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert focused.evaluate("el => el.closest('nav') !== null")
    assert focused.inner_text() == "Accueil"
    assert focused.evaluate("el => getComputedStyle(el).outlineStyle") != "none"
    assert focused.evaluate("el => parseFloat(getComputedStyle(el).outlineWidth)") >= 2


def test_user_menu_works_with_the_keyboard(page, axe, live_server, agent):
    login_as(page, live_server, agent)
    toggle = page.locator("#menu-utilisateur")
    menu = page.locator("#menu-utilisateur + .dropdown-menu")
    assert not menu.is_visible()
    toggle.focus()
    page.keyboard.press("Enter")
    assert menu.is_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    assert page.locator(":focus").inner_text() == "Mon profil"
    assert_no_axe_violations(page, axe)
    page.keyboard.press("Escape")
    assert not menu.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.id") == "menu-utilisateur"
    # The menu's items lead where they say.
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + reverse("directory:profile-edit"))
    assert_no_console_errors(page)


def test_navbar_toggler_opens_the_menu_on_a_small_screen(page, axe, live_server, agent):
    from playwright.sync_api import expect  # installed with the browser tests' extras

    page.set_viewport_size({"width": 375, "height": 740})
    login_as(page, live_server, agent)
    toggler = page.get_by_role("button", name="Menu", exact=True)
    menu = page.locator("#menu-principal")
    assert toggler.is_visible()
    assert not menu.is_visible()
    page.mouse.move(0, 0)
    page.wait_for_timeout(400)  # the button's colour transition ends before axe measures contrast
    assert_no_axe_violations(page, axe)
    toggler.focus()
    page.keyboard.press("Enter")
    menu.get_by_role("searchbox").wait_for(state="visible")
    assert menu.get_by_role("button", name="Mon compte").is_visible()
    assert menu.get_by_role("link", name="Accueil").is_visible()
    # A side panel: a modal dialog named « Menu » that holds the focus; Escape closes it.
    assert page.get_by_role("dialog", name="Menu").is_visible()
    expect(menu).to_be_focused()
    page.wait_for_timeout(400)  # the panel's slide and the button's colour transition end first
    assert_no_axe_violations(page, axe)
    page.keyboard.press("Escape")
    menu.wait_for(state="hidden")
    expect(toggler).to_be_focused()
    assert_no_console_errors(page)


def test_language_switcher_changes_the_page_to_english(page, live_server, agent):
    login_as(page, live_server, agent)
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_label("Langue").select_option("en")
    with page.expect_navigation():
        page.get_by_role("button", name="Changer").click()
    assert path_of(page.url) == reverse("intranet:home")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#choix-langue").input_value() == "en"
    assert_no_console_errors(page)


def test_language_switcher_works_for_anonymous_visitors(page, live_server, db):
    page.goto(live_server.url + reverse("account_login"))
    page.locator("#choix-langue").select_option("en")
    with page.expect_navigation():
        page.locator("footer button[type=submit]").click()
    assert path_of(page.url) == reverse("account_login")
    assert page.locator("html").get_attribute("lang") == "en"
    assert_no_console_errors(page)


def test_wrong_password_shows_a_french_error_and_keeps_the_address(page, axe, live_server, agent):
    page.goto(live_server.url + reverse("account_login"))
    page.get_by_label("Courriel").fill("agent@test.local")
    page.get_by_label("Mot de passe").fill("pas-le-bon")
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").click()
    assert path_of(page.url) == reverse("account_login")
    # The error summary links to the field (the field's own message says the same).
    error = page.get_by_role("link", name="Courriel : L’adresse e-mail ou le mot de passe sont incorrects.")
    assert error.is_visible()
    assert page.get_by_label("Courriel").input_value() == "agent@test.local"
    assert_no_axe_violations(page, axe)
    assert_no_console_errors(page)
