"""After the event: materials (a file checked by its bytes, or a link) shared with those registered
only; the figures an action-plan card can follow."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from actions.indicator_sources import indicator_source_get
from events import services
from events.models import Material
from intranet.models import OutgoingEmail
from tests.content.files import pdf_bytes
from tests.events.factories import EventFactory, RegistrationFactory, SessionFactory
from tests.factories import AgentFactory

pytestmark = pytest.mark.django_db


def _held(event=None):
    start = timezone.now() - timedelta(days=1)
    return SessionFactory(event=event or EventFactory(), starts_at=start, ends_at=start + timedelta(hours=2))


def _pdf(name="support.pdf"):
    return SimpleUploadedFile(name, pdf_bytes("Diaporama de la réunion"), content_type="application/pdf")


def test_slides_are_shared_with_those_registered_only(client, rh, django_capture_on_commit_callbacks):
    session = _held()
    registered = RegistrationFactory(session=session).agent
    stranger = AgentFactory()
    with django_capture_on_commit_callbacks(execute=True):
        material = services.material_add(
            event=session.event, user=rh, title="Diaporama", kind=Material.Kind.SLIDES, file=_pdf("Réunion n°1.pdf")
        )
    assert material.file.name.startswith("private/events/materials/")
    assert material.filename == "Réunion n°1.pdf"
    assert OutgoingEmail.objects.get(kind="events.materials").to == registered.email

    client.force_login(registered)
    assert "Diaporama" in client.get(session.event.get_absolute_url()).content.decode()
    response = client.get(reverse("events:material-download", args=[material.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")

    client.force_login(stranger)
    assert "Diaporama" not in client.get(session.event.get_absolute_url()).content.decode()
    assert client.get(reverse("events:material-download", args=[material.pk])).status_code == 404


def test_a_file_is_checked_by_its_bytes_and_a_recording_is_a_link(client, rh):
    session = _held()
    with pytest.raises(ValidationError, match="n'est pas accepté|format"):
        services.material_add(
            event=session.event,
            user=rh,
            title="Page piégée",
            kind=Material.Kind.DOCUMENT,
            file=SimpleUploadedFile("slides.pdf", b"<html><script>alert(1)</script></html>"),
        )
    client.force_login(rh)
    response = client.post(
        reverse("events:material-create", args=[session.event_id]),
        {"title": "Page piégée", "kind": "document", "file": SimpleUploadedFile("slides.pdf", b"<html></html>")},
    )
    assert response.status_code == 400
    assert "Erreur" in response.content.decode()
    assert not Material.objects.exists()
    response = client.post(
        reverse("events:material-create", args=[session.event_id]),
        {"title": "Enregistrement", "kind": "recording", "url": "https://visio.example.fr/replay/42"},
    )
    assert response.status_code == 302
    assert Material.objects.get().get_absolute_url() == "https://visio.example.fr/replay/42"


def test_a_sessions_own_material_is_for_its_registered(client, rh):
    event = EventFactory(single_session=False)
    first, second = _held(event), _held(event)
    first_agent = RegistrationFactory(session=first).agent
    second_agent = RegistrationFactory(session=second).agent
    material = services.material_add(
        event=event, user=rh, title="Replay", kind="recording", url="https://visio.example.fr/r/1", session=first
    )
    client.force_login(first_agent)
    assert "Replay" in client.get(event.get_absolute_url()).content.decode()
    client.force_login(second_agent)
    assert "Replay" not in client.get(event.get_absolute_url()).content.decode()
    client.force_login(rh)
    client.post(reverse("events:material-delete", args=[material.pk]))
    assert not Material.objects.exists()


def test_an_action_plan_indicator_follows_the_participants_and_the_attendance_rate():
    session = _held()
    for index in range(4):
        registration = RegistrationFactory(session=session)
        if index < 3:
            registration.checked_in_at = session.starts_at
            registration.save(update_fields=["checked_in_at"])
    session.checked_in_count = 3
    session.save(update_fields=["checked_in_count"])
    argument = str(session.event_id)
    assert indicator_source_get("events.participants").compute(argument) == Decimal(3)
    assert indicator_source_get("events.attendance_rate").compute(argument) == Decimal(75)
    assert indicator_source_get("events.participation").compute(argument) is not None
    assert (argument, session.event.title) in indicator_source_get("events.participants").choices()
    assert indicator_source_get("events.participants").compute("999999") is None
    assert indicator_source_get("events.participants").compute("nope") is None
