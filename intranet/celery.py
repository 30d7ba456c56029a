import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intranet.settings")

app = Celery("intranet")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.beat_init.connect
def _beat_schedule_from_registry(sender, **kwargs):
    """Beat (`celery beat` or `worker --beat`, Django set up by then) runs the periodic tasks
    each app registers in its plugins (`intranet.registry.PeriodicTask`)."""
    from intranet.registry import registry

    sender.app.conf.beat_schedule = registry.beat_schedule()
