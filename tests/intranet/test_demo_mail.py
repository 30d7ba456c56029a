"""The demo sends nothing by itself (issue 21): its newsletters are history, written as sent, and
its addresses are never handed to a real SMTP server."""

import io

import pytest
from django.core.management import call_command
from kombu import Connection

from intranet.models import OutgoingEmail
from mailing.models import Delivery, Mailing
from newsletters.models import Issue
from tests.harness import celery_broker

SMALL = 60


def _published_tasks(url: str) -> list[str]:
    names = []
    with Connection(url) as connection, connection.SimpleQueue("celery") as queue:
        while queue.qsize():
            message = queue.get(timeout=1)
            names.append(message.headers["task"])
            message.ack()
    return names


@pytest.mark.django_db
def test_the_demo_newsletters_are_history_nothing_pending_nothing_published(django_capture_on_commit_callbacks):
    with celery_broker("memory://") as app, django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", agents=SMALL, stdout=io.StringIO())
        published = _published_tasks(app.conf.broker_url)

    mailings = Mailing.objects.filter(kind="newsletter.issue")
    assert mailings.count() == 3
    assert set(mailings.values_list("status", flat=True)) == {Mailing.Status.DONE}
    assert not Delivery.objects.filter(status=Delivery.Status.PENDING).exists()
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() > SMALL
    for issue in Issue.objects.filter(status=Issue.Status.SENT):  # sent on the issue's own date
        [mailing] = mailings.filter(source_id=issue.pk)
        assert mailing.finished_at == issue.sent_at
        assert set(mailing.deliveries.exclude(status=Delivery.Status.PAPER).values_list("sent_at", flat=True)) == {
            issue.sent_at
        }
    assert "mailing.tasks.mailing_send_batch_task" not in published


@pytest.mark.django_db
def test_the_demo_never_mails_its_addresses_through_a_real_smtp_server(smtp_server):
    from intranet.services import email_send_pending

    with celery_broker("memory://"):
        call_command("seed_demo", agents=SMALL, stdout=io.StringIO())
        queued = OutgoingEmail.objects.filter(to__endswith="@demo.local").count()
        counts = email_send_pending()

    assert queued > 0  # the demo's onboarding notifications (buddies, integration day…)
    assert smtp_server.messages == []
    assert counts["failed"] == queued
    assert not OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING).exists()
    assert set(OutgoingEmail.objects.values_list("last_error", flat=True)) == {
        "Not sent: address of a suppressed domain (EMAIL_SUPPRESSED_DOMAINS, e.g. the demo's)"
    }
