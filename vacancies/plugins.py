"""The vacancies app's entries in the core's registry: menu, home slot, search, demo data,
RGPD export and anonymisation. Everything is for internal agents (partners: no access)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from intranet.registry import (
    Anonymiser,
    DataExporter,
    DemoSeed,
    HomeSlot,
    NavItem,
    PeriodicTask,
    Picker,
    RetentionRule,
    SearchProvider,
    SearchResult,
    TodoSource,
    register,
)
from vacancies import selectors
from vacancies.permissions import can_browse_vacancies, can_manage_vacancies
from vacancies.services.interests import cvs_purge, interest_delete_for_agent

HOME_SLOT_SIZE = 5


def _home_context(request):
    vacancies = list(selectors.vacancy_list_open().order_by("-published_at", "-pk")[:HOME_SLOT_SIZE])
    if not vacancies:
        return None
    return {"vacancies": vacancies, "total": selectors.vacancy_list_open().count()}


def _search(*, user, query, limit):
    return [
        SearchResult(
            title=f"{vacancy.title} ({vacancy.reference})",
            url=vacancy.get_absolute_url(),
            summary=f"{vacancy.org_unit} · " + str(_("jusqu'au %(date)s") % {"date": f"{vacancy.deadline:%d/%m/%Y}"}),
        )
        for vacancy in selectors.vacancy_list_browse(user=user, q=query)[:limit]
    ]


def _search_concours(*, user, query, limit):
    return [
        SearchResult(
            title=concours.name,
            url=reverse("vacancies:concours-list") + f"#concours-{concours.pk}",
            summary=" · ".join(
                filter(
                    None,
                    [
                        concours.organiser,
                        str(_("inscriptions du %(opens)s au %(closes)s"))
                        % {
                            "opens": f"{concours.registration_opens:%d/%m/%Y}",
                            "closes": f"{concours.registration_closes:%d/%m/%Y}",
                        },
                    ],
                )
            ),
        )
        for concours in selectors.concours_search(user=user, query=query, limit=limit)
    ]


def _demo_seed(*, stdout):
    from vacancies.demo import demo_seed

    demo_seed(stdout=stdout)


register(
    NavItem(
        key="vacancies",
        label=_("Offres d'emploi et concours"),
        url_name="vacancies:vacancy-list",
        order=50,
        visible=can_browse_vacancies,
        group="career",
    ),
    NavItem(
        key="vacancies-mine",
        label=_("Mes candidatures"),
        url_name="vacancies:my-interests",
        order=20,
        visible=can_browse_vacancies,
        group="my-space",
    ),
    NavItem(
        key="vacancies-manage",
        label=_("Offres d'emploi et concours"),
        url_name="vacancies:manage",
        order=850,
        visible=can_manage_vacancies,
        group="manage",
    ),
    HomeSlot(
        key="vacancies-latest",
        title=_("Dernières offres d'emploi"),
        template="vacancies/slots/home.html",
        kept=HomeSlot.KEPT_EVERYONE,
        changes_with=("vacancies.Vacancy",),
        context=_home_context,
        order=60,
        visible=can_browse_vacancies,
    ),
    TodoSource(
        key="vacancies-interests",
        label=_("Manifestations d'intérêt à étudier"),
        items=selectors.todo_interests,
        order=50,
        visible=can_manage_vacancies,
    ),
    SearchProvider(
        key="vacancies",
        label=_("Offres d'emploi"),
        search=_search,
        order=60,
        visible=can_browse_vacancies,
    ),
    SearchProvider(
        key="concours",
        label=_("Concours"),
        search=_search_concours,
        order=61,
        visible=can_browse_vacancies,
    ),
    DemoSeed(key="vacancies", seed=_demo_seed),
    Anonymiser(key="vacancies", anonymise=lambda agent, label: interest_delete_for_agent(agent=agent)),
    DataExporter(key="vacancies", export=selectors.agent_data_export),
    # Mark closed those whose deadline has passed (bookkeeping; pages compute "open" themselves).
    PeriodicTask(
        key="vacancies-close-past-deadline",
        task="vacancies.tasks.vacancies_close_past_deadline_task",
        schedule=3600.0,
    ),
)


# The board's filters: the services (and the units above them) and the sites of the open vacancies.
register(
    Picker(key="services-offres", kind="unit", queryset=selectors.vacancy_filter_units, visible=can_browse_vacancies),
    Picker(key="sites-offres", kind="site", queryset=selectors.vacancy_filter_sites, visible=can_browse_vacancies),
)


register(
    RetentionRule(
        key="vacancies.cvs",
        label=_("CV joints aux manifestations d'intérêt (après la date limite de l'offre)"),
        default_days=730,
        purge=cvs_purge,
        basis=_("CNIL, référentiel gestion du personnel : deux ans au plus après le dernier contact."),
        order=40,
    )
)
