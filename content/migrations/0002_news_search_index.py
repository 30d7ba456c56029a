"""The news search's database side (PostgreSQL only; nothing happens on SQLite): a GIN index on
the stored French full-text vector, and a trigram index on the normalised title for the typos
(`intranet.fulltext`: mc_norm comes from intranet's migration 0004)."""

from django.db import migrations

INDEXES = """
CREATE INDEX IF NOT EXISTS content_news_search_vector ON content_news USING gin (search_vector);
CREATE INDEX IF NOT EXISTS content_news_title_trgm ON content_news USING gin (mc_norm(title) gin_trgm_ops);
"""
DROP = """
DROP INDEX IF EXISTS content_news_search_vector;
DROP INDEX IF EXISTS content_news_title_trgm;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEXES)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
        ("intranet", "0004_directory_search"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
