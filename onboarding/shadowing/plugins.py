"""The job-shadowing app's entries in the core's registry: navigation, the link on colleagues'
directory pages, demo data, RGPD export and anonymisation, and the indicator sources of the
action plan's card 5.3."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from intranet.registry import (
    AgentLink,
    Anonymiser,
    DataExporter,
    DemoSeed,
    IndicatorSource,
    NavItem,
    PeriodicTask,
    SearchProvider,
    SearchResult,
    TodoSource,
    register,
)
from onboarding.shadowing import indicators
from onboarding.shadowing import permissions as perms


def _discover_link(*, viewer, agent):
    """On a colleague's page: ask to discover their job (internal viewers, internal active colleagues)."""
    if not perms.can_use(viewer) or agent.is_external or not agent.is_active or agent.pk == viewer.pk:
        return None
    return reverse("shadowing:visit-create") + "?" + urlencode({"hote": agent.pk})


def _decisions(*, user, today, limit):
    from onboarding.shadowing import selectors

    return selectors.todo_decisions(user=user, today=today, limit=limit)


def _my_visits(*, user, today, limit):
    from onboarding.shadowing import selectors

    return selectors.todo_my_visits(user=user, today=today, limit=limit)


def _demo_seed(*, stdout):
    from onboarding.shadowing.demo import demo_seed

    demo_seed(stdout=stdout)


def _export(agent):
    from onboarding.shadowing.selectors import agent_data_export

    return agent_data_export(agent)


def _anonymise(agent, label):
    from onboarding.shadowing.services.reports import agent_shadowing_anonymise

    agent_shadowing_anonymise(agent=agent, label=label)


def _search_offers(*, user, query, limit):
    from onboarding.shadowing import selectors

    return [
        SearchResult(
            title=offer.job_title,
            url=reverse("shadowing:offer-list")
            + "?"
            + urlencode({"service": offer.org_unit_id})
            + f"#offre-{offer.pk}",
            summary=f"{offer.org_unit} · {offer.site}",
        )
        for offer in selectors.offer_search(user=user, query=query, limit=limit)
    ]


register(
    NavItem(
        key="shadowing",
        label=_("Montre-moi ton job"),
        url_name="shadowing:offer-list",
        order=60,
        visible=perms.can_use,
        group="career",
    ),
    SearchProvider(
        key="shadowing-offers",
        label=_("Montre-moi ton job : métiers à découvrir"),
        search=_search_offers,
        order=80,
        visible=perms.can_use,
    ),
    NavItem(
        key="shadowing-manage",
        label=_("Montre-moi ton job"),
        url_name="shadowing:campaign-list",
        order=840,
        visible=perms.can_manage_campaigns,
        group="manage",
    ),
    TodoSource(
        key="shadowing-decisions",
        label=_("Montre-moi ton job : demandes à décider"),
        items=_decisions,
        order=10,
        visible=perms.can_use,
    ),
    TodoSource(
        key="shadowing-visits",
        label=_("Montre-moi ton job : vos visites"),
        items=_my_visits,
        order=11,
        visible=perms.can_use,
    ),
    AgentLink(key="shadowing", label=_("Découvrir son métier"), url=_discover_link, order=50),
    DemoSeed(key="shadowing", seed=_demo_seed),
    # Evaluations a crash left behind after a visit's commit; free wishes without a host routed to HR.
    PeriodicTask(key="shadowing-sweep", task="onboarding.shadowing.tasks.shadowing_sweep_task", schedule=3600.0),
    DataExporter(key="shadowing", export=_export),
    Anonymiser(key="shadowing", anonymise=_anonymise),
    *(
        IndicatorSource(key=key, label=label, compute=compute, choices=indicators.campaign_choices)
        for key, label, compute in indicators.SOURCES
    ),
)
