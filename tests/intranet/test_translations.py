"""The English catalogue is complete and the site really switches to English.

The French strings are the source; every English catalogue — the project's `locale/en/LC_MESSAGES/django.po`
and each app's own `<app>/locale/en/LC_MESSAGES/django.po` — must translate every one of them, keep their
placeholders and HTML, and carry no fuzzy entry (gettext ignores those at runtime).
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
# The project's catalogue and the apps' own (an app's strings live next to its code).
PO_FILES = sorted(
    path
    for path in Path(settings.BASE_DIR).glob("**/locale/en/LC_MESSAGES/django.po")
    if not {".venv", "var", "node_modules"} & set(path.relative_to(settings.BASE_DIR).parts)
)

# What a translation must keep from its source: %(name)s / %s / %d (and %% in formatted strings),
# {{ name }} and HTML tags, each as many times as the source has it.
TOKEN = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%%|%[sdif]|\{\{.*?\}\}|<[^>]+>")


def _tokens(text: str) -> Counter:
    return Counter(TOKEN.findall(text))


def _entries(po_file=PO_FILE):
    with po_file.open("rb") as handle:
        catalogue = read_po(handle, abort_invalid=True)
    return catalogue, [message for message in catalogue if message.id]


def _name(path):
    return str(path.relative_to(settings.BASE_DIR))


def test_the_project_catalogue_is_among_those_checked():
    assert PO_FILE in PO_FILES


@pytest.mark.parametrize("po_file", PO_FILES, ids=_name)
def test_catalogue_header_is_english_and_not_fuzzy(po_file):
    catalogue, _entries_ = _entries(po_file)

    assert not catalogue.fuzzy
    assert str(catalogue.locale) == "en"
    assert catalogue.plural_expr.replace(" ", "") == "(n!=1)"
    assert catalogue.num_plurals == 2


@pytest.mark.parametrize("po_file", PO_FILES, ids=_name)
def test_every_entry_is_translated_and_none_is_fuzzy(po_file):
    _catalogue, entries = _entries(po_file)

    untranslated = [
        message.id for message in entries if not all(message.string if message.pluralizable else [message.string])
    ]
    fuzzy = [message.id for message in entries if message.fuzzy]

    assert entries
    assert untranslated == [], "run makemessages, then translate these entries"
    assert fuzzy == [], "check these translations, then remove their fuzzy flag"


@pytest.mark.parametrize("po_file", PO_FILES, ids=_name)
def test_translations_keep_placeholders_html_and_edge_newlines(po_file):
    _catalogue, entries = _entries(po_file)
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
    """The compiled catalogues, as `make messages` builds them, so the test needs no prior step.

    The .mo files are git-ignored; each is (re)built here only when missing or older than its .po,
    atomically so that a concurrent test run never reads half a file, and Django's translation caches
    are then reset.
    """
    for po_file in PO_FILES:
        mo_file = po_file.with_suffix(".mo")
        if mo_file.exists() and mo_file.stat().st_mtime >= po_file.stat().st_mtime:
            continue
        catalogue, _entries_ = _entries(po_file)
        handle, temporary = tempfile.mkstemp(dir=po_file.parent, suffix=".mo.tmp")
        try:
            with os.fdopen(handle, "wb") as output:
                write_mo(output, catalogue, use_fuzzy=False)
            os.replace(temporary, mo_file)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        translation_file_changed(sender=None, file_path=mo_file)


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
