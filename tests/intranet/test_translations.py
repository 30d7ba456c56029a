"""The English catalogue is complete and the site really switches to English.

The French strings are the source; `locale/en/LC_MESSAGES/django.po` must translate every one of them,
keep their placeholders and HTML, and carry no fuzzy entry (gettext ignores those at runtime).
"""

import os
import re
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.urls import reverse
from django.utils.translation.reloader import translation_file_changed

CATALOGUE_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_FILE = CATALOGUE_DIR / "django.po"
MO_FILE = CATALOGUE_DIR / "django.mo"

# What a translation must keep from its source: %(name)s / %s / %d (and %% in formatted strings),
# {{ name }} and HTML tags, each as many times as the source has it.
TOKEN = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%%|%[sdif]|\{\{.*?\}\}|<[^>]+>")


def _tokens(text: str) -> Counter:
    return Counter(TOKEN.findall(text))


def _entries():
    with PO_FILE.open("rb") as handle:
        catalogue = read_po(handle, abort_invalid=True)
    return catalogue, [message for message in catalogue if message.id]


def test_catalogue_header_is_english_and_not_fuzzy():
    catalogue, _entries_ = _entries()

    assert not catalogue.fuzzy
    assert str(catalogue.locale) == "en"
    assert catalogue.plural_expr.replace(" ", "") == "(n!=1)"
    assert catalogue.num_plurals == 2


def test_every_entry_is_translated_and_none_is_fuzzy():
    _catalogue, entries = _entries()

    untranslated = [
        message.id for message in entries if not all(message.string if message.pluralizable else [message.string])
    ]
    fuzzy = [message.id for message in entries if message.fuzzy]

    assert entries
    assert untranslated == [], "run makemessages, then translate these entries"
    assert fuzzy == [], "check these translations, then remove their fuzzy flag"


def test_translations_keep_placeholders_html_and_edge_newlines():
    _catalogue, entries = _entries()
    problems = []
    for message in entries:
        if message.pluralizable:
            # English has two forms: the singular follows msgid, the plural msgid_plural.
            pairs = list(zip(message.id, message.string, strict=True))
        else:
            pairs = [(message.id, message.string)]
        for source, translation in pairs:
            if not translation:
                continue  # reported by the completeness test
            if _tokens(source) != _tokens(translation):
                problems.append((source, translation))
            if (source.startswith("\n"), source.endswith("\n")) != (
                translation.startswith("\n"),
                translation.endswith("\n"),
            ):
                problems.append((source, translation))

    assert problems == []


@pytest.fixture
def english_catalogue():
    """The compiled catalogue, as `make messages` builds it, so the test needs no prior step.

    The .mo is git-ignored; it is (re)built here only when missing or older than the .po, atomically so
    that a concurrent test run never reads half a file, and Django's translation caches are then reset.
    """
    if not MO_FILE.exists() or MO_FILE.stat().st_mtime < PO_FILE.stat().st_mtime:
        catalogue, _entries_ = _entries()
        handle, temporary = tempfile.mkstemp(dir=CATALOGUE_DIR, suffix=".mo.tmp")
        try:
            with os.fdopen(handle, "wb") as output:
                write_mo(output, catalogue, use_fuzzy=False)
            os.replace(temporary, MO_FILE)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        translation_file_changed(sender=None, file_path=MO_FILE)


def _switch_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_login_page_is_in_english(client, db, english_catalogue):
    _switch_to_english(client)

    response = client.get(reverse("account_login"))

    assert response.status_code == 200
    page = response.text
    assert '<html lang="en">' in page
    assert "Log in to the intranet" in page
    assert ">Log in</button>" in page
    assert "Skip to content" in page
    assert "Legal notice" in page
    assert "Se connecter" not in page
    assert "Mentions légales" not in page


def test_agent_home_page_is_in_english(client, db, agent, english_catalogue):
    client.force_login(agent)
    _switch_to_english(client)

    response = client.get(reverse("intranet:home"))

    assert response.status_code == 200
    page = response.text
    assert '<html lang="en">' in page
    assert f"Hello {agent.first_name}" in page
    assert "Directory" in page
    assert "Log out" in page
    assert "My department" in page
    assert "Bonjour" not in page
    assert "Se déconnecter" not in page


def test_profile_form_help_texts_follow_the_language(client, agent):
    client.force_login(agent)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    text = client.get(reverse("directory:profile-edit")).text
    assert "pixels au plus" not in text
    assert "au plus." not in text
