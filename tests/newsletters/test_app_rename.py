"""The app was called « newsletter » until December 2026: a database made then keeps its issues."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from newsletters.models import Block, Issue


@pytest.mark.django_db(transaction=True)
def test_migrate_adopts_the_tables_of_the_old_newsletter_app():
    issue = Issue.objects.create(number=41, title="Numéro d'avant le renommage")
    Block.objects.create(issue=issue, kind="text", body="<p>Bonjour</p>")
    # The database as the old app left it: tables, content types and migration record named « newsletter ».
    with connection.schema_editor() as editor:
        for model in (Issue, Block):
            editor.alter_db_table(
                model, model._meta.db_table, model._meta.db_table.replace("newsletters_", "newsletter_")
            )
    ContentType.objects.filter(app_label="newsletters").update(app_label="newsletter")
    ContentType.objects.clear_cache()
    recorder = MigrationRecorder(connection)
    recorder.migration_qs.filter(app="newsletters").delete()
    recorder.record_applied("newsletter", "0001_initial")

    call_command("migrate", "newsletters", verbosity=0)

    assert Issue.objects.get(number=41).blocks.get().body == "<p>Bonjour</p>"
    assert set(recorder.migration_qs.filter(app__startswith="newsletter").values_list("app", flat=True)) == {
        "newsletters"
    }
    ContentType.objects.clear_cache()
    assert not ContentType.objects.filter(app_label="newsletter").exists()
    assert ContentType.objects.get_for_model(Issue).app_label == "newsletters"
