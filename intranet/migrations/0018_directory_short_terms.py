"""A directory search term of one or two letters matches the beginning of a first name, a last
name or a job title (`intranet.directory.search`): B-tree indexes on their normalised forms,
for `LIKE 'pa%'` (PostgreSQL only; trigram indexes need three letters, so « pa » read all
10,000 agents, 112 ms)."""

from django.db import migrations

INDEXES = """
CREATE INDEX IF NOT EXISTS agent_search_first_prefix ON intranet_agent (mc_norm(first_name) text_pattern_ops);
CREATE INDEX IF NOT EXISTS agent_search_last_prefix ON intranet_agent (mc_norm(last_name) text_pattern_ops);
CREATE INDEX IF NOT EXISTS agent_search_job_prefix ON intranet_agent (mc_norm(job_title) text_pattern_ops);
"""

DROP = """
DROP INDEX IF EXISTS agent_search_first_prefix;
DROP INDEX IF EXISTS agent_search_last_prefix;
DROP INDEX IF EXISTS agent_search_job_prefix;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEXES)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("intranet", "0017_search_indexes_without_pending_list"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
