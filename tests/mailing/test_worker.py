"""The send under real conditions: a real Celery worker process on Redis, PostgreSQL, a real SMTP
server on loopback; the worker killed mid-send, the broker down when the send is asked for;
concurrent senders claiming rows."""

import logging
import threading
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.mail import get_connection
from django.db import connection, transaction

from intranet import workqueue
from intranet.roles import GROUP_ROLES
from mailing.models import Delivery, Mailing
from mailing.selectors import mailing_progress
from mailing.services import SENDERS, mailing_dispatch_pending, mailing_send_batch, mailing_start
from mailing.services.sending import _claim_next, _send_one
from tests.conftest import skip_or_fail
from tests.harness import celery_broker, wait_until
from tests.mailing.factories import make_agents, make_mailing

CLOSED_BROKER = "redis://127.0.0.1:1/0"
FAIL_FAST = {
    "task_publish_retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.1, "interval_max": 0.1}
}
# Plain transactional tests (a serialized rollback after another test's plain flush re-inserts
# content types that exist again: duplicate keys in the full suite); the flush also empties the
# role groups the migrations created, put back below.
WORKER_DB = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _role_groups(transactional_db):
    for role in GROUP_ROLES:
        Group.objects.get_or_create(name=role.value)


def _require_postgresql(what: str) -> None:
    if connection.vendor != "postgresql":
        skip_or_fail(f"needs PostgreSQL ({what}; SQLite locks the whole database): set DATABASE_URL")


def _unlocked_pending(mailing) -> int:
    with transaction.atomic():
        return len(
            Delivery.objects.filter(mailing=mailing, status=Delivery.Status.PENDING)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )


@WORKER_DB
@pytest.mark.services
def test_a_worker_killed_mid_send_finishes_after_restart_with_everyone_served_once(
    smtp_server, celery_worker_process, communication
):
    agents = make_agents(300)
    mailing = make_mailing(agents=agents, created_by=communication)
    smtp_server.handler.hold_after(120)

    mailing_start(mailing=mailing, user=communication)  # published to the worker after the commit
    assert smtp_server.handler.holding.wait(timeout=120), "the worker never reached the 121st message"
    celery_worker_process.kill()  # mid-conversation: the 121st message is sent, not yet accepted
    smtp_server.handler.release()

    assert len(smtp_server.messages) == 120
    assert Delivery.objects.filter(mailing=mailing, status=Delivery.Status.SENT).count() == 120
    # PostgreSQL rolls back the dead worker's transaction: its row is pending and free again.
    wait_until(lambda: _unlocked_pending(mailing) == 180, timeout=20, message="the killed worker's lock released")
    # Its Celery message stays unacked in Redis until the visibility timeout: beat's dispatch
    # publishes the send again (what it does every minute for a send no task has moved).
    assert mailing_dispatch_pending(older_than=timedelta(0))["published"] == 1
    celery_worker_process.restart()

    smtp_server.wait_for(300, timeout=120)
    wait_until(
        lambda: Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.DONE, timeout=30, message="the send done"
    )
    counts = smtp_server.count_by_recipient()
    assert set(counts) == {agent.email for agent in agents}  # every recipient reached
    duplicates = sum(count - 1 for count in counts.values())
    assert duplicates <= 1  # at most the message in flight at the kill
    assert max(counts.values()) <= 2
    assert Delivery.objects.filter(mailing=mailing).exclude(status=Delivery.Status.SENT).count() == 0
    message_ids = {mail.message["Message-ID"] for mail in smtp_server.messages}
    assert len(message_ids) == 300  # deterministic per delivery: a repeat would carry the same one


@WORKER_DB
@pytest.mark.services
def test_a_send_asked_for_while_redis_is_down_is_kept_then_sent_when_it_is_back(
    smtp_server, celery_worker_process, communication, caplog
):
    agents = make_agents(20)
    mailing = make_mailing(agents=agents, created_by=communication)

    with caplog.at_level(logging.WARNING, logger="mailing.services"), celery_broker(CLOSED_BROKER, **FAIL_FAST):
        mailing_start(mailing=mailing, user=communication)

    assert "Broker unreachable" in caplog.text
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENDING  # recorded, frozen, not lost
    assert mailing_progress(mailing)["remaining"] == 20
    assert smtp_server.messages == []

    # Redis is back: beat's dispatch (every minute) publishes it.
    assert mailing_dispatch_pending(older_than=timedelta(0))["published"] == 1

    smtp_server.wait_for(20, timeout=60)
    wait_until(
        lambda: Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.DONE, timeout=30, message="the send done"
    )
    assert smtp_server.count_by_recipient() == {agent.email: 1 for agent in agents}


# --- claims under concurrency (threads, each with its own database connection) -----------------


@WORKER_DB
def test_concurrent_claims_never_take_the_same_row(communication):
    _require_postgresql("a claim that skips the rows another sender holds (SELECT … FOR UPDATE SKIP LOCKED)")
    mailing = make_mailing(agents=make_agents(3), created_by=communication)
    with celery_broker("memory://"):  # no worker here: the task published goes nowhere
        mailing_start(mailing=mailing, user=communication)
    held = threading.Event()
    done = threading.Event()
    claimed = {}

    def hold_first():
        with transaction.atomic():
            claimed["a"] = _claim_next(mailing.pk).pk
            held.set()
            done.wait(timeout=10)
        connection.close()

    thread = threading.Thread(target=hold_first)
    thread.start()
    assert held.wait(timeout=10)
    with transaction.atomic():
        claimed["b"] = _claim_next(mailing.pk).pk  # does not wait for the locked row: skips it
    done.set()
    thread.join()

    assert claimed["a"] != claimed["b"]


@WORKER_DB
def test_parallel_senders_serve_each_recipient_exactly_once(smtp_server, communication):
    _require_postgresql("senders writing in parallel (row locks, SKIP LOCKED)")
    agents = make_agents(120)
    mailing = make_mailing(agents=agents, created_by=communication)
    with celery_broker("memory://"):
        mailing_start(mailing=mailing, user=communication)
    mailing = Mailing.objects.get(pk=mailing.pk)
    errors = []

    def sender():
        smtp = get_connection(fail_silently=False)
        try:
            while _send_one(mailing=mailing, smtp_connection=smtp, mailing_id=mailing.pk) == "sent":
                pass
        except Exception as error:  # noqa: BLE001 (reported by the test)
            errors.append(error)
        finally:
            smtp.close()
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert smtp_server.count_by_recipient() == {agent.email: 1 for agent in agents}
    assert Delivery.objects.filter(mailing=mailing, status=Delivery.Status.SENT).count() == 120


@WORKER_DB
def test_a_sending_task_beyond_the_sender_slots_exits_at_once(smtp_server, communication, settings):
    _require_postgresql("the sender slots (pg_advisory_lock)")
    settings.MAILING_SENDERS = 1
    mailing = make_mailing(agents=make_agents(3), created_by=communication)
    with celery_broker("memory://"):
        mailing_start(mailing=mailing, user=communication)
    result = {}

    def other_task():
        result.update(mailing_send_batch(mailing_id=mailing.pk))
        connection.close()

    with workqueue.slot(SENDERS, mailing.pk, slots=1) as taken:  # as a first task running would
        assert taken == 0
        assert workqueue.held(SENDERS, mailing.pk, slots=1)
        thread = threading.Thread(target=other_task)
        thread.start()
        thread.join(timeout=30)
    assert not workqueue.held(SENDERS, mailing.pk, slots=1)

    assert result == {"sent": 0, "failed": 0, "retry": 0, "more": False}
    assert smtp_server.messages == []
