"""The mailing app's entries in the core's registry."""

from django.utils.translation import gettext_lazy as _

from intranet.registry import NavItem, Recoverer, RetentionRule, register
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
)


def _recover() -> int:
    """Beat's recovery: scheduled mailings whose time has come, sends no live task holds."""
    from mailing.services import mailing_dispatch_pending

    result = mailing_dispatch_pending()
    return result["started"] + result["published"]


register(Recoverer(key="mailing.sends", recover=_recover))


def _metrics() -> None:
    from intranet.metrics import register as register_collector
    from mailing.metrics import DeliveriesCollector

    register_collector(DeliveriesCollector())


_metrics()


def _bodies_purge(**kwargs) -> int:
    from mailing.services import bodies_purge

    return bodies_purge(**kwargs)


register(
    RetentionRule(
        key="mailing.bodies",
        label=_("Contenu des messages envoyés en nombre (la liste des destinataires reste)"),
        default_days=365,
        purge=_bodies_purge,
        basis=_("Le numéro d'une lettre reste dans ses archives ; le message envoyé n'est plus utile."),
        order=30,
    )
)
