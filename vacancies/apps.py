from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VacanciesConfig(AppConfig):
    name = "vacancies"
    verbose_name = _("Offres d'emploi et concours")
    url_prefix = "emplois/"

    def ready(self):
        from vacancies import plugins  # noqa: F401  (nav item, home slot, search provider, demo data)
