"""The onboarding app's entries in the core's registry: the menu, a home slot for an
arriving agent and for those who accompany one, and the demo data."""

from django.utils.translation import gettext_lazy as _

from intranet.demo import register_demo_extension
from intranet.directory.services.profile import register_data_exporter
from intranet.registry import HomeSlot, NavItem, register_home_slot, register_nav
from intranet.roles import is_internal

register_nav(
    NavItem(key="onboarding", label=_("Intégration"), url_name="onboarding:my-journey", order=60, visible=is_internal)
)


def _home_context(request):
    from onboarding import selectors

    user = request.user
    arrival = selectors.arrival_of(user=user)
    tasks = list(selectors.task_list_for(user=user)[:5])
    if arrival is None and not tasks:
        return None
    return {"arrival": arrival, "tasks": tasks}


register_home_slot(
    HomeSlot(
        key="onboarding",
        title=_("Mon accueil"),
        template="onboarding/slots/home.html",
        context=_home_context,
        order=25,
        visible=is_internal,
    )
)


def _demo_seed(*, stdout):
    from onboarding.demo import demo_seed

    demo_seed(stdout=stdout)


register_demo_extension("onboarding", _demo_seed)


def _data_export(agent):
    from onboarding.selectors import agent_data_export

    return agent_data_export(agent)


register_data_exporter("onboarding", _data_export)
