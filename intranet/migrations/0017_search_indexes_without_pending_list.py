"""The directory search's indexes read in full, and the services, sites and skills it matches
indexed (PostgreSQL only; nothing happens on SQLite).

- GIN indexes keep new entries in a « pending list » until the next VACUUM (`fastupdate`):
  after an import or the demo's seeding, every search read the whole list (11,180 entries at
  10,000 agents: p95 70 ms instead of about 20). Agents change a few at a time, searches all
  day long: the search's GIN indexes are written directly (`fastupdate = off`), and the list
  they hold is merged once here.
- The services, sites and skills matching each term were found by reading every row and
  computing its trigram similarity (42 ms for a four-word query on 500 services): trigram
  indexes on their normalised names, and indexes on a service's short name and a site's town,
  make every branch of that OR indexable.
"""

from django.db import migrations

AGENT_GIN_INDEXES = (
    "agent_search_name_trgm",
    "agent_search_job_trgm",
    "agent_search_job_fts",
    "agent_search_phone_trgm",
    "agent_search_mobile_trgm",
    "agent_search_name_keys",
    "agent_search_job_keys",
)

INDEXES = """
CREATE INDEX IF NOT EXISTS orgunit_search_name_trgm ON intranet_orgunit
    USING gin (mc_norm(name) gin_trgm_ops) WITH (fastupdate = off);
CREATE INDEX IF NOT EXISTS orgunit_search_short ON intranet_orgunit (mc_norm(short_name));
CREATE INDEX IF NOT EXISTS site_search_name_trgm ON intranet_site
    USING gin (mc_norm(name) gin_trgm_ops) WITH (fastupdate = off);
CREATE INDEX IF NOT EXISTS site_search_city ON intranet_site (mc_norm(city));
CREATE INDEX IF NOT EXISTS skill_search_name_trgm ON intranet_skill
    USING gin (mc_norm(name) gin_trgm_ops) WITH (fastupdate = off);
"""

DROP = """
DROP INDEX IF EXISTS orgunit_search_name_trgm;
DROP INDEX IF EXISTS orgunit_search_short;
DROP INDEX IF EXISTS site_search_name_trgm;
DROP INDEX IF EXISTS site_search_city;
DROP INDEX IF EXISTS skill_search_name_trgm;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in AGENT_GIN_INDEXES:
        schema_editor.execute(f"ALTER INDEX {index} SET (fastupdate = off)")
        schema_editor.execute(f"SELECT gin_clean_pending_list('{index}'::regclass)")
    schema_editor.execute(INDEXES)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(DROP)
    for index in AGENT_GIN_INDEXES:
        schema_editor.execute(f"ALTER INDEX {index} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [
        ("intranet", "0016_directory_typo_keys"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
