"""The actions app's entries in the core's registry, and the derived role "pilot"."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from actions import selectors
from actions.permissions import can_follow_my_cards, can_read_plan, is_pilot
from actions.services.history import card_history_anonymise
from intranet.registry import (
    Anonymiser,
    DataExporter,
    DemoSeed,
    DerivedRole,
    DocumentRenderer,
    HomeSlot,
    NavItem,
    PeriodicTask,
    SearchProvider,
    SearchResult,
    TodoSource,
    register,
)
from intranet.roles import Role


def _search_cards(*, user, query, limit):
    return [
        SearchResult(
            title=f"{_('Action')} {card.number} — {card.title}",
            url=reverse("actions:card-detail", args=[card.pk]),
            summary=str(card.objective),
        )
        for card in selectors.card_search(user=user, query=query, limit=limit)
    ]


def _demo_seed(*, stdout):
    from actions.demo import demo_seed

    demo_seed(stdout=stdout)


def _demo_sources(*, stdout):
    from actions.demo import demo_sources_seed

    demo_sources_seed(stdout=stdout)


def _render_plan_pdf(**params):
    from actions.exports import plan_document_render  # WeasyPrint, loaded when printing

    return plan_document_render(**params)


register(
    DerivedRole(key=Role.PILOT, rule=is_pilot),
    NavItem(
        key="actions",
        label=_("Vue d'ensemble du plan"),
        url_name="actions:plan-overview",
        order=40,
        visible=can_read_plan,
        group="plan",
    ),
    NavItem(
        key="my-cards",
        label=_("Mes actions"),
        url_name="actions:my-cards",
        order=39,
        visible=can_follow_my_cards,
        group="plan",
    ),
    HomeSlot(
        key="actions-progress",
        title=_("Avancement du projet d'administration"),
        template="actions/slots/plan_progress.html",
        kept=HomeSlot.KEPT_EVERYONE,
        changes_with=(
            "actions.Plan",
            "actions.Objective",
            "actions.ActionCard",
            "actions.Indicator",
            "actions.Measurement",
        ),
        context=lambda request: selectors.plan_home_context(user=request.user),
        order=30,
        visible=can_read_plan,
    ),
    TodoSource(
        key="actions-cards",
        label=_("Fiches action à mettre à jour"),
        items=selectors.todo_cards,
        order=32,
        visible=can_follow_my_cards,
    ),
    SearchProvider(
        key="actions",
        label=_("Projet d'administration"),
        search=_search_cards,
        order=40,
        visible=can_read_plan,
    ),
    DemoSeed(key="actions", seed=_demo_seed),
    # The indicators fed by other modules, once those modules have their demo data (surveys, job-shadowing).
    DemoSeed(key="actions-sources", seed=_demo_sources, order=900),
    Anonymiser(key="actions", anonymise=lambda agent, label: card_history_anonymise(agent=agent, label=label)),
    DataExporter(key="actions", export=selectors.agent_data_export),
    DocumentRenderer(key="actions.plan", render=_render_plan_pdf),  # actions.exports.PLAN_PDF_DOCUMENT
    # Today's values of the indicators fed by other modules (idempotent per day).
    PeriodicTask(key="actions-indicators-daily", task="actions.tasks.indicators_refresh_task", schedule=24 * 3600.0),
)
