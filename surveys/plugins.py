"""The surveys app's entries in the core's registry."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from intranet.registry import (
    DemoSeed,
    NavItem,
    PeriodicTask,
    Recoverer,
    SearchProvider,
    SearchResult,
    TodoSource,
    register,
)
from surveys import selectors
from surveys.permissions import can_build_surveys, can_list_my_surveys


def _search_surveys(*, user, query, limit):
    return [
        SearchResult(
            title=invitation.survey.title,
            url=reverse("surveys:survey-answer", args=[invitation.survey_id]),
            summary=str(_("à remplir avant le %(date)s")) % {"date": f"{invitation.survey.closes_on:%d/%m/%Y}"}
            if invitation.survey.closes_on
            else str(_("à remplir")),
        )
        for invitation in selectors.survey_search(user=user, query=query, limit=limit)
    ]


def _demo_seed(*, stdout):
    from surveys.demo import demo_seed

    demo_seed(stdout=stdout)


register(
    NavItem(
        key="surveys-mine",
        label=_("Mes enquêtes"),
        url_name="surveys:survey-mine",
        order=10,
        visible=can_list_my_surveys,
        group="my-space",
    ),
    NavItem(
        key="surveys-manage",
        label=_("Enquêtes"),
        url_name="surveys:survey-manage",
        order=860,
        visible=can_build_surveys,
        group="manage",
    ),
    TodoSource(
        key="surveys-to-answer",
        label=_("Enquêtes à remplir"),
        items=selectors.todo_surveys_to_answer,
        order=40,
        visible=can_list_my_surveys,
    ),
    SearchProvider(
        key="surveys",
        label=_("Enquêtes à remplir"),
        search=_search_surveys,
        order=70,
        visible=can_list_my_surveys,
    ),
    DemoSeed(key="surveys", seed=_demo_seed),
    # Statuses follow the open/close dates; automatic reminders before closing (idempotent).
    PeriodicTask(key="surveys-daily", task="surveys.tasks.surveys_daily_task", schedule=3600.0),
)

# The results side registers its own entries (indicator sources…) from surveys/results_plugins.py.
from surveys import results_plugins  # noqa: E402, F401


def _recover() -> int:
    """Beat's recovery: invitations and reminders left to queue that no live worker holds."""
    from surveys.services.invitations import surveys_dispatch_pending

    return surveys_dispatch_pending()


register(Recoverer(key="surveys.mails", recover=_recover))
