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

A term of one or two letters matches only the beginning: of a first name, a last name, a job
title, or of a word of a service's, site's or skill's name ("pa" finds Pascal and the Paie
service's agents, not Lapalus nor the Espaces verts'): what someone typing two letters means,
and indexed (migration 0018) where a substring of two letters is not.

Typo tolerance, on both databases: a one-word term of 3 letters or more also matches a name
or a job title having a word one slip away — a letter dropped, added, replaced, or two
letters swapped ("lambrt" finds Lambert, "cuisinir" the cuisiniers, "dupnot" Dupont). The
rule is the deletion neighbourhood: a word's keys are the word and, from 4 letters, each
spelling with one letter deleted (`typo_keys`); a term and a word match when their keys
meet. On PostgreSQL the keys are GIN-indexed arrays kept in the agent's row (`mc_typo_keys`,
migrations 0016 and 0019), on SQLite a Python function (`mc_near`) compares them row by row.

PostgreSQL adds, through the indexes of migration 0004:

- wider typo tolerance on longer words: a term of 4 letters or more matches a name (and a
  service, a site, a skill) that contains a word close to it (pg_trgm word similarity ≥ 0.6:
  two slips in a long name);
- French stemming on the job title (`french` full-text configuration, prefix match:
  "comptables" finds "Comptable").

SQLite (the embedded default) has neither: it matches normalised substrings and one-slip
typos, through the Python functions `mc_norm`, `mc_name`, `mc_digits` and `mc_near` registered
on the connection, without an index. That is correct at the size of a `make run` demo, and
what the tests pin.

Ranking, for each term: an exact last name first, then an exact first name, a word of the
last name ("martin" in Dupont-Martin), of the first name, names starting with the term,
names containing it, the job title; last the matches on a service, site or skill and the
typos, closest names first. Ties by name, accents ignored. The matches are ranked in
Python (`search_terms.score`) from their names: the database only finds them (one indexed query) and
then loads the page asked for, so a page costs the same whatever its number.

Little is denormalised, and nothing by the services: the indexes are expression indexes on
Agent's own columns, but for the one-slip keys, which PostgreSQL keeps in the row by a trigger
(migration 0019: recomputing them for every match cost 75 µs a row); the services, sites and
skills are searched in their (small, indexed) tables. No service that writes agents has
anything to refresh. The GIN indexes are written directly
(`fastupdate = off`, migration 0017): a pending list of new entries would be read in full by
every search until the next VACUUM.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet, Value

from intranet.directory.search_sql import (
    AnyOf,
    Digits,
    FrenchMatch,
    Name,
    Near,
    Norm,
    WordSimilar,
    is_postgresql,
    sqlite_functions_register,
    tsquery,
)
from intranet.directory.search_terms import (
    MAX_QUERY,
    MAX_TERMS,
    MIN_SLIP_WORD,
    MIN_TERM,
    MIN_TYPO_TERM,
    STOPWORDS,
    normalise,
    phone_digits,
    query_parse,
    score,
    term_typo_keys,
)
from intranet.models import Agent, OrgUnit, Site, Skill
from intranet.selectors import agent_list_visible_to

# The names the other modules read here (the search's vocabulary, defined beside it).
__all__ = [
    "MAX_QUERY",
    "MAX_TERMS",
    "MIN_TERM",
    "MIN_TYPO_TERM",
    "STOPWORDS",
    "Name",
    "Norm",
    "RankedAgents",
    "WordSimilar",
    "agent_search",
    "agents_matching",
    "is_postgresql",
    "normalise",
    "query_parse",
    "sqlite_functions_register",
]


@dataclass
class RelatedIds:
    """What matched one term in the small tables: services, sites, agents by skill."""

    units: set[int] = field(default_factory=set)
    sites: set[int] = field(default_factory=set)
    skilled: set[int] = field(default_factory=set)


def _related_ids(terms: tuple[str, ...], *, postgresql: bool) -> list[RelatedIds]:
    """The services, sites and (agents by) skills matching each term, in one query over
    their small tables for the whole query. Passing their ids to the agents' query, rather
    than subqueries, keeps every branch of its OR indexable (a bitmap OR on PostgreSQL,
    not a scan of every agent)."""
    parts = []
    for number, term in enumerate(terms):
        fuzzy = postgresql and len(term) >= MIN_TYPO_TERM

        def text_match(extra: Q | None = None, term=term, fuzzy=fuzzy) -> Q:
            if len(term) < MIN_SLIP_WORD:  # a letter or two: the beginning of a word of the name
                match = Q(n__startswith=term) | Q(n__contains=f" {term}") | (extra or Q())
            else:
                match = Q(n__contains=term) | (extra or Q())
            return match | Q(WordSimilar(F("n"), Value(term))) if fuzzy else match

        tag = {"term_no": Value(number)}
        parts.append(
            OrgUnit.objects.alias(n=Norm("name"), short=Norm("short_name"))
            .filter(text_match(Q(short=term)))
            .annotate(**tag, match_kind=Value("unit"), ref=F("pk"))
            .values_list("term_no", "match_kind", "ref")
            .order_by()
        )
        parts.append(
            Site.objects.alias(n=Norm("name"), n_city=Norm("city"))
            .filter(text_match(Q(n_city=term)))
            .annotate(**tag, match_kind=Value("site"), ref=F("pk"))
            .values_list("term_no", "match_kind", "ref")
            .order_by()
        )
        skills = Skill.objects.alias(n=Norm("name")).filter(text_match()).values("pk")
        parts.append(
            Agent.skills.through.objects.filter(skill__in=skills)
            .annotate(**tag, match_kind=Value("skill"), ref=F("agent_id"))
            .values_list("term_no", "match_kind", "ref")
            .order_by()
        )
    found = [RelatedIds() for _ in terms]
    for number, kind, ref in parts[0].union(*parts[1:], all=True):
        {"unit": found[number].units, "site": found[number].sites, "skill": found[number].skilled}[kind].add(ref)
    return found


def _phone_match(number: str) -> Q:
    """Only the numbers the agent shows: a hidden number is never searched."""
    return Q(show_phone=True, d_phone__contains=number) | Q(show_mobile=True, d_mobile__contains=number)


def _term_match(term: str, related: RelatedIds, *, postgresql: bool) -> Q:
    fuzzy = postgresql and len(term) >= MIN_TYPO_TERM
    # Cheap tests first: PostgreSQL rechecks the OR on every candidate row, in this order.
    match = Q(AnyOf(F("org_unit_id"), related.units)) if related.units else Q()
    if related.sites:
        match |= Q(AnyOf(F("site_id"), related.sites))
    near = Q()
    if term_typo_keys(term):
        near_name = Near(F("n_name"), term, keys_column="search_name_keys")
        near = Q(near_name) | Q(Near(F("n_job"), term, keys_column="search_job_keys"))
    if postgresql:  # the keys read from the row, before the names are normalised (most matches stop here)
        match |= near
    if len(term) < MIN_SLIP_WORD:  # a letter or two: the beginning of a name or a job title
        match |= Q(n_first__startswith=term) | Q(n_last__startswith=term) | Q(n_job__startswith=term)
    else:
        match |= Q(n_name__contains=term) | Q(n_job__contains=term)
    if related.skilled:
        match |= Q(AnyOf(F("pk"), related.skilled))
    if not postgresql:  # SQLite: a Python function, after the substrings
        match |= near
    if fuzzy:
        match |= Q(WordSimilar(F("n_name"), Value(term)))
    if postgresql and tsquery(term):
        match |= Q(FrenchMatch(F("n_job"), Value(tsquery(term))))
    number = phone_digits(term)
    if number:
        match |= _phone_match(number)
    return match


class RankedAgents(Sequence):
    """The matches, best first, as the paginator wants them: `count()` is known without a
    query, and a slice loads just that page's agents (with their service and site)."""

    def __init__(self, agents: QuerySet[Agent], ranked_pks: list[int]):
        self._agents = agents
        self._pks = ranked_pks

    def count(self) -> int:
        return len(self._pks)

    def __len__(self) -> int:
        return len(self._pks)

    def __getitem__(self, index):
        if isinstance(index, slice):
            pks = self._pks[index]
            loaded = self._agents.in_bulk(pks)
            return [loaded[pk] for pk in pks if pk in loaded]
        return self[index : index + 1][0] if index >= 0 else self[len(self) + index]

    def __iter__(self):
        return iter(self[:])


def agent_search(
    *,
    user,
    query: str = "",
    org_unit_ids: list[int] | None = None,
    site_id: int | None = None,
    category: str = "",
) -> QuerySet[Agent] | RankedAgents:
    """The agents `user` may see that match `query` and the filters, best first (see the
    module's docstring). An empty query lists everyone visible, by name (a queryset);
    otherwise the matches come ranked (`RankedAgents`: count, slices, iteration).
    `org_unit_ids` is a service and its sub-units."""
    agents = agent_list_visible_to(user=user)
    if org_unit_ids is not None:
        agents = agents.filter(org_unit_id__in=org_unit_ids)
    if site_id is not None:
        agents = agents.filter(site_id=site_id)
    if category:
        agents = agents.filter(category=category)
    return agents_matching(agents, query)


def agents_matching(agents: QuerySet[Agent], query: str) -> QuerySet[Agent] | RankedAgents:
    """Among `agents` (already limited to what the person may see), those matching `query`, best
    first; all of them by name for an empty query. The pickers' search reads it too."""
    parsed = query_parse(query)
    if not parsed:
        return agents.order_by("last_name", "first_name", "pk")

    postgresql = is_postgresql()
    if not postgresql:
        sqlite_functions_register()
    if parsed.phone:
        matches = agents.alias(d_phone=Digits("phone"), d_mobile=Digits("mobile")).filter(_phone_match(parsed.phone))
        return _ranked(agents, matches, terms=())
    matches = agents.alias(
        n_name=Name("first_name", "last_name"),
        n_first=Norm("first_name"),
        n_last=Norm("last_name"),
        n_job=Norm("job_title"),
        d_phone=Digits("phone"),
        d_mobile=Digits("mobile"),
    )
    for term, related in zip(parsed.terms, _related_ids(parsed.terms, postgresql=postgresql), strict=True):
        matches = matches.filter(_term_match(term, related, postgresql=postgresql))
    return _ranked(agents, matches, terms=parsed.terms)


def _ranked(agents: QuerySet[Agent], matches: QuerySet[Agent], *, terms: tuple[str, ...]) -> RankedAgents:
    """Rank in Python. No ORDER BY … LIMIT in SQL: on it the planner may walk the name
    index through every agent, hoping to meet the few matches early."""
    rows = matches.order_by().values_list("pk", "first_name", "last_name", "job_title")
    ranked = sorted(
        ((-score(terms, first, last, job), normalise(last), normalise(first), pk) for pk, first, last, job in rows)
    )
    return RankedAgents(agents, [pk for *_, pk in ranked])
