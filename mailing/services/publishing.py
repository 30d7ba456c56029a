"""How a mailing's sending is asked of the workers: the sender slots, the sending tasks published
(after the commit), and a sending mailing with no row left marked done."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from intranet import workqueue
from mailing.models import Delivery, Mailing

# A sending task stops after this many messages or settings.WORK_BATCH_SECONDS and publishes the
# next one, so no task runs near the time limits and a pause is seen between batches as well as within.
BATCH_SIZE = 500
SENDERS = "mailing.senders"  # the sender slots of a mailing (intranet.workqueue.slot)
# Sending tasks working on one mailing at once (settings.MAILING_SENDERS): each waits for
# PostgreSQL's commit (a disk flush) after every message, and the flushes of concurrent commits
# are shared, so a few senders go several times faster than one. The rate limit is shared out.
DEFAULT_SENDERS = 4


def senders_per_mailing() -> int:
    return max(1, int(getattr(settings, "MAILING_SENDERS", DEFAULT_SENDERS) or 1))


def _tasks():
    from mailing import tasks  # the tasks module imports this one

    return tasks


def _publish(mailing_id: int, count: int = 1) -> bool:
    """Ask workers to send `count` batches (a broker error is logged: the mailing is recorded as
    sending and beat's recovery publishes it again once the broker is back)."""
    return workqueue.publish_copies(_tasks().mailing_send_batch_task, mailing_id, copies=count)


def _publish_on_commit(mailing: Mailing) -> None:
    """One task per sender slot, after the commit."""
    workqueue.publish_on_commit(_tasks().mailing_send_batch_task, mailing.pk, copies=senders_per_mailing())


def _finish_if_done(mailing: Mailing) -> bool:
    """A sending mailing with no pending row left is done (a row waiting for a retry is pending)."""
    if mailing.status != Mailing.Status.SENDING or mailing.deliveries.filter(status=Delivery.Status.PENDING).exists():
        return False
    updated = Mailing.objects.filter(pk=mailing.pk, status=Mailing.Status.SENDING).update(
        status=Mailing.Status.DONE, finished_at=timezone.now()
    )
    if updated:
        mailing.status = Mailing.Status.DONE
    return bool(updated)
