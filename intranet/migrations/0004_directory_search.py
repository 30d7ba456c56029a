"""The directory search's database side (PostgreSQL only; nothing happens on SQLite).

- the `unaccent` and `pg_trgm` extensions;
- `mc_norm(text)`: lower case, accents removed, NULL as ''. `unaccent()` is only STABLE (its
  dictionary could change), so it cannot appear in an index; this IMMUTABLE wrapper names
  the dictionary and its schema explicitly, which makes it safe to declare immutable;
- `mc_name(first, last)`: the normalised "first last" name, one column for the name's index;
- `mc_digits(text)`: the digits of a phone number ("03 83 12 34 56" → "0383123456"), in
  PL/pgSQL so that it is not inlined: inlined, regexp_replace() looks free to the planner,
  which then prefers scanning every agent to the phone numbers' trigram indexes;
- expression indexes on agents, matching the expressions `intranet.directory.search` puts
  in its queries: trigram GIN indexes (LIKE '%…%' and word similarity for typos) on the
  normalised name and job title, a full-text GIN index (`french` configuration) on the
  job title, and trigram indexes on the phone numbers' digits.

On SQLite the search registers Python functions of the same names on each connection
(see `intranet.directory.search.sqlite_functions_register`): no index, same semantics
minus the typo tolerance and the stemming.
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

FUNCTIONS = """
CREATE OR REPLACE FUNCTION public.mc_norm(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN lower(public.unaccent('public.unaccent'::regdictionary, coalesce($1, '')));
CREATE OR REPLACE FUNCTION public.mc_name(text, text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN public.mc_norm(coalesce($1, '') || ' ' || coalesce($2, ''));
CREATE OR REPLACE FUNCTION public.mc_digits(text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 100
    AS $$ BEGIN RETURN regexp_replace(coalesce($1, ''), '[^0-9]+', '', 'g'); END $$;
"""

INDEXES = """
CREATE INDEX IF NOT EXISTS agent_search_name_trgm ON intranet_agent
    USING gin (mc_name(first_name, last_name) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS agent_search_job_trgm ON intranet_agent USING gin (mc_norm(job_title) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS agent_search_job_fts ON intranet_agent
    USING gin (to_tsvector('french'::regconfig, mc_norm(job_title)));
CREATE INDEX IF NOT EXISTS agent_search_phone_trgm ON intranet_agent USING gin (mc_digits(phone) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS agent_search_mobile_trgm ON intranet_agent USING gin (mc_digits(mobile) gin_trgm_ops);
"""

DROP = """
DROP INDEX IF EXISTS agent_search_name_trgm;
DROP INDEX IF EXISTS agent_search_job_trgm;
DROP INDEX IF EXISTS agent_search_job_fts;
DROP INDEX IF EXISTS agent_search_phone_trgm;
DROP INDEX IF EXISTS agent_search_mobile_trgm;
DROP FUNCTION IF EXISTS public.mc_name(text, text);
DROP FUNCTION IF EXISTS public.mc_norm(text);
DROP FUNCTION IF EXISTS public.mc_digits(text);
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
        ("intranet", "0003_outgoingemail"),
    ]

    operations = [
        UnaccentExtension(),  # CREATE EXTENSION IF NOT EXISTS; both are no-ops on SQLite
        TrigramExtension(),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
