"""The job-shadowing app's entries in the core's registry: navigation, the link on colleagues'
directory pages, demo data, and (when the action plan offers them) indicator sources for card 5.3."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from intranet.demo import register_demo_extension
from intranet.directory.services.profile import register_anonymiser, register_data_exporter
from intranet.registry import AgentLink, NavItem, register_agent_link, register_nav
from onboarding.shadowing import permissions as perms

register_nav(
    NavItem(
        key="shadowing",
        label=_("Montre-moi ton job"),
        url_name="shadowing:offer-list",
        order=60,
        visible=perms.can_use,
    )
)


def _discover_link(*, viewer, agent):
    """On a colleague's page: ask to discover their job (internal viewers, internal active colleagues)."""
    if not perms.can_use(viewer) or agent.is_external or not agent.is_active or agent.pk == viewer.pk:
        return None
    return reverse("shadowing:visit-create") + "?" + urlencode({"hote": agent.pk})


register_agent_link(AgentLink(key="shadowing", label=_("Découvrir son métier"), url=_discover_link, order=50))


def _demo_seed(*, stdout):
    from onboarding.shadowing.demo import demo_seed

    demo_seed(stdout=stdout)


register_demo_extension("shadowing", _demo_seed)


def _export(agent):
    from onboarding.shadowing.selectors import agent_data_export

    return agent_data_export(agent)


def _anonymise(agent, label):
    from onboarding.shadowing.services import agent_shadowing_anonymise

    agent_shadowing_anonymise(agent=agent, label=label)


register_data_exporter("shadowing", _export)
register_anonymiser("shadowing", _anonymise)


def _register_indicator_sources():
    try:
        from actions.indicator_sources import IndicatorSource, register_indicator_source
    except ImportError:
        return  # the action plan's registry is not there yet: nothing to feed
    from onboarding.shadowing import indicators

    for key, label, compute in indicators.SOURCES:
        register_indicator_source(
            IndicatorSource(key=key, label=label, compute=compute, choices=indicators.campaign_choices)
        )


_register_indicator_sources()
