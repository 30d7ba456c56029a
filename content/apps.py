from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Actualités, pages et ressources")
    # Mounted at the root: its pages live under /actualites/, /pages/, /ressources/ and /espace-managers/.
    url_prefix = ""

    def ready(self):
        from content import plugins  # noqa: F401  (menus, home slot, « À faire », search, demo data)
