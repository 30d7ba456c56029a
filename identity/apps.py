from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "identity"
    verbose_name = _("Identités et connexion")
    url_prefix = "identite/"

    def ready(self):
        from identity import plugins  # noqa: F401  (partners' menu item, contacts on the partner's home, beat)
