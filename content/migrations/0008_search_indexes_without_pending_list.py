"""The search's GIN indexes on news, pages and documents written directly (PostgreSQL only).

GIN indexes keep new entries in a « pending list » until the next VACUUM (`fastupdate`), and
every search reads that list in full: after the bench's 2,000 news and 5,000 documents were
loaded, each search read them all. Content changes a few items at a time and is searched all
day long: the indexes are written directly, and the list they hold is merged once here (see
intranet's migration 0017 for the directory's).
"""

from django.db import migrations

GIN_INDEXES = (
    "content_news_search_vector",
    "content_news_title_trgm",
    "content_page_search_vector",
    "content_page_title_trgm",
    "content_document_search_vector",
    "content_document_title_trgm",
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in GIN_INDEXES:
        schema_editor.execute(f"ALTER INDEX {index} SET (fastupdate = off)")
        schema_editor.execute(f"SELECT gin_clean_pending_list('{index}'::regclass)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in GIN_INDEXES:
        schema_editor.execute(f"ALTER INDEX {index} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0007_managers_questions"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
