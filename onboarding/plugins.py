"""The onboarding app's entries in the core's registry: the menu, a home slot for an
arriving agent and for those who accompany one, and the demo data."""

from django.utils.translation import gettext_lazy as _

from intranet.registry import (
    DataExporter,
    DemoSeed,
    HomeSlot,
    NavItem,
    PeriodicTask,
    Picker,
    Recoverer,
    SearchProvider,
    SearchResult,
    TodoSource,
    register,
)
from intranet.roles import is_internal
from onboarding.permissions import can_edit_guide, can_manage_onboarding


def _home_context(request):
    """The newcomer's welcome (their tasks, and everyone else's, are in « À faire »)."""
    from onboarding import selectors

    arrival = selectors.arrival_of(user=request.user)
    return None if arrival is None else {"arrival": arrival}


def _tasks(*, user, today, limit):
    from onboarding import selectors

    return selectors.todo_tasks(user=user, today=today, limit=limit)


def _tasks_late(*, user, today, limit):
    from onboarding import selectors

    return selectors.todo_tasks_late(user=user, today=today, limit=limit)


def _demo_seed(*, stdout):
    from onboarding.demo import demo_seed

    demo_seed(stdout=stdout)


def _data_export(agent):
    from onboarding.selectors import agent_data_export

    return agent_data_export(agent)


def _search_chapters(*, user, query, limit):
    from django.utils.html import strip_tags
    from django.utils.text import Truncator

    from onboarding import selectors

    return [
        SearchResult(title=chapter.title, url=url, summary=Truncator(strip_tags(chapter.body)).chars(200))
        for chapter, url in selectors.chapter_search(user=user, query=query, limit=limit)
    ]


def _edits_the_guide_only(user) -> bool:
    return can_edit_guide(user) and not can_manage_onboarding(user)


register(
    SearchProvider(key="guide-chapters", label=_("Guide d'accueil"), search=_search_chapters, order=90),
    NavItem(
        key="onboarding",
        label=_("Intégration des nouveaux agents"),
        url_name="onboarding:my-journey",
        order=70,
        visible=is_internal,
        group="career",
    ),
    NavItem(
        key="onboarding-manage",
        label=_("Intégration des nouveaux agents"),
        url_name="onboarding:arrival-list",
        order=830,
        visible=can_manage_onboarding,
        group="manage",
    ),
    NavItem(
        key="onboarding-guide",
        label=_("Guide d'accueil"),
        url_name="onboarding:chapter-list",
        order=831,
        visible=_edits_the_guide_only,  # HR reach it from the arrivals' pages
        group="manage",
    ),
    HomeSlot(
        key="onboarding",
        title=_("Mon intégration"),
        template="onboarding/slots/home.html",
        kept=HomeSlot.KEPT_PERSON,
        context=_home_context,
        order=25,
        visible=is_internal,
    ),
    TodoSource(key="onboarding-tasks", label=_("Tâches des parcours d'intégration"), items=_tasks, order=20),
    TodoSource(
        key="onboarding-late",
        label=_("Parcours d'intégration : tâches en retard des autres"),
        items=_tasks_late,
        order=21,
        visible=can_manage_onboarding,
    ),
    DemoSeed(key="onboarding", seed=_demo_seed),
    DataExporter(key="onboarding", export=_data_export),
    # Reminders of the journey tasks due, invitations to the journées d'intégration (idempotent).
    PeriodicTask(key="onboarding-daily", task="onboarding.tasks.onboarding_daily_task", schedule=3600.0),
)


# The onboarding forms' pickers: whom HR chooses a newcomer, a buddy or a new volunteer among.
def _candidates(name: str):
    def queryset():
        from onboarding import forms

        return getattr(forms, name)()

    return queryset


def _can_manage_onboarding(user) -> bool:
    from onboarding.permissions import can_manage_onboarding

    return can_manage_onboarding(user)


register(
    Picker(key="arrivees", kind="agent", queryset=_candidates("arrival_candidates"), visible=_can_manage_onboarding),
    Picker(key="parrains", kind="agent", queryset=_candidates("buddy_candidates"), visible=_can_manage_onboarding),
    Picker(
        key="volontaires", kind="agent", queryset=_candidates("volunteer_candidates"), visible=_can_manage_onboarding
    ),
)


def _recover() -> int:
    """Beat's recovery: guides asked for that no live worker renders."""
    from onboarding.services.welcome_guide import guide_dispatch_pending

    return guide_dispatch_pending()


register(Recoverer(key="onboarding.guides", recover=_recover))
