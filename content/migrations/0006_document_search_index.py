"""The documents' search indexes (PostgreSQL only, as 0002 for news)."""

from django.db import migrations

INDEXES = """
CREATE INDEX IF NOT EXISTS content_document_search_vector ON content_document USING gin (search_vector);
CREATE INDEX IF NOT EXISTS content_document_title_trgm ON content_document USING gin (mc_norm(title) gin_trgm_ops);
"""
DROP = """
DROP INDEX IF EXISTS content_document_search_vector;
DROP INDEX IF EXISTS content_document_title_trgm;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEXES)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("content", "0005_library")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
