"""A form included with `{% include … only %}` loses the page's context, the CSRF token with
it: its POST then answers 403 « CSRF token missing » (the home page's « Oui, elles sont à
jour » did). Every such include must pass the token on; and the home page's and the profile
page's forms post with the token they carry, under Django's real CSRF check."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import ROLE_FIXTURES

TEMPLATES = Path(settings.BASE_DIR) / "templates"
INCLUDE_ONLY = re.compile(r"{%\s*include\s+\"(?P<name>[^\"]+)\"(?P<args>[^%]*?)\bonly\s*%}")
INCLUDE = re.compile(r"{%\s*include\s+\"(?P<name>[^\"]+)\"")


def _needs_token(name: str, seen: set[str] | None = None) -> bool:
    """Does template `name`, or one it includes, use {% csrf_token %}?"""
    seen = seen if seen is not None else set()
    path = TEMPLATES / name
    if name in seen or not path.exists():
        return False
    seen.add(name)
    text = path.read_text()
    return "{% csrf_token %}" in text or any(_needs_token(m["name"], seen) for m in INCLUDE.finditer(text))


def test_every_include_only_of_a_form_passes_the_csrf_token():
    missing = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for match in INCLUDE_ONLY.finditer(path.read_text()):
            if _needs_token(match["name"]) and "csrf_token=csrf_token" not in match["args"]:
                missing.append(f"{path.relative_to(TEMPLATES)} includes {match['name']} with `only`")
    assert not missing, "these includes drop the CSRF token of a form:\n" + "\n".join(missing)


class _Forms(HTMLParser):
    """The POST forms of a page: their action and their fields' values."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._current: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._current = {"action": attrs.get("action") or "", "data": {}}
            self.forms.append(self._current)
        elif tag == "input" and self._current is not None and attrs.get("name"):
            self._current["data"][attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def post_forms_of(client: Client, path: str) -> list[tuple[str, int]]:
    """Submit every POST form of `path` as the browser would (its own fields, its own token):
    (action, status) for each."""
    forms = _Forms()
    forms.feed(client.get(path).content.decode())
    return [(form["action"], client.post(form["action"] or path, form["data"]).status_code) for form in forms.forms]


@pytest.mark.parametrize("role", ROLE_FIXTURES)
def test_home_page_forms_post_under_the_real_csrf_check(request, role):
    user = request.getfixturevalue(role)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    results = post_forms_of(client, reverse("intranet:home"))
    assert all(status < 400 for _, status in results), results
    if not user.is_external:  # the directory's confirmation: asked of every agent whose details are unconfirmed
        assert reverse("directory:profile-confirm") in [action for action, _ in results]
        user.refresh_from_db()
        assert user.details_confirmed_at is not None


def test_profile_page_confirmation_posts_under_the_real_csrf_check(agent):
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)
    results = post_forms_of(client, reverse("directory:profile-edit"))
    assert (reverse("directory:profile-confirm"), 302) in results
    agent.refresh_from_db()
    assert agent.details_confirmed_at.date() == timezone.localdate()
