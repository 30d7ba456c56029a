from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "newsletters"
    verbose_name = _("Lettre « Bienvenue »")
    url_prefix = "lettre/"

    def ready(self):
        from newsletters import plugins  # noqa: F401  (nav, search, demo data)
