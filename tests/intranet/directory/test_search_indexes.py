"""The searches' indexes stay fast as data arrives (PostgreSQL: SQLite has no index for them).

A GIN index with `fastupdate` keeps new entries in a pending list until the next VACUUM, and
every search reads that list in full: after the demo's 10,000 agents were loaded, the
directory's p95 was 70 ms instead of about 20. Every GIN index is written directly."""

from django.db import connection

from tests.conftest import skip_or_fail


def test_no_gin_index_keeps_a_pending_list(db):
    if connection.vendor != "postgresql":
        skip_or_fail("GIN indexes are PostgreSQL's: set DATABASE_URL=postgres://…")
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT index.relname, coalesce(array_to_string(index.reloptions, ','), '')
            FROM pg_class index
            JOIN pg_am method ON method.oid = index.relam
            JOIN pg_namespace namespace ON namespace.oid = index.relnamespace
            WHERE method.amname = 'gin' AND namespace.nspname = 'public'
            """
        )
        indexes = dict(cursor.fetchall())
    assert {"agent_search_name_keys", "content_news_search_vector", "orgunit_search_name_trgm"} <= set(indexes)
    assert [name for name, options in indexes.items() if "fastupdate=off" not in options] == []


def test_the_services_sites_and_skills_a_term_matches_are_indexed(db):
    if connection.vendor != "postgresql":
        skip_or_fail("the search's indexes are PostgreSQL's: set DATABASE_URL=postgres://…")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes"
            " WHERE tablename IN ('intranet_orgunit', 'intranet_site', 'intranet_skill')"
        )
        names = {name for (name,) in cursor.fetchall()}
    assert {
        "orgunit_search_name_trgm",
        "orgunit_search_short",
        "site_search_name_trgm",
        "site_search_city",
        "skill_search_name_trgm",
    } <= names
