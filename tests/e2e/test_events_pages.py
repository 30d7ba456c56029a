"""The events pages an organiser, an agent and a partner open, in the browser, at a desktop's
1366×768 and a phone's 375 px: zero axe violations, no console error or CSP refusal. Screenshots go
to $EVENTS_SHOTS when set (to look at them)."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services
from tests.e2e.conftest import assert_no_axe_violations, assert_no_console_errors, console_errors, login_as
from tests.events.factories import EventFactory, RegistrationFactory, SessionFactory
from tests.factories import AgentFactory, SiteFactory

pytestmark = pytest.mark.browser

SIZES = ((1366, 768), (375, 740))


def look(page, axe, live_server, path: str, name: str) -> None:
    shots = os.environ.get("EVENTS_SHOTS")
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(live_server.url + path)
        assert_no_axe_violations(page, axe)
        assert_no_console_errors(page)
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{shots}/{name}-{width}.png", full_page=True)


def test_organiser_pages_pass_axe(page, axe, live_server, communication):
    site = SiteFactory(name="Lycée Fabert")
    AgentFactory(last_name="Papier", site=site, has_mailbox=False)
    event = EventFactory(title="Réunion d'information retraite", summary="Tout sur la réforme.")
    soon = SessionFactory(event=event, site=site, registration_closes_at=timezone.now() + timedelta(days=2))
    RegistrationFactory(session=soon)
    services.event_invite(event=event, user=communication)
    start = timezone.now() - timedelta(days=3)
    held = SessionFactory(
        event=event, site=site, label="Réunion n° 1", starts_at=start, ends_at=start + timedelta(hours=2)
    )
    for index in range(4):
        registration = RegistrationFactory(session=held, agent=AgentFactory(last_name=f"Absent{index}"))
        if index < 3:
            services.registration_check_in(registration=registration, user=communication)

    from tests.surveys.factories import SurveyFactory

    survey = SurveyFactory(title="Votre avis sur la réunion", authors=[communication])
    services.event_survey_attach(event=event, survey=survey, user=communication)
    login_as(page, live_server, communication)
    look(page, axe, live_server, event.get_absolute_url(), "event-organiser")
    look(page, axe, live_server, reverse("events:event-invite", args=[event.pk]), "event-invite")
    path = reverse("events:session-registrations", args=[held.pk]) + "?etat=absent"
    look(page, axe, live_server, path, "registrations-absent")


def test_agent_pages_pass_axe(page, axe, live_server, agent):
    closed = SessionFactory(
        event=EventFactory(title="Séminaire clos"), registration_closes_at=timezone.now() - timedelta(hours=2)
    )
    login_as(page, live_server, agent)
    look(page, axe, live_server, closed.event.get_absolute_url(), "event-agent-closed")


def test_home_and_todo_pass_axe(page, axe, live_server, agent, rh, partenaire):
    mine = SessionFactory(
        event=EventFactory(title="Webinaire des encadrants"), room="", video_url="https://visio.test/w"
    )
    RegistrationFactory(session=mine, agent=agent)
    invited = EventFactory(title="Prise en main de l'intranet", invited_at=timezone.now())
    SessionFactory(event=invited, registration_closes_at=timezone.now() + timedelta(days=2))
    SessionFactory(event=EventFactory(title="Séminaire des proviseurs", audience={"partners": True}))
    SessionFactory(event=EventFactory(title="Réunion du jour", organisers=[rh]), starts_at=timezone.now())

    login_as(page, live_server, agent)
    look(page, axe, live_server, reverse("intranet:home"), "home-agent")
    look(page, axe, live_server, reverse("intranet:todo"), "todo-agent")
    page.context.clear_cookies()
    login_as(page, live_server, rh)
    look(page, axe, live_server, reverse("intranet:todo"), "todo-rh")
    page.context.clear_cookies()
    login_as(page, live_server, partenaire)
    look(page, axe, live_server, reverse("intranet:home"), "home-partner")


def test_material_pages_pass_axe(page, axe, live_server, rh, agent):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.content.files import pdf_bytes

    start = timezone.now() - timedelta(days=1)
    session = SessionFactory(
        event=EventFactory(title="Webinaire des encadrants", organisers=[rh]),
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    RegistrationFactory(session=session, agent=agent)
    pdf = SimpleUploadedFile("diaporama.pdf", pdf_bytes("Diaporama"), content_type="application/pdf")
    services.material_add(event=session.event, user=rh, title="Diaporama", kind="slides", file=pdf)
    services.material_add(
        event=session.event, user=rh, title="Enregistrement", kind="recording", url="https://visio.test/replay"
    )

    login_as(page, live_server, rh)
    look(page, axe, live_server, reverse("events:material-create", args=[session.event_id]), "material-form")
    page.get_by_label("Titre").fill("Page piégée")
    page.set_input_files(
        "input[type=file]", files=[{"name": "x.pdf", "mimeType": "application/pdf", "buffer": b"<html>"}]
    )
    page.get_by_role("button", name="Partager").click()
    page.wait_for_load_state()
    assert page.title().startswith("Erreur")
    console_errors(page)  # the form's 400, expected
    assert_no_axe_violations(page, axe)
    if os.environ.get("EVENTS_SHOTS"):
        page.screenshot(path=f"{os.environ['EVENTS_SHOTS']}/material-form-error-375.png", full_page=True)
    page.context.clear_cookies()
    login_as(page, live_server, agent)
    look(page, axe, live_server, session.event.get_absolute_url(), "event-agent-materials")
