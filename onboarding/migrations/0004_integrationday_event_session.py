"""A journée d'intégration points to its event's session (filled by 0005; its own copy of the
date, place and capacity goes in 0006). Three migrations: PostgreSQL runs each in its own
transaction, so that no table is altered with the data migration's constraint checks pending."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0002_material_checked_files"),
        ("onboarding", "0003_guideedition_attempts"),
    ]

    operations = [
        migrations.AddField(
            model_name="integrationday",
            name="event_session",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="integration_day",
                to="events.session",
                verbose_name="séance",
            ),
        ),
    ]
