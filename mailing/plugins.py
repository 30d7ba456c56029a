"""The mailing app's entries in the core's registry."""

from django.utils.translation import gettext_lazy as _

from intranet.registry import NavItem, PeriodicTask, register
from mailing.permissions import can_run_mailings

register(
    NavItem(
        key="mailings",
        label=_("Envois de courriels"),
        url_name="mailing:mailing-list",
        order=870,
        visible=can_run_mailings,
        group="manage",
    ),
    # Start the scheduled mailings whose time has come, resume sends no task is moving.
    PeriodicTask(key="mailing-dispatch", task="mailing.tasks.mailing_dispatch_task", schedule=60.0),
)
