"""The mailing app's entries in the core's registry."""

from django.utils.translation import gettext_lazy as _

from intranet.registry import NavItem, register_nav
from mailing.permissions import can_run_mailings

register_nav(
    NavItem(
        key="mailings",
        label=_("Diffusions"),
        url_name="mailing:mailing-list",
        order=85,
        visible=can_run_mailings,
    )
)
