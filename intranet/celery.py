import os

from celery import Celery
from celery.beat import PersistentScheduler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intranet.settings")

app = Celery("intranet")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class RegistryScheduler(PersistentScheduler):
    """Beat's scheduler (CELERY_BEAT_SCHEDULER): it runs the periodic tasks each app registers in
    its plugins (`intranet.registry.PeriodicTask`), read once Django is set up (`celery beat` and
    `worker --beat` set it up before they build their scheduler)."""

    def setup_schedule(self):
        from django.apps import apps

        from intranet.registry import registry

        apps.check_apps_ready()
        self.app.conf.beat_schedule = registry.beat_schedule()
        super().setup_schedule()
