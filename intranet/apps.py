from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntranetConfig(AppConfig):
    name = "intranet"
    verbose_name = _("Intranet")

    def ready(self):
        from intranet import home, plugins  # noqa: F401  (the core's own nav, slots, search; the home slots' renewal)
