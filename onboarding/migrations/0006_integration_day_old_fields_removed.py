"""After 0005 moved them into the events app: the journée d'intégration's own copy of the
date, place, capacity, programme and invitations goes (a migration of its own: PostgreSQL does not
alter a table with the data migration's constraint checks still pending)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("onboarding", "0005_integration_days_become_events"),
    ]

    operations = [
        migrations.DeleteModel(name="Invitation"),
        migrations.RemoveConstraint(model_name="integrationday", name="integrationday_capacity_positive"),
        migrations.RemoveField(model_name="integrationday", name="title"),
        migrations.RemoveField(model_name="integrationday", name="date"),
        migrations.RemoveField(model_name="integrationday", name="start_time"),
        migrations.RemoveField(model_name="integrationday", name="place"),
        migrations.RemoveField(model_name="integrationday", name="capacity"),
        migrations.RemoveField(model_name="integrationday", name="programme"),
        migrations.AlterField(
            model_name="integrationday",
            name="event_session",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="integration_day",
                to="events.session",
                verbose_name="séance",
            ),
        ),
        migrations.AlterModelOptions(
            name="integrationday",
            options={
                "ordering": ["event_session__starts_at", "pk"],
                "verbose_name": "journée d'intégration",
                "verbose_name_plural": "journées d'intégration",
            },
        ),
    ]
