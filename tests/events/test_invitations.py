"""Invitations through the mailing engine (with the paper list), the reminder the day before, and
the registration deadline."""

import io
from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from events import services
from events.documents import paper_list_render
from events.models import Event
from intranet.models import DocumentRequest, OutgoingEmail
from mailing.models import Delivery, Mailing
from tests.events.factories import EventFactory, RegistrationFactory, SessionFactory
from tests.factories import AgentFactory, SiteFactory


def _tomorrow_at(hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=1)
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


@pytest.mark.django_db
def test_invite_mails_the_audience_and_puts_those_without_a_mailbox_on_paper(rh):
    site = SiteFactory(name="Lycée Kléber")
    reader = AgentFactory(site=site, last_name="Aveccourriel")  # a name found nowhere else in the PDF
    paper = AgentFactory(site=site, has_mailbox=False, last_name="Sanscourriel")
    outsider = AgentFactory(site=SiteFactory())
    session = SessionFactory(event=EventFactory(title="Réunion retraite", audience={"sites": [site.pk]}), site=site)

    [mailing] = services.event_invite(event=session.event, user=rh)  # no session of its own for a site: one

    assert mailing.kind == "events.invitation"
    assert mailing.status == Mailing.Status.SENDING
    assert "Réunion retraite" in mailing.subject
    assert reverse("events:event-detail", args=[session.event_id]) in mailing.text
    deliveries = {d.agent_id: d.status for d in Delivery.objects.filter(mailing=mailing)}
    assert deliveries == {reader.pk: Delivery.Status.PENDING, paper.pk: Delivery.Status.PAPER}
    assert outsider.pk not in deliveries
    session.event.refresh_from_db()
    assert session.event.invited_at is not None

    filename, content = paper_list_render(event=session.event_id)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert filename.startswith("invitations-papier-")
    assert "Sanscourriel" in text
    assert "Lycée Kléber" in text
    assert reader.last_name not in text


@pytest.mark.django_db
def test_invite_once_and_only_a_published_event_with_a_session_to_come(rh, agent):
    draft = SessionFactory(event=EventFactory(status=Event.Status.DRAFT)).event
    with pytest.raises(ValidationError, match="Publiez l'événement"):
        services.event_invite(event=draft, user=rh)
    past = SessionFactory(
        starts_at=timezone.now() - timedelta(days=2), ends_at=timezone.now() - timedelta(days=2, hours=-2)
    ).event
    with pytest.raises(ValidationError, match="Aucune séance à venir"):
        services.event_invite(event=past, user=rh)
    event = SessionFactory().event
    services.event_invite(event=event, user=rh)
    with pytest.raises(ValidationError, match="déjà parties"):
        services.event_invite(event=event, user=rh)
    assert Mailing.objects.filter(kind="events.invitation").count() == 1


@pytest.mark.django_db
def test_organiser_invites_from_the_event_page_and_prints_the_paper_list(client, rh):
    AgentFactory(has_mailbox=False)
    event = SessionFactory().event
    client.force_login(rh)
    confirm = client.get(reverse("events:event-invite", args=[event.pk])).content.decode()
    assert "1 agent sans messagerie figure sur la liste à imprimer" in confirm
    response = client.post(reverse("events:event-invite", args=[event.pk]), follow=True)
    page = response.content.decode()
    assert "Invitations en cours d&#x27;envoi" in page
    assert "Inviter le public" not in page
    assert "1 agent sans messagerie à prévenir sur papier" in page
    response = client.post(reverse("events:event-paper-list", args=[event.pk]))
    document = DocumentRequest.objects.get(kind="events.paper_list")
    assert response.url == reverse("intranet:document-status", args=[document.pk])
    again = client.post(reverse("events:event-invite", args=[event.pk]), follow=True).content.decode()
    assert "Les invitations sont déjà parties" in again


@pytest.mark.django_db
def test_reminders_leave_the_day_before_to_those_with_a_seat_once(django_capture_on_commit_callbacks):
    tomorrow = SessionFactory(starts_at=_tomorrow_at(10), ends_at=_tomorrow_at(12))
    seated = RegistrationFactory(session=tomorrow).agent
    waiting = RegistrationFactory(session=tomorrow, status="waiting").agent
    later = RegistrationFactory(
        session=SessionFactory(
            starts_at=_tomorrow_at(10) + timedelta(days=2), ends_at=_tomorrow_at(12) + timedelta(days=2)
        )
    ).agent
    with django_capture_on_commit_callbacks(execute=True):
        assert services.session_reminders_send() == 1
    reminders = OutgoingEmail.objects.filter(kind="events.reminder")
    assert [email.to for email in reminders] == [seated.email]
    assert reminders[0].subject.startswith("Rappel, demain")
    assert not OutgoingEmail.objects.filter(to__in=[waiting.email, later.email]).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.session_reminders_send() == 0
    assert OutgoingEmail.objects.filter(kind="events.reminder").count() == 1


@pytest.mark.django_db
def test_registering_after_the_deadline_says_since_when(client, agent):
    closed = timezone.now() - timedelta(hours=1)
    session = SessionFactory(registration_closes_at=closed)
    client.force_login(agent)
    page = client.post(reverse("events:session-register", args=[session.pk]), follow=True).content.decode()
    assert "Les inscriptions sont closes depuis le " + timezone.localtime(closed).strftime("%d/%m/%Y %H:%M") in page
    assert "Inscriptions closes depuis le" in client.get(session.event.get_absolute_url()).content.decode()
    assert not session.registrations.exists()
