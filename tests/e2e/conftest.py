"""Browser tests: Debian's headless Chromium driven by Playwright, axe-core for accessibility.

One browser per session, a fresh context (cookies, fr-FR locale) per test. Every console
error and every Content-Security-Policy refusal on a page is collected: the CSP forbids
inline scripts and styles, so a template that slips one in fails here.
"""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from intranet.roles import GROUP_ROLES
from tests.conftest import skip_or_fail
from tests.factories import PASSWORD

# Playwright's sync API runs an event loop in the test's thread; Django refuses ORM calls
# from such a thread unless told the test knows what it does.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
NAVIGATION_TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        skip_or_fail(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("the playwright package is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe():
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        skip_or_fail("the axe-playwright-python package is not installed (pip install -e '.[dev]')")
    return Axe()


@pytest.fixture(autouse=True)
def _site_url_is_the_live_server(settings, live_server):
    """In production SITE_URL is the site's own address: the e-mail previews' absolute links and
    images then load from the page's own origin, as the CSP requires."""
    settings.SITE_URL = live_server.url


@pytest.fixture(autouse=True)
def _role_groups(transactional_db):
    """The live server needs transactional tests, whose flush empties the role groups the
    migrations created: put them back before the role fixtures use them."""
    for role in GROUP_ROLES:
        Group.objects.get_or_create(name=role.value)


class BrowserErrors(list):
    """Console errors, uncaught exceptions and CSP refusals seen by one page."""

    def take(self) -> list[str]:
        taken = list(self)
        self.clear()
        return taken


def _on_console(errors: BrowserErrors, message) -> None:
    text = message.text
    if message.type == "error" or "Refused to" in text or "Content Security Policy" in text:
        errors.append(f"console {message.type}: {text} ({message.location.get('url', '')})")


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="fr-FR", base_url=live_server.url)
    context.set_default_timeout(NAVIGATION_TIMEOUT_MS)
    page = context.new_page()
    errors = BrowserErrors()
    page.on("console", lambda message: _on_console(errors, message))
    page.on("pageerror", lambda exc: errors.append(f"uncaught exception: {exc}"))
    # A CSP refusal is also reported as an event; log it so it reaches the console listener
    # even when Chromium words the message differently.
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'Refused by the CSP (' + e.violatedDirective + '): ' + (e.blockedURI || 'inline') +"
        " ' at ' + (e.sourceFile || document.location.pathname) + ':' + e.lineNumber));"
    )
    page.browser_errors = errors
    yield page
    context.close()
    leftover = errors.take()
    if leftover:
        pytest.fail("browser errors after the test:\n" + "\n".join(leftover))


def console_errors(page) -> list[str]:
    """The errors collected since the last call (and forget them)."""
    return page.browser_errors.take()


def assert_no_console_errors(page) -> None:
    errors = console_errors(page)
    assert not errors, f"{page.url}: browser console errors or CSP violations:\n" + "\n".join(errors)


def axe_violations(page, axe_runner=None) -> list[dict]:
    if axe_runner is None:
        from axe_playwright_python.sync_playwright import Axe

        axe_runner = Axe()
    return axe_runner.run(page, options=AXE_OPTIONS).response["violations"]


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"{url}: {len(violations)} axe violation(s)"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            lines.append(f"    target {', '.join(map(str, node['target']))}: {node['html'][:300]}")
            summary = node.get("failureSummary")
            if summary:
                lines.append("      " + summary.replace("\n", "\n      "))
    return "\n".join(lines)


def format_violations_by_page(violations_by_page: dict[str, list[dict]]) -> str:
    """One entry per (rule, element), listing the pages it appears on: a fault in the
    layout shows once, not once per page."""
    grouped: dict[tuple[str, str], dict] = {}
    for path, violations in violations_by_page.items():
        for violation in violations:
            for node in violation["nodes"]:
                key = (violation["id"], ", ".join(map(str, node["target"])))
                entry = grouped.setdefault(key, {"violation": violation, "node": node, "pages": []})
                entry["pages"].append(path)
    lines = [f"{len(grouped)} distinct axe violation(s):"]
    for (rule, target), entry in grouped.items():
        violation, node = entry["violation"], entry["node"]
        lines.append(f"- {rule} ({violation['impact']}): {violation['help']}")
        lines.append(f"    target {target}: {node['html'][:300]}")
        if node.get("failureSummary"):
            lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
        lines.append(f"    on: {', '.join(entry['pages'])}")
    return "\n".join(lines)


def assert_no_axe_violations(page, axe_runner=None) -> None:
    violations = axe_violations(page, axe_runner)
    if violations:
        report = format_violations(page.url, violations)
        print(report)
        pytest.fail(report, pytrace=False)


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def login_as(page, live_server, user, password: str = PASSWORD) -> None:
    """Log in through the real allauth form, by its French labels, and land on the home page."""
    page.goto(live_server.url + reverse("account_login"))
    page.get_by_label("Courriel").fill(user.email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(live_server.url + reverse("intranet:home"))


def nav_go(page, menu: str, item: str) -> None:
    """Open a menu of the main navigation and follow one of its links, as a person does."""
    nav = page.get_by_role("navigation", name="Navigation principale")
    nav.get_by_role("button", name=menu).click()
    with page.expect_navigation():
        nav.get_by_role("link", name=item, exact=True).click()


def rich_text_editor(page, label: str = "Texte"):
    """The started editor of a rich-text field. Until the script has started it, the field is a
    plain textarea of the same name: a test that typed or pasted there would race the editor."""
    editor = page.get_by_role("textbox", name=label).and_(page.locator(".rich-text-content"))
    editor.wait_for()
    return editor


def paste_html(locator, html: str) -> None:
    """Paste HTML into a rich-text editor as the clipboard would (a `paste` event carrying text/html)."""
    locator.evaluate(
        """(element, html) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", html);
            element.focus();
            element.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        html,
    )


def pick(page, label: str, query: str, choice: str) -> None:
    """Choose in a search-as-you-type picker as a person does: type in the field, click the option."""
    field = page.get_by_role("combobox", name=label, exact=True)
    field.click()
    field.press_sequentially(query)
    page.get_by_role("option", name=choice, exact=True).click()
