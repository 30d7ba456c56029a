"""The mailing engine against the real database and a real SMTP server on loopback."""

import smtplib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from intranet.audiences import AudienceSpec
from intranet.models import AuditLogEntry
from mailing.models import Delivery, Mailing
from mailing.selectors import mailing_for_source, mailing_progress, mailing_reached, mailings_progress
from mailing.services import (
    mailing_cancel,
    mailing_create,
    mailing_dispatch_pending,
    mailing_pause,
    mailing_resume,
    mailing_retry_failed,
    mailing_schedule,
    mailing_send_batch,
    mailing_start,
)
from tests.factories import AgentFactory, SiteFactory
from tests.harness import free_port
from tests.mailing.factories import make_agents, make_mailing

pytestmark = pytest.mark.django_db


def _start(mailing, user, capture):
    with capture(execute=False):
        return mailing_start(mailing=mailing, user=user)


def _send_all(mailing):
    while mailing_send_batch(mailing_id=mailing.pk, size=50)["more"]:
        pass


# --- create -------------------------------------------------------------------------------


def test_mailing_create_refuses_an_empty_audience_or_subject(communication):
    with pytest.raises(ValidationError) as caught:
        mailing_create(subject=" ", html="", text="", audience=AudienceSpec(), created_by=communication, kind="x")
    assert set(caught.value.message_dict) == {"subject", "text", "audience"}
    assert not Mailing.objects.exists()


def test_mailing_create_links_its_source(communication):
    source = SiteFactory()
    mailing = make_mailing(created_by=communication, source=source)

    assert mailing.status == Mailing.Status.DRAFT
    assert mailing_for_source(source) == mailing
    assert mailing_for_source(SiteFactory()) is None
    assert not mailing.deliveries.exists()  # nothing frozen before the start


# --- freezing the audience -------------------------------------------------------------------


def test_start_freezes_the_audience_and_later_changes_do_not_alter_it(
    communication, django_capture_on_commit_callbacks
):
    site, other_site = SiteFactory(name="Lycée Fabert"), SiteFactory(name="Siège")
    present = AgentFactory(site=site, email="present@test.local")
    paper = AgentFactory(site=site, email="route@test.local", has_mailbox=False)
    AgentFactory(site=other_site)
    mailing = make_mailing(audience=AudienceSpec(sites=(site.pk,)), created_by=communication)

    _start(mailing, communication, django_capture_on_commit_callbacks)

    rows = {row.agent_id: row for row in mailing.deliveries.all()}
    assert set(rows) == {present.pk, paper.pk}
    assert rows[present.pk].status == Delivery.Status.PENDING
    assert rows[present.pk].email == "present@test.local"
    assert rows[paper.pk].status == Delivery.Status.PAPER
    # The org chart changes after the start: who received what does not.
    AgentFactory(site=site)
    present.site, present.email = other_site, "nouvelle@test.local"
    present.save()
    assert set(mailing.deliveries.values_list("agent_id", flat=True)) == {present.pk, paper.pk}
    assert mailing.deliveries.get(agent=present).email == "present@test.local"
    assert mailing_reached(mailing=mailing, agent=paper)
    assert not mailing_reached(mailing=mailing, agent=communication)
    assert mailing_progress(mailing) | {} == {
        "total": 2,
        "sent": 0,
        "failed": 0,
        "remaining": 1,
        "paper": 1,
        "cancelled": 0,
        "by_email": 1,
        "percent": 0,
    }


def test_progress_sums_over_several_mailings(communication, django_capture_on_commit_callbacks):
    agents = make_agents(5)
    one = make_mailing(agents=agents[:2], created_by=communication)
    other = make_mailing(agents=[*agents[2:], AgentFactory(has_mailbox=False)], created_by=communication)
    for mailing in (one, other):
        _start(mailing, communication, django_capture_on_commit_callbacks)
    _send_all(one)

    progress = mailings_progress([one.pk, other.pk])
    assert (progress["total"], progress["sent"], progress["remaining"], progress["paper"]) == (6, 2, 3, 1)
    assert progress["by_email"] == 5
    assert progress["percent"] == 40


def test_start_twice_is_refused_and_freezes_once(communication, django_capture_on_commit_callbacks):
    mailing = make_mailing(agents=make_agents(3), created_by=communication)
    _start(mailing, communication, django_capture_on_commit_callbacks)

    with pytest.raises(ValidationError):
        _start(mailing, communication, django_capture_on_commit_callbacks)
    assert mailing.deliveries.count() == 3
    assert AuditLogEntry.objects.filter(action="mailing.start", target_id=str(mailing.pk)).count() == 1


# --- sending -----------------------------------------------------------------------------------


def test_send_delivers_multipart_with_a_deterministic_message_id(
    smtp_server, communication, django_capture_on_commit_callbacks
):
    agents = make_agents(3)
    paper = AgentFactory(has_mailbox=False)
    mailing = make_mailing(agents=[*agents, paper], created_by=communication)
    _start(mailing, communication, django_capture_on_commit_callbacks)

    counts = mailing_send_batch(mailing_id=mailing.pk)

    assert counts["sent"] == 3
    assert sorted(mail.rcpt_tos[0] for mail in smtp_server.messages) == sorted(a.email for a in agents)
    mail = smtp_server.messages_to(agents[0].email)[0]
    delivery = mailing.deliveries.get(agent=agents[0])
    assert mail.message["Message-ID"] == f"<mailing-{mailing.pk}-delivery-{delivery.pk}@localhost>"
    assert mail.message["Subject"] == "Bienvenue n° 12"
    assert "<h1>Bienvenue</h1>" in mail.html()
    assert "Le mot de la direction." in mail.text()
    assert mail.message["List-Archive"] == "<https://intranet.test/lettre/12/>"
    assert mail.message["List-Id"] == "<newsletter-issue.localhost>"
    assert paper.email not in smtp_server.count_by_recipient()  # paper: listed, never e-mailed
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.DONE
    assert mailing.finished_at is not None
    assert mailing_progress(mailing)["sent"] == 3
    assert mailing.deliveries.get(agent=paper).status == Delivery.Status.PAPER


def test_a_batch_uses_one_smtp_connection(smtp_server, communication, django_capture_on_commit_callbacks, monkeypatch):
    opened = []
    original = smtplib.SMTP.connect

    def connect(self, *args, **kwargs):
        opened.append(args)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "connect", connect)
    mailing = make_mailing(agents=make_agents(20), created_by=communication)
    _start(mailing, communication, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=False):
        assert mailing_send_batch(mailing_id=mailing.pk, size=20)["sent"] == 20

    assert len(opened) == 1
    assert len(smtp_server.messages) == 20


def test_batches_continue_until_done_and_a_second_run_sends_nothing(
    smtp_server, communication, django_capture_on_commit_callbacks
):
    mailing = make_mailing(agents=make_agents(25), created_by=communication)
    _start(mailing, communication, django_capture_on_commit_callbacks)

    first = mailing_send_batch(mailing_id=mailing.pk, size=10)
    assert first == {"sent": 10, "failed": 0, "retry": 0, "more": True}
    _send_all(mailing)

    assert mailing_send_batch(mailing_id=mailing.pk)["sent"] == 0
    assert set(smtp_server.count_by_recipient().values()) == {1}
    assert len(smtp_server.messages) == 25
    assert Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.DONE


def test_rate_limit_paces_the_sending(smtp_server, settings, communication, django_capture_on_commit_callbacks):
    import time

    settings.MAILING_RATE_LIMIT, settings.MAILING_SENDERS = 20, 1
    mailing = make_mailing(agents=make_agents(11), created_by=communication)
    _start(mailing, communication, django_capture_on_commit_callbacks)

    began = time.monotonic()
    mailing_send_batch(mailing_id=mailing.pk)

    assert time.monotonic() - began >= 0.5  # 11 messages at 20 per second: 10 intervals of 50 ms
    assert len(smtp_server.messages) == 11


class _Refusing:
    """A handler answering 550 to one address and 451 to another, accepting the rest."""

    def __init__(self, handler, *, permanent: str, transient: str):
        self.handler, self.permanent, self.transient = handler, permanent, transient

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address == self.permanent:
            return "550 5.1.1 Unknown mailbox"
        if address == self.transient:
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        return await self.handler.handle_DATA(server, session, envelope)


@pytest.fixture
def refusing_smtp(settings):
    from aiosmtpd.controller import Controller

    from tests.harness import RecordingHandler, SMTPServer

    recorder = RecordingHandler()
    handler = _Refusing(recorder, permanent="inconnu@test.local", transient="plein@test.local")
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    server = SMTPServer(controller.port, recorder)
    server.handler_refusing = handler
    yield server
    controller.stop()


def test_permanent_errors_fail_transient_ones_wait_then_retry_failed_sends_again(
    refusing_smtp, communication, django_capture_on_commit_callbacks, settings
):
    unknown = AgentFactory(email="inconnu@test.local")
    full = AgentFactory(email="plein@test.local")
    fine = make_agents(3)
    mailing = make_mailing(agents=[unknown, full, *fine], created_by=communication)
    _start(mailing, communication, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=False):
        counts = mailing_send_batch(mailing_id=mailing.pk)

    assert counts == {"sent": 3, "failed": 1, "retry": 1, "more": True}  # one more look from the start…
    with django_capture_on_commit_callbacks(execute=False):
        again = mailing_send_batch(mailing_id=mailing.pk)
    assert again == {"sent": 0, "failed": 0, "retry": 0, "more": False}  # …finds only the 451 waiting its back-off
    failed = mailing.deliveries.get(agent=unknown)
    assert failed.status == Delivery.Status.FAILED
    assert "550" in failed.last_error
    waiting = mailing.deliveries.get(agent=full)
    assert waiting.status == Delivery.Status.PENDING
    assert waiting.attempts == 1
    assert waiting.next_attempt_at > timezone.now()
    assert len(refusing_smtp.messages) == 3
    assert Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.SENDING
    # The back-off has passed: the next batch tries it again (still refused: its second attempt).
    Delivery.objects.filter(pk=waiting.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=False):
        mailing_send_batch(mailing_id=mailing.pk)
    waiting.refresh_from_db()
    assert waiting.attempts == 2
    # After the last attempt it fails for good, and the mailing is done.
    Delivery.objects.filter(pk=waiting.pk).update(next_attempt_at=None, attempts=Delivery.MAX_ATTEMPTS - 1)
    with django_capture_on_commit_callbacks(execute=False):
        mailing_send_batch(mailing_id=mailing.pk)
    waiting.refresh_from_db()
    assert waiting.status == Delivery.Status.FAILED
    assert Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.DONE
    assert mailing_progress(mailing)["failed"] == 2

    # The mailboxes exist now: "retry the failed ones" sends to those two only, once each.
    refusing_smtp.handler_refusing.permanent = refusing_smtp.handler_refusing.transient = ""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        mailing_retry_failed(mailing=mailing, user=communication)
    assert len(callbacks) == 1
    assert Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.SENDING
    _send_all(mailing)
    assert refusing_smtp.count_by_recipient() == {
        **{agent.email: 1 for agent in fine},
        "inconnu@test.local": 1,
        "plein@test.local": 1,
    }
    assert Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.DONE
    assert AuditLogEntry.objects.filter(action="mailing.retry", target_id=str(mailing.pk)).exists()
    with pytest.raises(ValidationError):  # nothing failed any more
        mailing_retry_failed(mailing=mailing, user=communication)


def test_an_unreachable_smtp_server_keeps_the_rows_pending(settings, communication, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    mailing = make_mailing(agents=make_agents(5), created_by=communication)
    _start(mailing, communication, django_capture_on_commit_callbacks)

    counts = mailing_send_batch(mailing_id=mailing.pk)

    assert counts["sent"] == 0
    assert mailing_progress(mailing)["remaining"] == 5
    assert not mailing.deliveries.exclude(attempts=0).exists()  # the server's fault: no attempt counted
    [stopped_at] = mailing.deliveries.exclude(last_error="")  # the batch stopped at the first refusal
    assert "ConnectionRefusedError" in stopped_at.last_error
    assert Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.SENDING


# --- pause, resume, cancel --------------------------------------------------------------------


def test_pause_stops_the_batch_and_resume_finishes(smtp_server, communication, django_capture_on_commit_callbacks):
    mailing = make_mailing(agents=make_agents(12), created_by=communication)
    _start(mailing, communication, django_capture_on_commit_callbacks)
    mailing_send_batch(mailing_id=mailing.pk, size=5)

    mailing_pause(mailing=mailing, user=communication)
    assert mailing_send_batch(mailing_id=mailing.pk)["sent"] == 0
    assert len(smtp_server.messages) == 5

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        mailing_resume(mailing=mailing, user=communication)
    assert len(callbacks) == 1  # a sending task published after the commit
    _send_all(mailing)
    assert len(smtp_server.messages) == 12
    assert Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.DONE
    actions = set(AuditLogEntry.objects.filter(target_id=str(mailing.pk)).values_list("action", flat=True))
    assert {"mailing.start", "mailing.pause", "mailing.resume"} <= actions


def test_pause_refused_when_not_sending(communication):
    mailing = make_mailing(created_by=communication)
    with pytest.raises(ValidationError):
        mailing_pause(mailing=mailing, user=communication)
    with pytest.raises(ValidationError):
        mailing_resume(mailing=mailing, user=communication)


def test_cancel_marks_what_is_left_and_sends_nothing_more(
    smtp_server, communication, django_capture_on_commit_callbacks
):
    mailing = make_mailing(agents=make_agents(10), created_by=communication)
    _start(mailing, communication, django_capture_on_commit_callbacks)
    mailing_send_batch(mailing_id=mailing.pk, size=4)

    mailing_cancel(mailing=mailing, user=communication)

    assert mailing_send_batch(mailing_id=mailing.pk)["sent"] == 0
    progress = mailing_progress(mailing)
    assert (progress["sent"], progress["cancelled"], progress["remaining"]) == (4, 6, 0)
    assert len(smtp_server.messages) == 4
    assert AuditLogEntry.objects.filter(action="mailing.cancel", target_id=str(mailing.pk)).exists()
    with pytest.raises(ValidationError):
        mailing_cancel(mailing=mailing, user=communication)


# --- scheduling -----------------------------------------------------------------------------


def test_schedule_refuses_the_past(communication):
    mailing = make_mailing(created_by=communication)
    with pytest.raises(ValidationError) as caught:
        mailing_schedule(mailing=mailing, at=timezone.now() - timedelta(minutes=1), user=communication)
    assert "futur" in caught.value.messages[0]
    assert Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.DRAFT


def test_a_scheduled_mailing_starts_when_its_time_comes_with_the_audience_of_that_moment(
    smtp_server, communication, django_capture_on_commit_callbacks
):
    site = SiteFactory()
    early = AgentFactory(site=site)
    mailing = make_mailing(audience=AudienceSpec(sites=(site.pk,)), created_by=communication)
    at = timezone.now() + timedelta(hours=2)
    mailing_schedule(mailing=mailing, at=at, user=communication)
    late = AgentFactory(site=site)  # arrives before the send: receives it

    assert mailing_dispatch_pending(now=at - timedelta(minutes=1)) == {"started": 0, "published": 0}
    assert not mailing.deliveries.exists()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert mailing_dispatch_pending(now=at + timedelta(seconds=30))["started"] == 1
    assert len(callbacks) == 1
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENDING
    assert set(mailing.deliveries.values_list("agent_id", flat=True)) == {early.pk, late.pk}
    _send_all(mailing)
    assert len(smtp_server.messages) == 2
    assert AuditLogEntry.objects.filter(action="mailing.schedule", actor=communication).exists()


def test_dispatch_publishes_again_a_send_no_task_moved(communication, django_capture_on_commit_callbacks):
    mailing = make_mailing(agents=make_agents(2), created_by=communication)
    _start(mailing, communication, django_capture_on_commit_callbacks)

    assert mailing_dispatch_pending()["published"] == 0  # just published: left to its task
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert mailing_dispatch_pending(older_than=timedelta(0))["published"] == 1
    assert len(callbacks) == 1


def test_a_backend_other_than_smtp_gets_the_whole_message(
    settings, communication, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the file backend's path too
    agents = make_agents(2)
    mailing = make_mailing(agents=agents, created_by=communication)
    _start(mailing, communication, django_capture_on_commit_callbacks)

    assert mailing_send_batch(mailing_id=mailing.pk)["sent"] == 2

    assert sorted(message.to[0] for message in mailoutbox) == sorted(agent.email for agent in agents)
    delivery = mailing.deliveries.get(agent=agents[0])
    [message] = [message for message in mailoutbox if message.to == [agents[0].email]]
    assert message.extra_headers["Message-ID"] == f"<mailing-{mailing.pk}-delivery-{delivery.pk}@localhost>"
    assert message.alternatives[0][1] == "text/html"
