from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    name = "onboarding"
    verbose_name = _("Intégration des nouveaux agents")
    url_prefix = "integration/"
    former_url_prefixes = ("accueil/",)  # until December 2026

    def ready(self):
        from onboarding import plugins  # noqa: F401  (menu, home slot, demo data)
