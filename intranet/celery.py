import os

from celery import Celery
from celery.beat import PersistentScheduler
from celery.signals import beat_init, before_task_publish, worker_init, worker_shutting_down

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


@worker_init.connect
def _worker_starting(**kwargs):
    from intranet import workqueue

    workqueue.worker_starting()


@worker_shutting_down.connect
def _worker_stopping(**kwargs):
    from intranet import workqueue

    workqueue.worker_stopping()


@beat_init.connect
def _beat_starting(**kwargs):
    from intranet import workqueue

    workqueue.quiet_recovery_ticks()


@before_task_publish.connect
def _beat_heartbeat(sender=None, **kwargs):
    """Beat publishes the recovery tick: beat's heartbeat (only beat publishes it)."""
    from intranet import workqueue

    if sender == workqueue.RECOVERY_TASK:
        from intranet.services import heartbeat_record

        heartbeat_record(key="beat")
