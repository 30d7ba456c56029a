"""The directory search's text rules: what a query's terms are, and the normalised forms and
one-slip keys of a name they are compared with (the search's docstring, in `search.py`, says
what matches what). Pure Python: PostgreSQL's functions of migrations 0004 and 0016 compute the
same in SQL."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

MIN_TERM = 2  # shorter terms are ignored (unless the query has nothing else)
MIN_TYPO_TERM = 4  # trigram typo tolerance from this length on (shorter terms match too much)
MIN_SLIP_WORD = 3  # one-slip typo tolerance: a 4-letter name typed with a letter less has 3
MIN_PHONE_DIGITS = 4
MAX_TERMS = 6
MAX_QUERY = 100
# Words that match almost everyone ("chargée de mission"): left out unless alone.
STOPWORDS = frozenset({"de", "du", "des", "la", "le", "les", "et", "en", "au", "aux", "un", "une", "pour", "sur"})

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "’": "'", "ʼ": "'"})
_PHONE_QUERY = re.compile(r"^\+?[\d\s.\-()/]+$")
_TERM_SPLIT = re.compile(r"[\s,;/()\[\]{}\"«»:!?]+")


@lru_cache(maxsize=8192)  # names repeat: the ranking normalises thousands of them per query
def normalise(text: str | None) -> str:
    """Lower case, accents removed: "Hélène Œuvray" → "helene oeuvray" (as PostgreSQL's
    `mc_norm`, i.e. lower(unaccent())); None → ""."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text).translate(_LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def digits(text: str | None) -> str:
    """The digits of a phone number: "03 83 12-34" → "03831234" (as PostgreSQL's `mc_digits`)."""
    return re.sub(r"\D+", "", text or "")


def phone_digits(term: str) -> str:
    """The digits to look for in a phone number, or "" when `term` is not a number."""
    if not _PHONE_QUERY.match(term):
        return ""
    found = digits(term)
    if term.lstrip().startswith("+33") and len(found) > 2:
        found = "0" + found[2:]  # +33 3 83 … is dialled 03 83 … in France
    return found if len(found) >= MIN_PHONE_DIGITS else ""


_KEY_WORD_SPLIT = re.compile(r"[\W_]+")


@lru_cache(maxsize=8192)
def typo_keys(text: str | None) -> frozenset[str]:
    """The one-slip keys of a normalised text (a name, a job title): each word of 3 letters or
    more, and from 4 letters each spelling with one letter deleted. Two words one slip apart
    (a letter dropped, added, replaced, two swapped) share a key. PostgreSQL's
    `mc_typo_keys` (migration 0016) computes the same."""
    keys = set()
    for word in _KEY_WORD_SPLIT.split(text or ""):
        if len(word) >= MIN_SLIP_WORD:
            keys.add(word)
        if len(word) > MIN_SLIP_WORD:
            keys.update(word[:i] + word[i + 1 :] for i in range(len(word)))
    return frozenset(keys)


def term_typo_keys(term: str) -> list[str]:
    """The keys of a query term that is one word of 3 letters or more; [] otherwise."""
    if len(term) < MIN_SLIP_WORD or _KEY_WORD_SPLIT.search(term):
        return []
    return sorted(typo_keys(term))


def near(text: str | None, term: str) -> bool:
    """SQLite's `mc_near(text, term)`: some word of `text` is one slip away from `term`."""
    return not typo_keys(text).isdisjoint(term_typo_keys(term))


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[str, ...]  # normalised text terms
    phone: str  # digits, when the whole query is a phone number

    def __bool__(self) -> bool:
        return bool(self.terms or self.phone)


def query_parse(query: str) -> ParsedQuery:
    query = (query or "")[:MAX_QUERY].strip()
    phone = phone_digits(query)
    if phone:
        return ParsedQuery(terms=(), phone=phone)
    terms = [normalise(term).strip("'-.") for term in _TERM_SPLIT.split(query)]
    terms = [term for term in terms if term]
    long_terms = [term for term in terms if len(term) >= MIN_TERM and term not in STOPWORDS]
    kept = long_terms or terms  # "a" or "de" alone is still a query
    return ParsedQuery(terms=tuple(dict.fromkeys(kept))[:MAX_TERMS], phone="")


_WORD_SPLIT = re.compile(r"[\s\-']+")


@lru_cache(maxsize=8192)  # names repeat: a typo's 100 matches share a few dozen surnames
def _ratio(term: str, word: str) -> float:
    return SequenceMatcher(None, term, word).ratio()


def closeness(term: str, words: list[str]) -> float:
    """How close `term` is to the closest word (0–1): orders the typo matches."""
    # A typo seldom touches the first letter: only those words are compared (fast).
    return max((_ratio(term, word) for word in words if word[:1] == term[:1]), default=0.0)


def score(terms: tuple[str, ...], first_name: str, last_name: str, job_title: str) -> int:
    """Higher is better (the ranking of `intranet.directory.search`); computed in Python on the matches,
    where the normalised names cost nothing, rather than in SQL for every row."""
    last, first, job = normalise(last_name), normalise(first_name), normalise(job_title)
    last_words, first_words = _WORD_SPLIT.split(last), _WORD_SPLIT.split(first)
    total = 0
    for term in terms:
        if term == last:
            total += 1000
        elif term == first:
            total += 600
        elif term in last_words:
            total += 500
        elif term in first_words:
            total += 400
        elif last.startswith(term):
            total += 300
        elif first.startswith(term):
            total += 250
        elif term in last or term in first:
            total += 200
        elif term in job:
            total += 80
        elif len(term) >= MIN_SLIP_WORD:  # a service, site or skill, or a typo: the closest names first
            total += max(
                round(50 * closeness(term, last_words + first_words)),
                round(40 * closeness(term, _WORD_SPLIT.split(job))),
            )
    return total
