from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailingConfig(AppConfig):
    name = "mailing"
    verbose_name = _("Diffusions par e-mail")
    url_prefix = "diffusions/"

    def ready(self):
        from mailing import plugins  # noqa: F401  (nav item)
