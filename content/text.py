"""The words of news, pages and documents, kept for the search: normalised (lower case, accents
removed, as the directory normalises), and on PostgreSQL their French full-text vector."""

import html
import re

import nh3
from django.db.models import F

from intranet.directory.search import is_postgresql, normalise
from intranet.fulltext import FrenchVector

SEARCH_TEXT_MAX = 200_000  # characters kept for the search (a 300-page PDF's text is cut there)


def html_to_text(value: str | None) -> str:
    """Sanitised HTML as plain words: tags removed, entities decoded, blanks collapsed."""
    text = html.unescape(nh3.clean(value or "", tags=set()))
    return re.sub(r"\s+", " ", text).strip()


def html_to_text_lines(value: str | None) -> list[str]:
    """Sanitised HTML as plain lines (its line breaks kept, tags removed, entities decoded)."""
    text = html.unescape(nh3.clean(value or "", tags=set()))
    return [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]


def search_text(*parts: str | None) -> str:
    return normalise(" ".join(part for part in parts if part))[:SEARCH_TEXT_MAX]


def search_vector_refresh(model, pks) -> None:
    """PostgreSQL: the stored vectors of these rows from their `search_text` (nothing on SQLite)."""
    if is_postgresql():
        model.objects.filter(pk__in=list(pks)).update(search_vector=FrenchVector(F("search_text")))
