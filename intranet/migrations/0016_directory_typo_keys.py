"""One-slip typo tolerance of the directory search on PostgreSQL (nothing happens on SQLite,
where the search registers the Python function `mc_near` instead).

- `mc_typo_keys(text)`: the keys of a normalised text, as `intranet.directory.search_terms.typo_keys`
  computes them: each word of 3 letters or more and, from 4 letters, each spelling with one
  letter deleted. A term and a word one slip apart (a letter dropped, added, replaced, two
  letters swapped) share a key;
- GIN indexes on the keys of the normalised name and job title, matching the expressions the
  search puts in its queries (`mc_typo_keys(...) && ARRAY[...]`).
"""

from django.db import migrations

FUNCTIONS = """
CREATE OR REPLACE FUNCTION public.mc_typo_keys(text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN ARRAY(
        SELECT DISTINCT key FROM (
            SELECT word AS key
                FROM regexp_split_to_table(coalesce($1, ''), '[^[:alnum:]]+') AS word
                WHERE length(word) >= 3
            UNION ALL
            SELECT overlay(word PLACING '' FROM i FOR 1)
                FROM regexp_split_to_table(coalesce($1, ''), '[^[:alnum:]]+') AS word,
                    generate_series(1, length(word)) AS i
                WHERE length(word) >= 4
        ) AS keys
        ORDER BY key
    );
"""

INDEXES = """
CREATE INDEX IF NOT EXISTS agent_search_name_keys ON intranet_agent
    USING gin (mc_typo_keys(mc_name(first_name, last_name)));
CREATE INDEX IF NOT EXISTS agent_search_job_keys ON intranet_agent USING gin (mc_typo_keys(mc_norm(job_title)));
"""

DROP = """
DROP INDEX IF EXISTS agent_search_name_keys;
DROP INDEX IF EXISTS agent_search_job_keys;
DROP FUNCTION IF EXISTS public.mc_typo_keys(text);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTIONS)
        schema_editor.execute(INDEXES)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("intranet", "0015_agent_photo_thumbnails_of"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
