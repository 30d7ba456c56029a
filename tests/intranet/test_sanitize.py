"""One sanitiser with named allow-lists (intranet/sanitize.py), each with the editor that offers
exactly what it keeps."""

import pytest
from django_prose_editor.config import allowlist_from_extensions

from intranet.sanitize import ALLOW_LISTS, sanitize
from tests.newsletters.test_services import FORBIDDEN_FRAGMENTS, XSS_CORPUS


@pytest.mark.parametrize("allow_list", sorted(ALLOW_LISTS))
def test_every_allow_list_removes_the_xss_corpus_and_keeps_the_text(allow_list):
    cleaned = sanitize("<p>Quinze <strong>réunions</strong></p>" + "".join(XSS_CORPUS), allow_list=allow_list)
    assert cleaned.startswith("<p>Quinze <strong>réunions</strong></p>")
    for fragment in FORBIDDEN_FRAGMENTS:
        assert fragment not in cleaned.lower(), fragment


@pytest.mark.parametrize("allow_list", sorted(ALLOW_LISTS))
def test_the_editor_offers_exactly_the_tags_its_allow_list_keeps(allow_list):
    rules = ALLOW_LISTS[allow_list]
    editor = allowlist_from_extensions(dict(rules.editor))
    assert editor["tags"] == set(rules.tags)
    # What the editor may write on a tag is kept, except `rel` (the sanitiser sets its own) and the
    # ordered list's numbering style (its « list properties » button is not offered).
    ignored = {"a": {"rel"}, "ol": {"type", "data-type"}}
    for tag, names in editor["attributes"].items():
        assert names - ignored.get(tag, set()) <= rules.attributes.get(tag, set()), tag


def test_links_keep_only_web_and_mail_addresses_and_get_a_safe_rel():
    cleaned = sanitize(
        '<p><a href="https://example.fr" title="">site</a> <a href="mailto:rh@example.fr">rh</a> '
        '<a href="ftp://example.fr">ftp</a> <a href="data:text/html,x">data</a></p>',
        allow_list="rich_text",
    )
    assert cleaned == (
        '<p><a href="https://example.fr" rel="noopener noreferrer">site</a> '
        '<a href="mailto:rh@example.fr" rel="noopener noreferrer">rh</a> '
        '<a rel="noopener noreferrer">ftp</a> <a rel="noopener noreferrer">data</a></p>'
    )


def test_tables_are_kept_in_the_guide_only():
    table = '<table><tr><th scope="col">Service</th></tr><tr><td colspan="2">RH</td></tr></table>'
    assert "<table>" in sanitize(table, allow_list="guide")
    assert 'scope="col"' in sanitize(table, allow_list="guide")
    assert "<table>" not in sanitize(table, allow_list="rich_text")


def test_an_empty_editor_saves_an_empty_text():
    assert sanitize("<p></p>", allow_list="rich_text") == ""
    assert sanitize(None, allow_list="guide") == ""
