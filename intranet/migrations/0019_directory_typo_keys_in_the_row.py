"""The one-slip keys of an agent's name and job title kept in the row (PostgreSQL only; nothing
happens on SQLite, where the search compares them in Python).

A typo's matches are found through the GIN indexes of the keys, but PostgreSQL then rechecks
the search's whole OR on every row found (the trigram branches beside it are lossy), and
`mc_typo_keys` recomputed for each row cost 75 µs: « Duont » (97 matches at 10,000 agents, 12
at 1,350) spent 7 ms of PostgreSQL there. The keys are now columns, `search_name_keys` and
`search_job_keys`, that a trigger fills when a name or a job title is written, and indexed as
they were (same index names, `fastupdate = off`): the recheck reads them.

A trigger rather than a generated column: PostgreSQL refuses to change the type of a column a
generated column reads (a longer `last_name` would need these columns dropped first). The model
does not declare them: the ORM never selects them, the search names them (`search_sql.Near`).
"""

from django.db import migrations

FORWARDS = """
ALTER TABLE intranet_agent ADD COLUMN IF NOT EXISTS search_name_keys text[] NOT NULL DEFAULT '{}',
    ADD COLUMN IF NOT EXISTS search_job_keys text[] NOT NULL DEFAULT '{}';
CREATE OR REPLACE FUNCTION public.mc_agent_search_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_name_keys := public.mc_typo_keys(public.mc_name(NEW.first_name, NEW.last_name));
    NEW.search_job_keys := public.mc_typo_keys(public.mc_norm(NEW.job_title));
    RETURN NEW;
END
$$;
DROP TRIGGER IF EXISTS agent_search_keys ON intranet_agent;
CREATE TRIGGER agent_search_keys BEFORE INSERT OR UPDATE OF first_name, last_name, job_title ON intranet_agent
    FOR EACH ROW EXECUTE FUNCTION public.mc_agent_search_keys();
UPDATE intranet_agent SET search_name_keys = mc_typo_keys(mc_name(first_name, last_name)),
    search_job_keys = mc_typo_keys(mc_norm(job_title));
DROP INDEX IF EXISTS agent_search_name_keys;
DROP INDEX IF EXISTS agent_search_job_keys;
CREATE INDEX agent_search_name_keys ON intranet_agent USING gin (search_name_keys) WITH (fastupdate = off);
CREATE INDEX agent_search_job_keys ON intranet_agent USING gin (search_job_keys) WITH (fastupdate = off);
"""

BACKWARDS = """
DROP INDEX IF EXISTS agent_search_name_keys;
DROP INDEX IF EXISTS agent_search_job_keys;
DROP TRIGGER IF EXISTS agent_search_keys ON intranet_agent;
DROP FUNCTION IF EXISTS public.mc_agent_search_keys();
ALTER TABLE intranet_agent DROP COLUMN IF EXISTS search_name_keys, DROP COLUMN IF EXISTS search_job_keys;
CREATE INDEX agent_search_name_keys ON intranet_agent
    USING gin (mc_typo_keys(mc_name(first_name, last_name))) WITH (fastupdate = off);
CREATE INDEX agent_search_job_keys ON intranet_agent
    USING gin (mc_typo_keys(mc_norm(job_title))) WITH (fastupdate = off);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARDS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [
        ("intranet", "0018_directory_short_terms"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
