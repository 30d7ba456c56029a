"""The control page: progress, controls, the per-recipient log; query counts at scale."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from intranet.models import AuditLogEntry
from mailing.models import Delivery, Mailing
from mailing.services import mailing_send_batch, mailing_start
from tests.factories import AgentFactory
from tests.mailing.factories import make_agents, make_mailing
from tests.querycount import assert_same_queries

pytestmark = pytest.mark.django_db


def _started(communication, capture, agents):
    mailing = make_mailing(agents=agents, created_by=communication)
    with capture(execute=False):
        mailing_start(mailing=mailing, user=communication)
    return Mailing.objects.get(pk=mailing.pk)


def test_control_page_shows_progress_and_the_log(
    client, communication, smtp_server, django_capture_on_commit_callbacks
):
    agents = make_agents(4)
    paper = AgentFactory(first_name="Roger", last_name="Cantonnier", has_mailbox=False)
    mailing = _started(communication, django_capture_on_commit_callbacks, [*agents, paper])
    with django_capture_on_commit_callbacks(execute=False):
        mailing_send_batch(mailing_id=mailing.pk, size=3)
    client.force_login(communication)

    response = client.get(reverse("mailing:mailing-detail", args=[mailing.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-live="polite"' in html
    assert f'hx-get="{reverse("mailing:mailing-progress", args=[mailing.pk])}"' in html  # still sending: polls
    assert '<progress id="mailing-progress-bar"' in html
    assert 'value="75"' in html
    assert 'data-count="sent">3<' in html
    assert 'data-count="remaining">1<' in html
    assert 'data-count="paper">1<' in html
    assert "Roger Cantonnier" in html
    assert "Mettre en pause" in html
    assert "Envoyer maintenant" not in html


def test_log_filters_by_state(client, communication, django_capture_on_commit_callbacks):
    paper = AgentFactory(first_name="Roger", last_name="Cantonnier", has_mailbox=False)
    mailing = _started(
        communication,
        django_capture_on_commit_callbacks,
        [AgentFactory(first_name="Zoé", last_name="Messagerie"), paper],
    )
    client.force_login(communication)

    response = client.get(reverse("mailing:mailing-detail", args=[mailing.pk]), {"etat": "paper"})

    assert [delivery.name for delivery in response.context["deliveries"]] == ["Roger Cantonnier"]
    assert "Zoé Messagerie" not in response.content.decode()


def test_progress_fragment_stops_the_polling_once_done(
    client, communication, smtp_server, django_capture_on_commit_callbacks
):
    mailing = _started(communication, django_capture_on_commit_callbacks, make_agents(2))
    client.force_login(communication)
    url = reverse("mailing:mailing-progress", args=[mailing.pk])

    assert client.get(url, headers={"HX-Request": "true"}).status_code == 200
    with django_capture_on_commit_callbacks(execute=False):
        mailing_send_batch(mailing_id=mailing.pk)
    response = client.get(url, headers={"HX-Request": "true"})

    assert response.status_code == 286  # htmx stops polling
    assert 'data-count="sent">2<' in response.content.decode()


def test_start_pause_resume_cancel_through_the_page(client, communication, django_capture_on_commit_callbacks):
    mailing = make_mailing(agents=make_agents(3), created_by=communication)
    client.force_login(communication)

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("mailing:mailing-start", args=[mailing.pk]), follow=True)
    assert "L&#x27;envoi a commencé" in response.content.decode()
    assert Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.SENDING
    client.post(reverse("mailing:mailing-pause", args=[mailing.pk]))
    assert Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.PAUSED
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("mailing:mailing-resume", args=[mailing.pk]))
    assert Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.SENDING
    client.post(reverse("mailing:mailing-cancel", args=[mailing.pk]))
    assert Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.CANCELLED
    assert Delivery.objects.filter(mailing=mailing, status=Delivery.Status.CANCELLED).count() == 3
    actions = set(AuditLogEntry.objects.filter(actor=communication).values_list("action", flat=True))
    assert {"mailing.start", "mailing.pause", "mailing.resume", "mailing.cancel"} <= actions

    response = client.post(reverse("mailing:mailing-pause", args=[mailing.pk]), follow=True)
    assert "Seule une diffusion en cours d&#x27;envoi peut être mise en pause." in response.content.decode()


def test_schedule_through_the_page_and_a_past_date_is_refused_in_french(client, communication):
    mailing = make_mailing(created_by=communication)
    client.force_login(communication)
    url = reverse("mailing:mailing-schedule", args=[mailing.pk])

    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"at": past})
    assert response.status_code == 400
    assert "La date d&#x27;envoi doit être dans le futur." in response.content.decode()
    response = client.post(url, {"at": "pas une date"})
    assert response.status_code == 400
    assert "Saisissez une date et une heure valides." in response.content.decode()
    assert Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.DRAFT

    future = timezone.localtime() + timedelta(days=2)
    response = client.post(url, {"at": future.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SCHEDULED
    assert mailing.scheduled_at.replace(second=0, microsecond=0) == future.replace(second=0, microsecond=0)


def test_other_roles_are_refused(client, agent, copil):
    mailing = make_mailing()
    for user in (agent, copil):
        client.force_login(user)
        assert client.get(reverse("mailing:mailing-detail", args=[mailing.pk])).status_code == 403
        assert client.post(reverse("mailing:mailing-start", args=[mailing.pk])).status_code == 403
    assert not mailing.deliveries.exists()


def _grow_deliveries(mailing, count):
    start = Delivery.objects.count()
    agents = make_agents_bulk(count)
    Delivery.objects.bulk_create(
        Delivery(
            mailing=mailing,
            agent=agent,
            email=agent.email,
            name=f"Agent {start + number}",
            status=Delivery.Status.SENT if number % 3 else Delivery.Status.FAILED,
            last_error="",
        )
        for number, agent in enumerate(agents)
    )


def make_agents_bulk(count):
    from intranet.models import Agent

    offset = Agent.objects.count()
    return Agent.objects.bulk_create(
        Agent(
            email=f"volume{offset + number}@test.local",
            first_name="Volume",
            last_name=str(number),
            matricule=f"V{offset + number:07d}",
        )
        for number in range(count)
    )


@pytest.mark.parametrize("status", ["", "failed"])
def test_control_page_query_count_does_not_grow_with_the_recipients(
    client, communication, django_capture_on_commit_callbacks, status
):
    mailing = _started(communication, django_capture_on_commit_callbacks, make_agents(10))
    _grow_deliveries(mailing, 30)  # some rows in each state before growing
    client.force_login(communication)

    assert_same_queries(
        client,
        reverse("mailing:mailing-detail", args=[mailing.pk]),
        lambda: _grow_deliveries(mailing, 1000),
        data={"etat": status, "page": 2} if status else None,
    )


def test_list_query_count_does_not_grow_with_the_mailings(client, communication):
    make_mailing(created_by=communication)
    client.force_login(communication)

    def grow():
        Mailing.objects.bulk_create(
            Mailing(subject=f"Lettre {number}", text="x", kind="newsletter.issue", created_by=communication)
            for number in range(100)
        )

    assert_same_queries(client, reverse("mailing:mailing-list"), grow)


# --- what holds a send up, said on the progress page (issue 20) ---------------------------------


def _fragment(client, mailing) -> str:
    return client.get(reverse("mailing:mailing-progress", args=[mailing.pk])).content.decode()


def test_the_progress_says_the_smtp_server_cannot_be_reached_and_when_it_is_tried_again(
    client, communication, settings, django_capture_on_commit_callbacks
):
    from tests.harness import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens there
    settings.SMTP_RETRY_SECONDS = 20
    mailing = _started(communication, django_capture_on_commit_callbacks, make_agents(3))
    mailing_send_batch(mailing_id=mailing.pk)
    client.force_login(communication)

    html = _fragment(client, mailing)

    assert 'data-activity="smtp"' in html
    assert "Serveur de messagerie injoignable, nouvel essai dans 20 s." in html or "dans 19 s." in html
    assert "ConnectionRefusedError" in html
    assert 'data-count="failed">0<' in html  # nobody counted as failed during the outage


def test_the_progress_says_when_every_row_left_waits_for_a_retry(
    client, communication, django_capture_on_commit_callbacks
):
    mailing = _started(communication, django_capture_on_commit_callbacks, make_agents(2))
    later = timezone.now() + timedelta(minutes=4)
    mailing.deliveries.update(next_attempt_at=later, attempts=1)
    client.force_login(communication)

    html = _fragment(client, mailing)

    assert 'data-activity="waiting"' in html
    assert "2 envois refusés pour l'instant" in html
    assert timezone.localtime(later).strftime("%H:%M") in html


def test_the_progress_says_when_no_worker_is_on_the_send(client, communication, django_capture_on_commit_callbacks):
    mailing = _started(communication, django_capture_on_commit_callbacks, make_agents(2))
    client.force_login(communication)
    assert "data-activity" not in _fragment(client, mailing)  # just published: its task is on its way

    Mailing.objects.filter(pk=mailing.pk).update(dispatched_at=timezone.now() - timedelta(minutes=1))

    assert 'data-activity="no_worker"' in _fragment(client, mailing)
