from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    """The steering committee's annual reviews of the action plan (a separate app: its own tables)."""

    name = "actions.reviews"
    label = "reviews"
    verbose_name = _("Revues du comité de pilotage")
    url_prefix = "plan/revues/"

    def ready(self):
        from actions.reviews import plugins  # noqa: F401  (nav item, PDF renderer, demo data)
