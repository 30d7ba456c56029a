"""The directory's agent search: one function, `agent_search`, on both databases.

What a query matches. The query is cut into terms (spaces, commas, slashes); every term
must match the agent somewhere (AND), each in any of:

- the first or last name, the job title: the normalised text (lower case, accents removed:
  "helene" finds Hélène, "HELENE" too) contains the term ("dupon" finds Dupont);
- the service: its name contains the term ("compta" finds the Comptabilité's agents), or
  its short name is the term ("drh");
- the site: its name or town contains the term;
- a skill: its name contains the term;
- a phone number the agent shows (never a hidden one): a term of 4 digits or more is
  compared on digits only ("0383" finds "03 83 12 34 56"; "+33 3 83" is read "0383"); the
  whole query is read as one number when it is only digits, spaces, dots, dashes.

PostgreSQL adds, through the indexes of migration 0004:

- typo tolerance: a term of 4 letters or more matches a name (and a service, a site, a
  skill) that contains a word close to it (pg_trgm word similarity ≥ 0.6: "dupond" finds
  Dupont, "helenne" Hélène);
- French stemming on the job title (`french` full-text configuration, prefix match:
  "comptables" finds "Comptable").

SQLite (the embedded default) has neither: it matches normalised substrings only, through
the Python functions `mc_norm` and `mc_digits` registered on the connection, without an
index. That is correct at the size of a `make run` demo, and what the tests pin.

Ranking: an exact last name first, then an exact first name, then names starting with the
term, then names containing it (and, on PostgreSQL, the closest names for typos), then
matches on the job title, then on the service, site or skill; ties by name.

Nothing is denormalised: the indexes are expression indexes on Agent's own columns and
the services, sites and skills are searched in their (small) tables, so no service that
writes agents has anything to refresh.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast

from intranet.models import Agent, OrgUnit, Site, Skill
from intranet.selectors import agent_list_visible_to

MIN_TERM = 2  # shorter terms are ignored (unless the query has nothing else)
MIN_TYPO_TERM = 4  # typo tolerance from this length on (shorter terms match too much)
MIN_PHONE_DIGITS = 4
MAX_TERMS = 6
MAX_QUERY = 100

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "’": "'", "ʼ": "'"})
_PHONE_QUERY = re.compile(r"^\+?[\d\s.\-()/]+$")
_TERM_SPLIT = re.compile(r"[\s,;/]+")


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


def _phone_digits(term: str) -> str:
    """The digits to look for in a phone number, or "" when `term` is not a number."""
    if not _PHONE_QUERY.match(term):
        return ""
    found = digits(term)
    if term.lstrip().startswith("+33") and len(found) > 2:
        found = "0" + found[2:]  # +33 3 83 … is dialled 03 83 … in France
    return found if len(found) >= MIN_PHONE_DIGITS else ""


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[str, ...]  # normalised text terms
    phone: str  # digits, when the whole query is a phone number

    def __bool__(self) -> bool:
        return bool(self.terms or self.phone)


def query_parse(query: str) -> ParsedQuery:
    query = (query or "")[:MAX_QUERY].strip()
    phone = _phone_digits(query)
    if phone:
        return ParsedQuery(terms=(), phone=phone)
    terms = [normalise(term).strip("'-.") for term in _TERM_SPLIT.split(query)]
    terms = [term for term in terms if term]
    long_terms = [term for term in terms if len(term) >= MIN_TERM]
    kept = long_terms or terms  # "a" alone is still a query
    return ParsedQuery(terms=tuple(dict.fromkeys(kept))[:MAX_TERMS], phone="")


# --- SQL expressions ----------------------------------------------------------------------


class Norm(Func):
    """`mc_norm(x)`: lower(unaccent(x)), '' for NULL. An IMMUTABLE SQL function on PostgreSQL
    (migration 0004, indexed), a Python function on SQLite."""

    function = "mc_norm"
    output_field = CharField()


class Digits(Func):
    function = "mc_digits"
    output_field = CharField()


class WordSimilar(Func):
    """PostgreSQL: `text %> term`, true when some extent of `text` is similar to `term`
    (pg_trgm's word similarity above its threshold, 0.6); uses the trigram indexes."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        (text, text_params), (term, term_params) = (compiler.compile(e) for e in self.source_expressions)
        return f"({text} %%> {term})", [*text_params, *term_params]


class WordSimilarity(Func):
    """PostgreSQL: word_similarity(term, text), between 0 and 1."""

    function = "word_similarity"
    output_field = FloatField()


class FrenchMatch(Func):
    """PostgreSQL: the text's French full-text vector matches the tsquery (uses the
    `agent_search_job_fts` index when the text is mc_norm(job_title))."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        (text, text_params), (query, query_params) = (compiler.compile(e) for e in self.source_expressions)
        sql = f"(to_tsvector('french'::regconfig, {text}) @@ to_tsquery('french'::regconfig, {query}))"
        return sql, [*text_params, *query_params]


def _tsquery(term: str) -> str:
    """A prefix tsquery of the term's words, safe to pass to to_tsquery: "d'accueil" → "d:* & accueil:*"."""
    words = re.findall(r"[a-z0-9]+", term)
    return " & ".join(f"{word}:*" for word in words)


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def sqlite_functions_register() -> None:
    """Give the SQLite connection the `mc_norm` and `mc_digits` functions PostgreSQL gets
    from migration 0004. Cheap and idempotent: called before each search on SQLite."""
    connection.ensure_connection()
    raw = connection.connection
    raw.create_function("mc_norm", 1, normalise, deterministic=True)
    raw.create_function("mc_digits", 1, digits, deterministic=True)


# --- The search ---------------------------------------------------------------------------


def _units_matching(term: str, *, fuzzy: bool) -> QuerySet[OrgUnit]:
    match = Q(n__contains=term) | Q(short=term)
    if fuzzy:
        match |= Q(WordSimilar(F("n"), Value(term)))
    return OrgUnit.objects.alias(n=Norm("name"), short=Norm("short_name")).filter(match).values("pk")


def _sites_matching(term: str, *, fuzzy: bool) -> QuerySet[Site]:
    match = Q(n__contains=term) | Q(n_city=term)
    if fuzzy:
        match |= Q(WordSimilar(F("n"), Value(term)))
    return Site.objects.alias(n=Norm("name"), n_city=Norm("city")).filter(match).values("pk")


def _skills_matching(term: str, *, fuzzy: bool) -> Exists:
    skills = Skill.objects.alias(n=Norm("name"))
    match = Q(n__contains=term)
    if fuzzy:
        match |= Q(WordSimilar(F("n"), Value(term)))
    return Exists(
        Agent.skills.through.objects.filter(agent_id=OuterRef("pk"), skill__in=skills.filter(match).values("pk"))
    )


def _phone_match(number: str) -> Q:
    """Only the numbers the agent shows: a hidden number is never searched."""
    return Q(show_phone=True, d_phone__contains=number) | Q(show_mobile=True, d_mobile__contains=number)


def _term_match(term: str, *, postgresql: bool) -> Q:
    fuzzy = postgresql and len(term) >= MIN_TYPO_TERM
    match = (
        Q(n_last__contains=term)
        | Q(n_first__contains=term)
        | Q(n_job__contains=term)
        | Q(org_unit__in=_units_matching(term, fuzzy=fuzzy))
        | Q(site__in=_sites_matching(term, fuzzy=fuzzy))
        | Q(_skills_matching(term, fuzzy=fuzzy))
    )
    if fuzzy:
        match |= Q(WordSimilar(F("n_last"), Value(term))) | Q(WordSimilar(F("n_first"), Value(term)))
    if postgresql and _tsquery(term):
        match |= Q(FrenchMatch(F("n_job"), Value(_tsquery(term))))
    number = _phone_digits(term)
    if number:
        match |= _phone_match(number)
    return match


def _term_score(term: str, *, postgresql: bool):
    """Higher is better; see the module's docstring for the order."""
    name = Case(
        When(n_last=term, then=Value(100)),
        When(n_first=term, then=Value(60)),
        When(n_last__startswith=term, then=Value(40)),
        When(n_first__startswith=term, then=Value(30)),
        When(Q(n_last__contains=term) | Q(n_first__contains=term), then=Value(20)),
        When(n_job__contains=term, then=Value(8)),
        default=Value(0),
        output_field=IntegerField(),
    )
    if not postgresql:
        return name
    # Typos: the closest names next (similarity 0.6–1 → 6 to 10 points, below a contained term).
    closeness = Func(
        WordSimilarity(Value(term), F("n_last")),
        WordSimilarity(Value(term), F("n_first")),
        function="GREATEST",
        output_field=FloatField(),
    )
    return Cast(name, FloatField()) + closeness * Value(10.0)


def agent_search(
    *,
    user,
    query: str = "",
    org_unit_ids: list[int] | None = None,
    site_id: int | None = None,
    category: str = "",
) -> QuerySet[Agent]:
    """The agents `user` may see that match `query` and the filters, best first (see the
    module's docstring). An empty query lists everyone visible, by name. `org_unit_ids`
    is a service and its sub-units."""
    agents = agent_list_visible_to(user=user)
    if org_unit_ids is not None:
        agents = agents.filter(org_unit_id__in=org_unit_ids)
    if site_id is not None:
        agents = agents.filter(site_id=site_id)
    if category:
        agents = agents.filter(category=category)
    parsed = query_parse(query)
    if not parsed:
        return agents.order_by("last_name", "first_name", "pk")

    postgresql = is_postgresql()
    if not postgresql:
        sqlite_functions_register()
    if parsed.phone:
        return (
            agents.alias(d_phone=Digits("phone"), d_mobile=Digits("mobile"))
            .filter(_phone_match(parsed.phone))
            .order_by("last_name", "first_name", "pk")
        )
    agents = agents.alias(
        n_last=Norm("last_name"),
        n_first=Norm("first_name"),
        n_job=Norm("job_title"),
        d_phone=Digits("phone"),
        d_mobile=Digits("mobile"),
    )
    for term in parsed.terms:
        agents = agents.filter(_term_match(term, postgresql=postgresql))
    scores = [_term_score(term, postgresql=postgresql) for term in parsed.terms]
    score = scores[0]
    for other in scores[1:]:
        score = score + other
    return agents.annotate(search_score=score).order_by("-search_score", "last_name", "first_name", "pk")
