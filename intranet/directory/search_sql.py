"""The SQL expressions of the directory search, on both databases: PostgreSQL's functions and
operators (migrations 0004, 0016, indexed) and, on SQLite, the same functions in Python registered
on the connection."""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import BooleanField, CharField, Func

from intranet.directory.search_terms import digits, near, normalise, term_typo_keys


class Norm(Func):
    """`mc_norm(x)`: lower(unaccent(x)), '' for NULL. An IMMUTABLE SQL function on PostgreSQL
    (migration 0004, indexed), a Python function on SQLite."""

    function = "mc_norm"
    output_field = CharField()


class Name(Func):
    """`mc_name(first, last)`: mc_norm(first || ' ' || last), indexed on PostgreSQL."""

    function = "mc_name"
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


class FrenchMatch(Func):
    """PostgreSQL: the text's French full-text vector matches the tsquery (uses the
    `agent_search_job_fts` index when the text is mc_norm(job_title))."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        (text, text_params), (query, query_params) = (compiler.compile(e) for e in self.source_expressions)
        sql = f"(to_tsvector('french'::regconfig, {text}) @@ to_tsquery('french'::regconfig, {query}))"
        return sql, [*text_params, *query_params]


class AnyOf(Func):
    """The column is one of `ids`. PostgreSQL: `column = ANY(%s)`, the ids as one array
    parameter (indexed as `IN` is; binding thousands of ids one by one — the agents having a
    matched skill — cost 25 ms a query); SQLite: `column IN (…)`."""

    output_field = BooleanField()

    def __init__(self, column, ids):
        super().__init__(column)
        self.ids = sorted(ids)

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            return f"({column} = ANY(%s::bigint[]))", [*params, self.ids]
        return f"({column} IN ({', '.join(['%s'] * len(self.ids))}))", [*params, *self.ids]


class Near(Func):
    """A word of the (normalised) text is one slip away from the term (`typo_keys`).
    PostgreSQL: `keys_column && keys`, the text's keys kept in the agent's row (migration 0019,
    GIN-indexed: reading them costs nothing where recomputing them cost 75 µs a row); SQLite:
    the Python function `mc_near(text, term)`."""

    output_field = BooleanField()

    def __init__(self, text, term: str, *, keys_column: str):
        super().__init__(text)
        self.term = term
        self.keys_column = keys_column

    def as_sql(self, compiler, connection, **extra):
        if connection.vendor == "postgresql":
            table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
            column = connection.ops.quote_name(self.keys_column)
            return f"({table}.{column} && %s::text[])", [term_typo_keys(self.term)]
        text, params = compiler.compile(self.source_expressions[0])
        return f"mc_near({text}, %s)", [*params, self.term]


def tsquery(term: str) -> str:
    """A prefix tsquery of the term's words, safe to pass to to_tsquery: "d'accueil" → "d:* & accueil:*"."""
    words = re.findall(r"[a-z0-9]+", term)
    return " & ".join(f"{word}:*" for word in words)


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _name(first_name: str | None, last_name: str | None) -> str:
    return normalise(f"{first_name or ''} {last_name or ''}")


def sqlite_functions_register() -> None:
    """Give the SQLite connection the `mc_norm`, `mc_name`, `mc_digits` and `mc_near` functions
    PostgreSQL gets from migration 0004, once per connection. Only once: registering takes
    SQLite's connection lock while holding Python's GIL, which deadlocks against another
    thread running a query on the same connection that calls one of these functions (the
    test live server shares one in-memory connection between its threads)."""
    connection.ensure_connection()
    raw = connection.connection
    if getattr(connection, "_mc_functions_for", None) is raw:
        return
    raw.create_function("mc_norm", 1, normalise, deterministic=True)
    raw.create_function("mc_name", 2, _name, deterministic=True)
    raw.create_function("mc_digits", 1, digits, deterministic=True)
    raw.create_function("mc_near", 2, near, deterministic=True)
    connection._mc_functions_for = raw
