"""Full-text search for the global search's sources (news, pages, documents, action cards,
vacancies…): one rule for every app, the directory's rules for words.

A query is cut into terms as the directory cuts it (`intranet.directory.search`: lower case, accents
removed, the little words « de », « la »… left out unless alone); every term must match (AND).

PostgreSQL: a term matches the French full-text vector of the text (stemmed, prefix: « formations »
finds « formation » and « formateur », « compta » finds « comptabilité »), or — the directory's
typo tolerance — a word of the title close to it (pg_trgm word similarity ≥ 0.6, from 4 letters:
« formaton » finds « Formation »). A source with many rows keeps its normalised text in a column
with a stored vector (`vector=`, a GIN index); a small table is read on the fly (`fields=`).

SQLite (the embedded default) is kept simple: every term is a substring of one of the fields,
accents and case ignored, without index.

`text_match` returns the matching queryset; `title_first` orders it: the rows whose title holds
every term first, then the newest.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

from django.db import connection
from django.db.models import BooleanField, Case, F, Func, Q, QuerySet, TextField, Value, When

from intranet.directory.search import (
    MAX_QUERY,
    MAX_TERMS,
    MIN_TERM,
    MIN_TYPO_TERM,
    STOPWORDS,
    Norm,
    WordSimilar,
    is_postgresql,
    normalise,
    sqlite_functions_register,
)

_TERM_SPLIT = re.compile(r"[\s,;/()\[\]{}\"«»:!?.]+")


def search_terms(query: str) -> tuple[str, ...]:
    """The query's terms, normalised: « Formation des managers » → ("formation", "managers")."""
    terms = [normalise(term).strip("'-") for term in _TERM_SPLIT.split((query or "")[:MAX_QUERY])]
    terms = [term for term in terms if term]
    kept = [term for term in terms if len(term) >= MIN_TERM and term not in STOPWORDS] or terms
    return tuple(dict.fromkeys(kept))[:MAX_TERMS]


def tsquery(term: str) -> str:
    """A prefix tsquery of a term's words, safe for to_tsquery: "d'accueil" → "d:* & accueil:*"."""
    return " & ".join(f"{word}:*" for word in re.findall(r"[a-z0-9]+", term))


class FrenchVector(Func):
    """to_tsvector('french', text): the text must already be normalised (mc_norm or normalise())."""

    template = "to_tsvector('french'::regconfig, %(expressions)s)"
    output_field = TextField()


class Joined(Func):
    """PostgreSQL: the fields' texts joined by spaces (NULL as nothing)."""

    function = "concat_ws"
    template = "concat_ws(' ', %(expressions)s)"
    output_field = TextField()


class VectorMatch(Func):
    """PostgreSQL: `vector @@ to_tsquery('french', query)`; a query of French stop words only
    (« ma » of « vis ma vie ») matches every row, as PostgreSQL ignores such words in a text (the
    test of the query is a constant: the planner drops it and keeps the index)."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        (vector, vector_params), (query, query_params) = (compiler.compile(e) for e in self.source_expressions)
        tsquery = f"to_tsquery('french'::regconfig, {query})"
        return (
            f"(numnode({tsquery}) = 0 OR {vector} @@ {tsquery})",
            [*query_params, *vector_params, *query_params],
        )


def text_match(
    queryset: QuerySet,
    query: str,
    *,
    fields: list[str],
    title: str | None = None,
    vector: str | None = None,
    normalised: str | None = None,
) -> QuerySet:
    """The rows of `queryset` matching every term of `query` (none for an empty query).

    `fields`: the text fields searched (read on the fly on PostgreSQL when there is no `vector`);
    `title`: the field the typos are forgiven in; `vector`: a stored tsvector column of the
    normalised text (PostgreSQL); `normalised`: a column already holding the normalised text,
    which SQLite searches instead of `fields`."""
    terms = search_terms(query)
    if not terms:
        return queryset.none()
    if is_postgresql():
        if vector:
            return _stored_vector_match(queryset, terms, vector=vector, title=title)
        document = FrenchVector(Norm(Joined(*fields)))
        if title:
            queryset = queryset.alias(_title_norm=Norm(title))
        for term in terms:
            match = Q(VectorMatch(document, Value(tsquery(term)))) if tsquery(term) else Q(pk__in=[])
            if title and len(term) >= MIN_TYPO_TERM:
                match |= Q(WordSimilar(F("_title_norm"), Value(term)))
            queryset = queryset.filter(match)
        return queryset
    sqlite_functions_register()
    if normalised:
        for term in terms:
            queryset = queryset.filter(**{f"{normalised}__contains": term})
        return queryset
    names = {f"_n{number}": Norm(field) for number, field in enumerate(fields)}
    queryset = queryset.alias(**names)
    for term in terms:
        match = Q(pk__in=[])
        for name in names:
            match |= Q(**{f"{name}__contains": term})
        queryset = queryset.filter(match)
    return queryset


def _stored_vector_match(queryset: QuerySet, terms, *, vector: str, title: str | None) -> QuerySet:
    """A large table with a stored vector: each way of matching a term is its own sub-select (the
    vector's GIN index, the title's trigram index), so that the planner never reads the whole table
    to test a typo on every title (`a OR b` in one filter did: 170 ms at 5,000 documents)."""
    rows = queryset.model._default_manager
    for term in terms:
        query = tsquery(term)
        match = Q(pk__in=rows.filter(VectorMatch(F(vector), Value(query))).values("pk")) if query else Q(pk__in=[])
        if title and len(term) >= MIN_TYPO_TERM:
            similar = rows.alias(_title_norm=Norm(title)).filter(WordSimilar(F("_title_norm"), Value(term)))
            match |= Q(pk__in=similar.values("pk"))
        queryset = queryset.filter(match)
    return queryset


def title_first(queryset: QuerySet, query: str, *, title: str, newest: str) -> QuerySet:
    """`queryset` ordered: the rows whose title holds every term first, then by `newest` descending."""
    terms = search_terms(query)
    if not is_postgresql():
        sqlite_functions_register()
    in_title = Q()
    for term in terms:
        in_title &= Q(_title_for_rank__contains=term)
    return queryset.alias(
        _title_for_rank=Norm(title),
        _title_hit=Case(When(in_title, then=Value(1)), default=Value(0)),
    ).order_by("-_title_hit", F(newest).desc(nulls_last=True), "-pk")


@contextmanager
def index_scans():
    """PostgreSQL, around reading a large table's matches: no sequential scan, no parallel worker.
    The planner counts a row's vector as cheap to test, but a document's vector is stored apart
    (TOAST) and read back for each row: « formation », in a third of 5,000 documents, took 38 ms
    read row by row and 1.5 ms through the vector's index. And it plans a parallel worker for the
    ordering of a few thousand rows, whose start costs more than it saves: « pa » in the documents
    took 17 ms with one worker, 8 ms without. Set for the session and reset, even on an error, each
    in one round trip."""
    if not is_postgresql():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off; SET max_parallel_workers_per_gather = 0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET enable_seqscan; RESET max_parallel_workers_per_gather")
