"""The home page as each demo account meets it: every form on it is submitted and every link of
its boxes followed, in a real browser, with the real CSRF check. Nothing answers 403 or 500, and
each action does what its button says."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from intranet.demo import DEMO_DOMAIN, DEMO_PASSWORD
from intranet.models import Agent
from tests.e2e.conftest import assert_no_axe_violations, assert_no_console_errors, path_of

pytestmark = pytest.mark.browser

DEMO_ROLES = ["agent", "manager", "rh", "communication", "copil", "pilote", "partenaire", "admin"]
DEMO_AGENTS = 60  # the smallest demo that still gives every unit a head


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", agents=DEMO_AGENTS, stdout=io.StringIO())


def _login(page, live_server, role):
    page.goto(live_server.url + reverse("account_login"))
    page.get_by_label("Courriel").fill(f"{role}@{DEMO_DOMAIN}")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(live_server.url + reverse("intranet:home"))


def _home(page, live_server):
    response = page.goto(live_server.url + reverse("intranet:home"))
    assert response is not None
    assert response.status == 200


@pytest.mark.parametrize("role", DEMO_ROLES)
def test_every_form_and_link_of_the_home_page_works(page, axe, live_server, demo, role):
    # Details never confirmed: the home page asks (the first button of every staff home).
    Agent.objects.filter(email=f"{role}@{DEMO_DOMAIN}").update(details_confirmed_at=None)
    _login(page, live_server, role)
    home = reverse("intranet:home")
    assert_no_axe_violations(page, axe)

    # « À faire »: the header's count is the inbox's, and the page lists as much.
    inbox = page.get_by_role("region", name="À faire")
    assert inbox.is_visible()
    header_link = page.locator("header .mc-todo-link")
    badge = inbox.locator("h2 .badge")
    count = int(badge.inner_text()) if badge.count() else 0
    if page.locator("header .mc-todo-link").is_visible():  # on a wide screen (the side panel otherwise)
        assert (header_link.locator(".badge").inner_text() if count else "0") == (str(count) if count else "0")
    response = page.goto(live_server.url + reverse("intranet:todo"))
    assert response.status == 200
    assert page.locator(".todo-item").count() == count
    assert_no_axe_violations(page, axe)
    page.goto(live_server.url + home)

    # The boxes' links (and the inbox's): each one opens a page of ours, never an error.
    hrefs = page.locator("main a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    for href in dict.fromkeys(href.split("#")[0] for href in hrefs):  # an anchor is the same page
        if not href.startswith("/"):
            continue
        response = page.goto(live_server.url + href)
        assert response is not None
        assert response.status < 400, f"{role}: {href} answers {response.status}"
    assert_no_console_errors(page)

    # Every form of the page's content, submitted through its own button.
    _home(page, live_server)
    count = page.locator("main form[method=post]").count()
    for index in range(count):
        _home(page, live_server)
        forms = page.locator("main form[method=post]")
        if index >= forms.count():  # an earlier action answered it (the confirmation box is gone)
            break
        form = forms.nth(index)
        action = form.get_attribute("action")
        with page.expect_navigation() as navigation:
            form.locator("button[type=submit]").first.click()
        response = navigation.value
        assert response is not None
        assert response.status < 400, f"{role}: the form posting to {action} answered {response.status}"
        assert "CSRF token" not in page.content()
    assert_no_console_errors(page)

    user = Agent.objects.get(email=f"{role}@{DEMO_DOMAIN}")
    if not user.is_external:
        # « Oui, elles sont à jour »: confirmed for a year, and the question is gone.
        assert user.details_confirmed_at is not None
        _home(page, live_server)
        assert page.get_by_text("Vos coordonnées sont-elles à jour ?").count() == 0
    assert path_of(page.url) == home


def test_profile_page_confirmation_button_confirms(page, live_server, demo):
    Agent.objects.filter(email=f"agent@{DEMO_DOMAIN}").update(details_confirmed_at=None)
    _login(page, live_server, "agent")
    page.goto(live_server.url + reverse("directory:profile-edit"))
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Mes coordonnées sont à jour").click()
    assert navigation.value.status == 200
    assert path_of(page.url) == reverse("directory:profile-edit")
    assert page.get_by_text("Merci : vos coordonnées sont confirmées pour un an.").is_visible()
    assert Agent.objects.get(email=f"agent@{DEMO_DOMAIN}").details_confirmed_at is not None
    assert_no_console_errors(page)
