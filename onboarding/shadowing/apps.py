from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShadowingConfig(AppConfig):
    name = "onboarding.shadowing"
    label = "shadowing"
    verbose_name = _("Montre-moi ton job")
    url_prefix = "montre-moi-ton-job/"

    def ready(self):
        from onboarding.shadowing import plugins  # noqa: F401  (nav, agent link, demo data, indicator sources)
