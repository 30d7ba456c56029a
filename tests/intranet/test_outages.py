"""Recovery in seconds after an outage (issue 20, item 1): a real worker as production runs it
(two prefork processes, beat embedded) on PostgreSQL; a real SMTP server stopped for 20 s; a real
Redis of the test's own (never the machine's) stopped and started again, empty. The send resumes
within 30 s of the cause ending, nobody is counted as failed, nobody receives two different
messages, and the progress page says what is happening meanwhile.

Each test prints what it measured (`pytest -s`); docs/exploitation.md keeps the figures."""

import time

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import reverse

from intranet.models import OutgoingEmail
from intranet.roles import GROUP_ROLES
from intranet.services import email_queue
from mailing.models import Delivery, Mailing
from mailing.services import mailing_start
from tests.harness import wait_until
from tests.intranet.test_recovery import IN_FLIGHT, _agents, _assert_each_once
from tests.mailing.factories import make_mailing

WORKER_DB = pytest.mark.django_db(transaction=True)
RECOVERY_LIMIT = 30  # seconds from the cause ending to the work moving again
OUTAGE = 20  # seconds


@pytest.fixture(autouse=True)
def _role_groups(transactional_db):
    for role in GROUP_ROLES:
        Group.objects.get_or_create(name=role.value)


def _restart_with(worker, **env) -> None:
    worker.stop()
    worker.env.update({key: str(value) for key, value in env.items()})
    worker.start()


def _report(what: str, seconds: float) -> None:
    print(f"\nOUTAGE {what}: resumed {seconds:.1f} s after the cause ended")  # noqa: T201 (the measurement)


def _stalled(queryset, *, quiet: float = 3) -> None:
    """Wait until the count stops moving for `quiet` seconds."""
    last, since = queryset.count(), time.monotonic()
    deadline = time.monotonic() + 60
    while time.monotonic() - since < quiet:
        assert time.monotonic() < deadline, "the work never stopped during the outage"
        time.sleep(0.2)
        now = queryset.count()
        if now != last:
            last, since = now, time.monotonic()


@WORKER_DB
@pytest.mark.services
def test_a_mailing_resumes_within_30_s_of_the_smtp_server_coming_back_and_the_page_says_why(
    client, smtp_server, celery_worker_with_beat, communication
):
    _restart_with(celery_worker_with_beat, MAILING_RATE_LIMIT=40)
    agents = _agents(600, "outage")
    mailing = make_mailing(agents=agents, created_by=communication)
    sent = Delivery.objects.filter(mailing=mailing, status=Delivery.Status.SENT)
    client.force_login(communication)

    mailing_start(mailing=mailing, user=communication)
    wait_until(lambda: sent.count() >= 50, timeout=60, message="the send under way")
    smtp_server.stop()
    stopped_at = time.monotonic()
    wait_until(
        lambda: Mailing.objects.get(pk=mailing.pk).retry_at is not None, timeout=30, message="the outage noticed"
    )
    page = client.get(reverse("mailing:mailing-progress", args=[mailing.pk])).content.decode()
    assert "Serveur de messagerie injoignable, nouvel essai dans" in page
    # The server's last answer: refused, or cut in the middle of a session when it stopped.
    assert "ConnectionRefusedError" in page or "SMTPServerDisconnected" in page
    assert not Delivery.objects.filter(mailing=mailing, status=Delivery.Status.FAILED).exists()
    time.sleep(max(0, OUTAGE - (time.monotonic() - stopped_at)))
    at_restart = sent.count()

    smtp_server.start()
    back_at = time.monotonic()
    wait_until(lambda: sent.count() > at_restart, timeout=RECOVERY_LIMIT, message="the send resumed")
    _report("SMTP server, mailing", time.monotonic() - back_at)

    wait_until(lambda: Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.DONE, timeout=120, message="done")
    assert not Delivery.objects.filter(mailing=mailing).exclude(status=Delivery.Status.SENT).exists()
    assert _assert_each_once(smtp_server, [agent.email for agent in agents]) <= IN_FLIGHT
    assert "data-activity" not in client.get(reverse("mailing:mailing-progress", args=[mailing.pk])).content.decode()


@WORKER_DB
@pytest.mark.services
def test_outbox_mails_queued_during_an_smtp_outage_go_within_30_s_of_its_end(smtp_server, celery_worker_with_beat):
    recipients = [f"agent{number:02d}@test.local" for number in range(20)]
    smtp_server.stop()
    stopped_at = time.monotonic()
    for address in recipients:
        email_queue(to=address, subject="Réunion", text="À jeudi.", kind="test.outage")
    wait_until(lambda: OutgoingEmail.objects.exclude(last_error="").exists(), timeout=30, message="the outage noticed")
    time.sleep(max(0, OUTAGE - (time.monotonic() - stopped_at)))
    assert not OutgoingEmail.objects.exclude(status=OutgoingEmail.Status.PENDING).exists()
    assert set(OutgoingEmail.objects.values_list("attempts", flat=True)) == {0}  # nobody's fault

    smtp_server.start()
    back_at = time.monotonic()
    wait_until(
        lambda: OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENT).count() == len(recipients),
        timeout=RECOVERY_LIMIT,
        message="every mail sent",
    )
    _report("SMTP server, outbox", time.monotonic() - back_at)
    assert _assert_each_once(smtp_server, recipients) == 0


@WORKER_DB
@pytest.mark.services
def test_a_mailing_and_the_outbox_resume_within_30_s_of_redis_coming_back_empty(
    smtp_server, private_redis, celery_worker_on_private_redis, communication
):
    worker = celery_worker_on_private_redis
    _restart_with(worker, MAILING_RATE_LIMIT=30, WORK_BATCH_SECONDS=5)
    agents = _agents(600, "broker")
    mailing = make_mailing(agents=agents, created_by=communication)
    sent = Delivery.objects.filter(mailing=mailing, status=Delivery.Status.SENT)

    mailing_start(mailing=mailing, user=communication)
    wait_until(lambda: sent.count() >= 60, timeout=60, message="the send under way")
    private_redis.stop()
    stopped_at = time.monotonic()
    email_queue(to="pendant.la.panne@test.local", subject="Réunion", text="À jeudi.", kind="test.outage")
    _stalled(sent)  # the batches under way end, and their continuation cannot be published
    time.sleep(max(0, OUTAGE - (time.monotonic() - stopped_at)))
    at_restart = sent.count()
    assert at_restart < len(agents), "the send had finished before Redis went away"
    connection.close()

    private_redis.start()  # empty: what was queued in it is lost
    back_at = time.monotonic()
    wait_until(lambda: sent.count() > at_restart, timeout=RECOVERY_LIMIT, message="the send resumed")
    _report("Redis restarted empty, mailing", time.monotonic() - back_at)
    wait_until(
        lambda: OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENT).exists(),
        timeout=RECOVERY_LIMIT - (time.monotonic() - back_at),
        message="the mail queued during the outage sent",
    )
    _report("Redis restarted empty, outbox", time.monotonic() - back_at)

    wait_until(lambda: Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.DONE, timeout=120, message="done")
    assert _assert_each_once(smtp_server, [*(agent.email for agent in agents), "pendant.la.panne@test.local"]) == 0
