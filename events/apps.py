from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Événements")
    url_prefix = "evenements/"

    def ready(self):
        from events import plugins  # noqa: F401  (menu, home slot, « À faire », indicators, documents, demo)
