"""Snapshots: the pilots as a list (so a departed agent's name can be anonymised by id), and
on PostgreSQL a trigger that keeps snapshots immutable: an UPDATE may only set `card_id` to
NULL (the card deleted) or rewrite `pilots` (RGPD anonymisation)."""

from django.db import migrations, models

IMMUTABLE_SQL = """
CREATE OR REPLACE FUNCTION reviews_cardsnapshot_immutable() RETURNS trigger AS $$
BEGIN
    IF (to_jsonb(NEW) - 'card_id' - 'pilots') IS DISTINCT FROM (to_jsonb(OLD) - 'card_id' - 'pilots')
       OR (NEW.card_id IS NOT NULL AND NEW.card_id IS DISTINCT FROM OLD.card_id) THEN
        RAISE EXCEPTION USING MESSAGE = 'A review''s card snapshot is immutable: reviews_cardsnapshot ' || OLD.id;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS reviews_cardsnapshot_immutable ON reviews_cardsnapshot;
CREATE TRIGGER reviews_cardsnapshot_immutable BEFORE UPDATE ON reviews_cardsnapshot
    FOR EACH ROW EXECUTE FUNCTION reviews_cardsnapshot_immutable();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS reviews_cardsnapshot_immutable ON reviews_cardsnapshot;
DROP FUNCTION IF EXISTS reviews_cardsnapshot_immutable();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0001_initial'),
    ]

    operations = [
        migrations.RemoveField(model_name='cardsnapshot', name='pilots'),
        migrations.AddField(
            model_name='cardsnapshot',
            name='pilots',
            field=models.JSONField(blank=True, default=list, help_text='Les pilotes de la fiche ce jour-là : [{"id": agent ou null, "name": nom}].', verbose_name='pilotes'),
        ),
        migrations.RunPython(_on_postgresql(IMMUTABLE_SQL), _on_postgresql(DROP_SQL)),
    ]
