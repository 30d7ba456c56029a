from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = _("Projet d'administration")
    url_prefix = "plan/"

    def ready(self):
        from actions import (
            kept_pages,  # noqa: F401  (the models whose changes renew the kept pages)
            plugins,  # noqa: F401  (nav item, home slot, search provider, pilot role)
        )
