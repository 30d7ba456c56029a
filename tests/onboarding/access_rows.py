"""The onboarding app's rows of the role × URL access matrix (merged into MATRIX in
tests/test_access_matrix.py; same helpers and outcomes, see that module's docstring).

An arrival belongs to the `agent` fixture, whose manager is the `manager` fixture: they see
its journey and guide, other agents get a 404; HR runs everything; HR and communication
edit the guide."""

from django.urls import reverse

from onboarding.models import Arrival, Assignee, IntegrationDay, JourneyTask, JourneyTemplate
from tests.access import FORBIDDEN, LOGIN, NOT_FOUND, OK, Redirect, internal, row
from tests.events.factories import RegistrationFactory
from tests.onboarding.factories import (
    ArrivalFactory,
    GuideChapterFactory,
    IntegrationDayFactory,
    JourneyTemplateFactory,
)


def _arrival(ctx):
    return ArrivalFactory(agent=ctx.users["agent"], manager=ctx.users["manager"])


def _arrival_kwargs(ctx):
    return {"pk": _arrival(ctx).pk}


def _agent_task(ctx):
    arrival = _arrival(ctx)
    task = JourneyTask.objects.create(
        arrival=arrival,
        title="Compléter sa fiche",
        phase="week1",
        assignee_role=Assignee.AGENT,
        assignee=arrival.agent,
        due_date=arrival.arrival_date,
    )
    return {"pk": task.pk}


def _session_kwargs(ctx):
    return {"pk": IntegrationDayFactory().pk}


def _invitation_kwargs(ctx):
    session = IntegrationDayFactory()
    arrival = ArrivalFactory(arrival_date=session.arrivals_from)
    return {"pk": RegistrationFactory(session=session.event_session, agent=arrival.agent).pk}


def _arrival_page(ctx):
    return reverse("onboarding:arrival-detail", args=[Arrival.objects.get().pk])


def _guide_status(ctx):
    return reverse("onboarding:guide-status", args=[Arrival.objects.get().pk])


def _session_page(ctx):
    return reverse("onboarding:session-detail", args=[IntegrationDay.objects.get().pk])


def _event_sheet(ctx):
    return reverse("events:session-sheet", args=[IntegrationDay.objects.get().event_session_id])


def _template_page(ctx):
    return reverse("onboarding:template-edit", args=[JourneyTemplate.objects.get().pk])


def _hr(**kw):
    return row(**{"anonymous": LOGIN, "default": FORBIDDEN, "rh": OK, "admin_user": OK, **kw})


def _editors(**kw):
    return row(**{"anonymous": LOGIN, "default": FORBIDDEN, "rh": OK, "communication": OK, "admin_user": OK, **kw})


def _seen(ok=OK, **kw):
    """An arrival's pages: the agent, their manager, HR and administrators."""
    return row(
        **{
            "anonymous": LOGIN,
            "default": NOT_FOUND,
            "partenaire": FORBIDDEN,
            "agent": ok,
            "manager": ok,
            "rh": ok,
            "admin_user": ok,
            **kw,
        }
    )


ROWS: dict = {
    "onboarding:my-journey": internal(),
    "onboarding:arrival-list": internal(),
    "onboarding:arrival-create": _hr(),
    "onboarding:arrival-detail": _seen(kwargs=_arrival_kwargs),
    "onboarding:arrival-edit": _hr(kwargs=_arrival_kwargs),
    "onboarding:arrival-buddy": _hr(kwargs=_arrival_kwargs),
    "onboarding:guide-detail": _seen(kwargs=_arrival_kwargs),
    "onboarding:guide-download": _seen(Redirect(_guide_status), kwargs=_arrival_kwargs),
    "onboarding:guide-status": _seen(kwargs=_arrival_kwargs),
    # The agent ticks their own task; their manager sees it but may not tick it.
    "onboarding:task-toggle": _seen(
        Redirect(_arrival_page),
        kwargs=_agent_task,
        method="post",
        data={"done": "1"},
        partenaire=NOT_FOUND,
        manager=FORBIDDEN,
    ),
    "onboarding:volunteer-self": internal(),
    "onboarding:volunteer-list": _hr(),
    # The onboarding forms' pickers (served by the core's picker view).
    "intranet:picker-arrivees": _hr(data={"q": "du"}),
    "intranet:picker-parrains": _hr(data={"q": "du"}),
    "intranet:picker-volontaires": _hr(data={"q": "du"}),
    "onboarding:template-list": _hr(),
    "onboarding:template-create": _hr(),
    "onboarding:template-seed": _hr(method="post", rh=Redirect(_template_page), admin_user=Redirect(_template_page)),
    "onboarding:template-edit": _hr(kwargs=lambda ctx: {"pk": JourneyTemplateFactory().pk}),
    "onboarding:chapter-list": _editors(),
    "onboarding:guide-settings": _editors(),
    "onboarding:chapter-create": _editors(),
    "onboarding:chapter-seed": _editors(
        method="post",
        rh=Redirect("/integration/guide/"),
        communication=Redirect("/integration/guide/"),
        admin_user=Redirect("/integration/guide/"),
    ),
    "onboarding:chapter-edit": _editors(kwargs=lambda ctx: {"pk": GuideChapterFactory().pk}),
    "onboarding:chapter-delete": _editors(
        kwargs=lambda ctx: {"pk": GuideChapterFactory().pk},
        method="post",
        rh=Redirect("/integration/guide/"),
        communication=Redirect("/integration/guide/"),
        admin_user=Redirect("/integration/guide/"),
    ),
    "onboarding:session-list": _hr(),
    "onboarding:session-create": _hr(),
    "onboarding:session-detail": _hr(kwargs=_session_kwargs),
    "onboarding:session-edit": _hr(kwargs=_session_kwargs),
    "onboarding:session-invite": _hr(
        kwargs=_session_kwargs, method="post", rh=Redirect(_session_page), admin_user=Redirect(_session_page)
    ),
    "onboarding:session-sheet": _hr(  # moved: the event's sign-in sheet
        kwargs=_session_kwargs, rh=Redirect(_event_sheet, code=301), admin_user=Redirect(_event_sheet, code=301)
    ),
    "onboarding:invitation-cancel": _hr(
        kwargs=_invitation_kwargs, method="post", rh=Redirect(_session_page), admin_user=Redirect(_session_page)
    ),
}
