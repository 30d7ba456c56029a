# Responses stored before publication by batches were already shown: they stay published.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0002_invitation_mailed_at_survey_remind_requested_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="response",
            name="published",
            field=models.BooleanField(default=True, verbose_name="publiée"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="response",
            name="published",
            field=models.BooleanField(default=False, verbose_name="publiée"),
        ),
    ]
