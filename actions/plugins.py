"""The actions app's entries in the core's registry, and the derived role "pilot"."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from actions import selectors, services
from actions.permissions import can_follow_my_cards, can_read_plan, is_pilot
from intranet.demo import register_demo_extension
from intranet.directory.services.profile import register_anonymiser, register_data_exporter
from intranet.registry import (
    HomeSlot,
    NavItem,
    SearchProvider,
    SearchResult,
    register_home_slot,
    register_nav,
    register_search,
)
from intranet.roles import Role, register_derived_role
from intranet.services import register_document_renderer

register_derived_role(Role.PILOT, is_pilot)

register_nav(
    NavItem(
        key="actions",
        label=_("Projet d'administration"),
        url_name="actions:plan-overview",
        order=40,
        visible=can_read_plan,
    )
)

register_nav(
    NavItem(
        key="my-cards",
        label=_("Mes actions"),
        url_name="actions:my-cards",
        order=41,
        visible=can_follow_my_cards,
    )
)

register_home_slot(
    HomeSlot(
        key="actions-progress",
        title=_("Avancement du projet d'administration"),
        template="actions/slots/plan_progress.html",
        context=lambda request: selectors.plan_home_context(user=request.user),
        order=30,
        visible=can_read_plan,
    )
)


def _search_cards(*, user, query, limit):
    return [
        SearchResult(
            title=f"{_('Action')} {card.number} — {card.title}",
            url=reverse("actions:card-detail", args=[card.pk]),
            summary=str(card.objective),
        )
        for card in selectors.card_search(user=user, query=query, limit=limit)
    ]


register_search(
    SearchProvider(
        key="actions",
        label=_("Projet d'administration"),
        search=_search_cards,
        order=40,
        visible=can_read_plan,
    )
)


def _demo_seed(*, stdout):
    from actions.demo import demo_seed

    demo_seed(stdout=stdout)


register_demo_extension("actions", _demo_seed)

register_anonymiser("actions", lambda agent, label: services.card_history_anonymise(agent=agent, label=label))
register_data_exporter("actions", selectors.agent_data_export)


def _render_plan_pdf(**params):
    from actions.exports import plan_document_render  # WeasyPrint, loaded when printing

    return plan_document_render(**params)


register_document_renderer("actions.plan", _render_plan_pdf)  # actions.exports.PLAN_PDF_DOCUMENT
