"""The events app's entries in the core's registry: menus, the agenda's site filter, « À faire »,
the home page's next events, indicator sources, documents, reminders and demo data."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from events import indicators, selectors
from events.permissions import can_manage_events, can_use_agenda
from intranet.registry import (
    DemoSeed,
    DocumentRenderer,
    HomeSlot,
    IndicatorSource,
    NavItem,
    PeriodicTask,
    Picker,
    SearchProvider,
    SearchResult,
    TodoSource,
    register,
)
from intranet.roles import is_internal

register(
    NavItem(
        key="events-agenda",
        label=_("Agenda des événements"),
        url_name="events:agenda",
        order=45,
        visible=is_internal,
        group="communication",
    ),
    # Partners' narrow extranet: the agenda is a link of its own beside the newsletter's menu.
    NavItem(
        key="events-agenda-partners",
        label=_("Agenda des événements"),
        url_name="events:agenda",
        order=45,
        visible=lambda user: can_use_agenda(user) and not is_internal(user),
    ),
    NavItem(
        key="events-manage",
        label=_("Événements"),
        url_name="events:manage",
        order=870,
        visible=can_manage_events,  # organisers reach their events from the events' pages and « À faire »
        group="manage",
    ),
    # The agenda's site filter: the sites where published sessions take place.
    Picker(key="sites-agenda", kind="site", queryset=selectors.site_choices, visible=can_use_agenda),
)


def _home_events(request):
    events = selectors.home_events(user=request.user)
    return {"home_events": events} if events else None


register(
    # The next events the person is registered to, and those they may register for.
    HomeSlot(
        key="events-next",
        title=_("Prochains événements"),
        template="events/slots/next.html",
        kept=HomeSlot.KEPT_PERSON,
        context=_home_events,
        order=8,
        visible=can_use_agenda,
    ),
    TodoSource(key="events-checkins", label=_("Séances du jour à pointer"), items=selectors.todo_checkins, order=40),
    TodoSource(
        key="events-deadlines",
        label=_("Inscriptions bientôt closes"),
        items=selectors.todo_registration_deadlines,
        order=41,
        visible=can_use_agenda,
    ),
)


def _signin_sheet(**params):
    from events.documents import signin_sheet_render

    return signin_sheet_render(**params)


def _paper_list(**params):
    from events.documents import paper_list_render

    return paper_list_render(**params)


register(
    DocumentRenderer(key="events.signin_sheet", render=_signin_sheet),
    DocumentRenderer(key="events.paper_list", render=_paper_list),
)


def _demo_seed(*, stdout):
    from events.demo import demo_seed

    demo_seed(stdout=stdout)


register(DemoSeed(key="events", seed=_demo_seed))

# Hourly: the reminder the day before (Session.reminded_at) and the questionnaire after (survey_sent_at).
register(PeriodicTask(key="events-reminders", task="events.tasks.session_reminders_task", schedule=3600.0))


def _search_events(*, user, query, limit):
    return [
        SearchResult(
            title=event.title,
            url=reverse("events:event-detail", args=[event.pk]),
            summary=" · ".join(
                filter(None, [event.get_kind_display(), date_format(localtime(event.next_at), "DATETIME_FORMAT")])
            ),
        )
        for event in selectors.event_search(user=user, query=query, limit=limit)
    ]


register(SearchProvider(key="events", label=_("Événements"), search=_search_events, order=30, visible=can_use_agenda))


# Figures an action-plan card can follow (argument: the event).
register(
    IndicatorSource(
        key="events.participants",
        label=_("Événement : participants présents"),
        compute=indicators.participants,
        choices=indicators.event_choices,
    ),
    IndicatorSource(
        key="events.attendance_rate",
        label=_("Événement : taux de présence des inscrits (%)"),
        compute=indicators.attendance_rate,
        choices=indicators.event_choices,
    ),
    IndicatorSource(
        key="events.participation",
        label=_("Événement : participation des invités (%)"),
        compute=indicators.participation,
        choices=indicators.event_choices,
    ),
    IndicatorSource(
        key="events.satisfaction",
        label=_("Événement : satisfaction (questionnaire, %)"),
        compute=indicators.satisfaction,
        choices=indicators.surveyed_event_choices,
    ),
)
