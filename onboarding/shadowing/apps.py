from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShadowingConfig(AppConfig):
    name = "onboarding.shadowing"
    label = "shadowing"
    verbose_name = _("Montre-moi ton job")
    url_prefix = "montre-moi-ton-job/"
