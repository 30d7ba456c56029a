"""The mail outbox: rows first, a worker sends; real SMTP server, real broker, real worker."""

import logging
import re
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from kombu import Connection

from intranet.models import OutgoingEmail
from intranet.services import email_dispatch_pending, email_queue, email_send
from tests.factories import AgentFactory
from tests.harness import celery_broker, free_port, wait_until

CLOSED_BROKER = "redis://127.0.0.1:1/0"
FAIL_FAST = {
    "task_publish_retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.1, "interval_max": 0.1}
}
WORKER_DB = pytest.mark.django_db(transaction=True)


def _queue(to="helene.dupont@test.local", **kwargs):
    values = {
        "subject": "Réunion d'information",
        "text": "Bonjour Hélène,\n\nÀ jeudi.",
        "html": "<p>Bonjour Hélène,</p><p>À jeudi.</p>",
        "kind": "test.information",
    }
    return email_queue(to=to, **{**values, **kwargs})


def _run_published_tasks(app) -> int:
    """Stand in for a worker in this process: run what was published to the memory:// broker."""
    from intranet.celery import app as celery_app

    count = 0
    with Connection(app.conf.broker_url) as connection, connection.SimpleQueue("celery") as queue:
        while queue.qsize():
            message = queue.get(timeout=1)
            args, kwargs, _embed = message.decode()
            celery_app.tasks[message.headers["task"]](*args, **kwargs)
            message.ack()
            count += 1
    return count


# --- email_send against a real SMTP server -------------------------------------------------


@pytest.mark.django_db
def test_email_send_delivers_to_the_smtp_server_and_marks_sent(smtp_server):
    email = _queue()

    assert email_send(email_id=email.pk) is True

    [mail] = smtp_server.messages
    assert mail.rcpt_tos == ["helene.dupont@test.local"]
    assert mail.message["Subject"] == "Réunion d'information"
    assert "À jeudi." in mail.text()
    assert "<p>À jeudi.</p>" in mail.html()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.sent_at is not None
    assert email.attempts == 1


@pytest.mark.django_db
def test_email_send_carries_the_attachments(smtp_server):
    invitation = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    email = email_queue(
        to="helene.dupont@test.local",
        subject="Invitation",
        text="Ci-joint.",
        kind="test.attachment",
        attachments=[("visite.ics", invitation, "text/calendar"), ("accord.pdf", b"%PDF-1.7", "application/pdf")],
    )

    assert email_send(email_id=email.pk) is True

    [mail] = smtp_server.messages
    parts = {part.get_filename(): part for part in mail.message.iter_attachments()}
    assert sorted(parts) == ["accord.pdf", "visite.ics"]
    assert parts["visite.ics"].get_content_type() == "text/calendar"
    assert parts["visite.ics"].get_payload(decode=True) == invitation
    assert parts["accord.pdf"].get_payload(decode=True) == b"%PDF-1.7"
    assert "Ci-joint." in mail.text()


@pytest.mark.django_db
def test_email_send_twice_sends_once(smtp_server):
    email = _queue()
    email_send(email_id=email.pk)

    assert email_send(email_id=email.pk) is False
    assert len(smtp_server.messages) == 1


@pytest.mark.django_db
def test_email_send_to_an_unreachable_server_keeps_it_pending_and_counts_no_attempt(smtp_server, settings):
    settings.EMAIL_PORT = free_port()  # nobody listens there
    settings.SMTP_RETRY_SECONDS = 15
    email = _queue()

    assert email_send(email_id=email.pk) is False

    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.PENDING
    assert email.attempts == 0  # the server's fault, not the mail's: it waits for as long as the outage lasts
    assert "ConnectionRefusedError" in email.last_error
    assert timedelta(seconds=10) < email.next_attempt_at - timezone.now() <= timedelta(seconds=15)
    assert smtp_server.messages == []


@pytest.mark.django_db
def test_a_4xx_answer_counts_an_attempt_waits_and_the_last_one_fails(smtp_server):
    smtp_server.handler.rcpt_answers["helene.dupont@test.local"] = "451 4.2.2 Mailbox full"
    email = _queue()

    assert email_send(email_id=email.pk) is False
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.PENDING, 1)
    assert timedelta(seconds=50) < email.next_attempt_at - timezone.now() <= timedelta(minutes=1)

    OutgoingEmail.objects.filter(pk=email.pk).update(attempts=OutgoingEmail.MAX_ATTEMPTS - 1)
    email_send(email_id=email.pk)

    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED
    assert email.attempts == OutgoingEmail.MAX_ATTEMPTS
    assert "451" in email.last_error


@pytest.mark.django_db
def test_a_5xx_answer_fails_at_once(smtp_server):
    smtp_server.handler.rcpt_answers["helene.dupont@test.local"] = "550 5.1.1 Unknown mailbox"
    email = _queue()

    email_send(email_id=email.pk)

    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.FAILED, 1)


@pytest.mark.django_db
def test_a_failed_attempt_is_not_dispatched_again_before_its_backoff(smtp_server):
    smtp_server.handler.rcpt_answers["helene.dupont@test.local"] = "451 4.2.2 Mailbox full"
    email = _queue()
    email_send(email_id=email.pk)

    assert email_dispatch_pending(older_than=timedelta(0)) == 0
    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=email.created_at)
    assert email_dispatch_pending(older_than=timedelta(0)) == 1


@pytest.mark.django_db
def test_every_attempt_carries_the_message_id_chosen_when_the_mail_was_queued(smtp_server):
    smtp_server.handler.rcpt_answers["helene.dupont@test.local"] = "451 4.2.2 Mailbox full"
    email = _queue()
    assert re.fullmatch(r"<outbox-[0-9a-f]{32}@localhost>", email.message_id)
    email_send(email_id=email.pk)  # refused once
    del smtp_server.handler.rcpt_answers["helene.dupont@test.local"]
    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=None)

    assert email_send(email_id=email.pk) is True

    [mail] = smtp_server.messages
    assert mail.message["Message-ID"] == email.message_id


@pytest.mark.django_db
def test_a_demo_address_is_never_handed_to_a_real_smtp_server(smtp_server, settings):
    settings.EMAIL_SUPPRESSED_DOMAINS = ["demo.local"]
    email = _queue(to="agent@demo.local")

    assert email_send(email_id=email.pk) is False

    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED
    assert "suppressed" in email.last_error
    assert smtp_server.messages == []
    settings.EMAIL_SUPPRESSED_DOMAINS = []  # explicitly allowed
    other = _queue(to="agent@demo.local")
    assert email_send(email_id=other.pk) is True


@pytest.mark.django_db
def test_email_queue_refuses_an_invalid_address():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _queue(to="pas-une-adresse")
    assert not OutgoingEmail.objects.exists()


# --- the broker is down --------------------------------------------------------------------


@pytest.mark.django_db
def test_mail_queued_while_the_broker_is_down_is_kept_then_sent_when_it_is_back(
    smtp_server,
    django_capture_on_commit_callbacks,
    caplog,
):
    with (
        caplog.at_level(logging.WARNING, logger="intranet.workqueue"),
        celery_broker(CLOSED_BROKER, **FAIL_FAST),
        django_capture_on_commit_callbacks(execute=True),
    ):
        email = _queue()

    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.PENDING
    assert "Broker unreachable" in caplog.text
    assert smtp_server.messages == []

    with celery_broker("memory://") as app:
        with django_capture_on_commit_callbacks(execute=True):
            assert email_dispatch_pending(older_than=timedelta(0)) == 1
        assert _run_published_tasks(app) == 1

    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert [mail.rcpt_tos for mail in smtp_server.messages] == [["helene.dupont@test.local"]]


@pytest.mark.django_db
def test_dispatch_pending_leaves_recent_mails_to_their_own_task():
    _queue()
    assert email_dispatch_pending() == 0  # queued less than a minute ago


# --- a real worker (Redis, PostgreSQL, a separate process) -----------------------------------


@WORKER_DB
@pytest.mark.services
def test_worker_sends_a_queued_mail(smtp_server, celery_worker_process):
    email = _queue()

    [mail] = smtp_server.wait_for(1)

    assert mail.rcpt_tos == [email.to]
    wait_until(
        lambda: OutgoingEmail.objects.get(pk=email.pk).status == OutgoingEmail.Status.SENT,
        timeout=10,
        message="the row marked sent",
    )


@WORKER_DB
@pytest.mark.services
def test_worker_sends_what_was_queued_while_redis_was_down(smtp_server, celery_worker_process):
    with celery_broker(CLOSED_BROKER, **FAIL_FAST):
        email = _queue()
    assert OutgoingEmail.objects.get(pk=email.pk).status == OutgoingEmail.Status.PENDING

    assert email_dispatch_pending(older_than=timedelta(0)) == 1  # what beat does once Redis is back

    [mail] = smtp_server.wait_for(1)
    assert mail.rcpt_tos == [email.to]


@WORKER_DB
@pytest.mark.services
def test_password_reset_mail_reaches_the_smtp_server_in_french(client, smtp_server, celery_worker_process):
    agent = AgentFactory(email="helene.dupont@test.local", first_name="Hélène")

    response = client.post(reverse("account_reset_password"), {"email": agent.email})

    assert response.status_code == 302
    [mail] = smtp_server.wait_for(1)
    assert mail.rcpt_tos == [agent.email]
    assert "réinitialisation de mot de passe" in mail.message["Subject"]
    assert "Vous recevez cet e-mail" in mail.text()
    assert OutgoingEmail.objects.get().kind == "account.password_reset_key"
    [link] = re.findall(r"https?://testserver(/\S+/)", mail.text())
    form_page = client.get(link, follow=True)  # allauth moves the key into the session
    assert "password1" in form_page.context["form"].fields
    new_password = "Nouveau-mot-de-passe-2026"
    client.post(form_page.redirect_chain[-1][0], {"password1": new_password, "password2": new_password})
    agent.refresh_from_db()
    assert agent.check_password(new_password)


@WORKER_DB
@pytest.mark.services
def test_a_worker_killed_mid_send_loses_nothing_and_sends_nothing_twice(smtp_server, celery_worker_process):
    celery_worker_process.kill()  # the mails pile up in Redis first
    recipients = [f"agent{number:02d}@test.local" for number in range(30)]
    for address in recipients:
        _queue(to=address)
    smtp_server.handler.hold_after(10)

    celery_worker_process.restart()
    assert smtp_server.handler.holding.wait(timeout=60), "the worker never reached the 11th mail"
    celery_worker_process.kill()  # mid-conversation: the 11th mail has been sent, not yet accepted
    smtp_server.handler.release()

    assert len(smtp_server.messages) == 10
    assert OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENT).count() == 10
    # PostgreSQL rolls back the dead worker's transaction, which frees its row.
    wait_until(lambda: _pending_unlocked() == 20, timeout=10, message="the killed worker's row lock released")
    # The dead worker's Celery message stays unacked in Redis until the visibility timeout:
    # beat's recovery publishes a sender again, which takes every pending row.
    assert email_dispatch_pending(older_than=timedelta(0)) == 1  # one sender for every pending mail
    celery_worker_process.restart()

    smtp_server.wait_for(30, timeout=60)
    wait_until(
        lambda: OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENT).count() == 30,
        timeout=20,
        message="every row marked sent",
    )
    assert smtp_server.count_by_recipient() == dict.fromkeys(recipients, 1)


def _pending_unlocked() -> int:
    with transaction.atomic():
        return len(OutgoingEmail.objects.pending().select_for_update(skip_locked=True).values_list("pk", flat=True))
