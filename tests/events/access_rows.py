"""The events app's rows of the role × URL access matrix (merged into MATRIX in
tests/test_access_matrix.py; same helpers and outcomes, see that module's docstring).

The agenda is for everyone signed in; partners see only the sessions addressed to them (an event
for agents is a 404 to them). Running an event: HR, communication and administrators (every event),
its organisers; other agents get a 404 for an event they do not run, partners a 403."""

from django.core.files.base import ContentFile
from django.urls import reverse

from events import services
from events.models import Event, Registration
from intranet.models import DocumentRequest
from tests.access import FORBIDDEN, LOGIN, NOT_FOUND, OK, Redirect, login_required, row
from tests.events.factories import EventFactory, RegistrationFactory, SessionFactory


def _runners(**kw):
    """HR, communication and administrators; other agents 404, partners 403, anonymous to the login."""
    return row(
        **{
            "anonymous": LOGIN,
            "default": NOT_FOUND,
            "partenaire": FORBIDDEN,
            "rh": OK,
            "communication": OK,
            "admin_user": OK,
            **kw,
        }
    )


def _managers(**kw):
    return row(**{"anonymous": LOGIN, "default": FORBIDDEN, "rh": OK, "communication": OK, "admin_user": OK, **kw})


def _event(ctx):
    return {"pk": SessionFactory().event_id}


def _draft(ctx):
    return {"pk": SessionFactory(event=EventFactory(status=Event.Status.DRAFT)).event_id}


def _invited_event(ctx):
    event = SessionFactory().event
    services.event_invite(event=event, user=ctx.users["rh"])
    return {"pk": event.pk}


def _material(ctx):
    from events.models import Material

    event = SessionFactory().event
    return {"pk": Material.objects.create(event=event, title="Replay", kind="recording", url="https://v.test/r").pk}


def _agents_material(ctx):
    from events.models import Material

    registration = RegistrationFactory(agent=ctx.users["agent"])
    event = registration.session.event
    material = Material(event=event, title="Diaporama", kind="slides", file_kind="pdf", filename="d.pdf")
    material.file.save("d.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    material.save()
    return {"pk": material.pk}


def _material_event_page(ctx):
    return Event.objects.get().get_absolute_url()


def _session(ctx):
    return {"pk": SessionFactory().pk}


def _session_with_my_registration(ctx):
    session = SessionFactory()
    if ctx.user is not None and not ctx.user.is_external:
        RegistrationFactory(session=session, agent=ctx.user)
    return {"pk": session.pk}


def _registration(ctx):
    return {"pk": RegistrationFactory().pk}


def _agents_registration(ctx):
    return {"pk": RegistrationFactory(agent=ctx.users["agent"]).pk}


def _qr(ctx):
    registration = RegistrationFactory()
    return {"pk": registration.pk, "token": registration.checkin_token()}


def _feed(ctx):
    return {"token": services.calendar_feed_get_or_create(agent=ctx.users["agent"]).token()}


def _event_page(ctx):
    from events.models import Session

    return Session.objects.get().event.get_absolute_url()


def _event_page_of_draft(ctx):
    return Event.objects.get().get_absolute_url()


def _registrations_page(ctx):
    return reverse("events:session-registrations", args=[Registration.objects.get().session_id])


def _checkin_page(ctx):
    return reverse("events:session-checkin", args=[Registration.objects.get().session_id])


def _document(ctx):
    return reverse("intranet:document-status", args=[DocumentRequest.objects.get().pk])


_TO_EVENT = Redirect(_event_page)

ROWS: dict = {
    "events:agenda": login_required(data={"kind": "reunion", "audience": "pour-moi", "mine": "on"}),
    "events:agenda-month": login_required(data={"mois": "2026-03"}),
    "events:event-detail": login_required(kwargs=_event, partenaire=NOT_FOUND),
    "events:session-register": row(
        kwargs=_session, method="post", anonymous=LOGIN, default=_TO_EVENT, partenaire=NOT_FOUND
    ),
    "events:session-unregister": row(
        kwargs=_session_with_my_registration, method="post", anonymous=LOGIN, default=_TO_EVENT, partenaire=NOT_FOUND
    ),
    "events:my-registrations": login_required(),
    "events:convocation": row(kwargs=_agents_registration, anonymous=LOGIN, default=NOT_FOUND, agent=OK),
    "events:session-ics": login_required(kwargs=_session, partenaire=NOT_FOUND),
    "events:feed-settings": login_required(),
    "events:feed-reset": row(method="post", anonymous=LOGIN, default=Redirect("/evenements/mon-agenda/")),
    # The feed's secret address is its key: calendars fetch it without a session.
    "events:feed": row(kwargs=_feed, default=OK),
    "intranet:picker-sites-agenda": login_required(data={"q": "si"}),
    # Running events
    "events:manage": _managers(),
    "events:event-create": _managers(),
    "events:event-update": _runners(kwargs=_event),
    "events:event-publish": _runners(
        kwargs=_draft,
        method="post",
        rh=Redirect(_event_page_of_draft),
        communication=Redirect(_event_page_of_draft),
        admin_user=Redirect(_event_page_of_draft),
    ),
    "events:event-cancel": _runners(kwargs=_event),
    "events:event-invite": _runners(kwargs=_event),
    "events:event-survey": _runners(
        kwargs=_event,
        method="post",
        rh=_TO_EVENT,
        communication=_TO_EVENT,
        admin_user=_TO_EVENT,
    ),
    "events:event-paper-list": _runners(
        kwargs=_invited_event,
        method="post",
        rh=Redirect(_document),
        communication=Redirect(_document),
        admin_user=Redirect(_document),
    ),
    "events:session-create": _runners(kwargs=_event),
    "events:material-create": _runners(kwargs=_event),
    "events:material-delete": _runners(
        kwargs=_material,
        method="post",
        rh=Redirect(_material_event_page),
        communication=Redirect(_material_event_page),
        admin_user=Redirect(_material_event_page),
    ),
    # The file: those registered (the agent) and those who run the event.
    "events:material-download": row(
        kwargs=_agents_material,
        anonymous=LOGIN,
        default=NOT_FOUND,
        agent=OK,
        rh=OK,
        communication=OK,
        admin_user=OK,
    ),
    "events:session-series": _runners(kwargs=_event),
    "events:session-update": _runners(kwargs=_session),
    "events:session-cancel": _runners(kwargs=_session),
    "events:session-registrations": _runners(kwargs=_session),
    "events:registration-cancel": _runners(
        kwargs=_registration,
        method="post",
        rh=Redirect(_registrations_page),
        communication=Redirect(_registrations_page),
        admin_user=Redirect(_registrations_page),
    ),
    "events:session-checkin": _runners(kwargs=_session, data={"q": "du"}),
    "events:checkin-toggle": _runners(
        kwargs=_registration,
        method="post",
        data={"present": "1"},
        rh=Redirect(_checkin_page),
        communication=Redirect(_checkin_page),
        admin_user=Redirect(_checkin_page),
    ),
    "events:checkin-qr": _runners(kwargs=_qr),
    "events:session-sheet": _runners(
        kwargs=_session,
        method="post",
        rh=Redirect(_document),
        communication=Redirect(_document),
        admin_user=Redirect(_document),
    ),
}
