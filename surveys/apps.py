from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Enquêtes de satisfaction")
    url_prefix = "enquetes/"

    def ready(self):
        from surveys import plugins  # noqa: F401  (nav items, home slot, demo data)
