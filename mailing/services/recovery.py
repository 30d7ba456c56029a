"""Beat's side: the scheduled mailings started when their time comes, the sends no live task holds
published again, and the bodies of old mailings emptied (retention)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import models, transaction
from django.utils import timezone

from intranet import workqueue
from mailing.models import Delivery, Mailing
from mailing.services.lifecycle import _start
from mailing.services.publishing import SENDERS, _finish_if_done, _publish_on_commit, senders_per_mailing


def _due_rows(mailing: Mailing, now: datetime):
    return mailing.deliveries.filter(status=Delivery.Status.PENDING).filter(
        models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now)
    )


@transaction.atomic
def mailing_dispatch_pending(*, older_than: timedelta | None = None, now: datetime | None = None) -> dict:
    """Recovery (beat, every settings.WORK_RECOVERY_TICK seconds): start the scheduled mailings
    whose time has come, and publish the sending tasks again for a mailing still sending that no
    live task holds and none was published for in the last `older_than`
    (settings.WORK_STALLED_AFTER): asked for while the broker was down, a worker killed mid-batch,
    rows due for a retry, the SMTP server tried again at the mailing's `retry_at`. Returns
    {"started": n, "published": n}."""
    now = now or timezone.now()
    older_than = workqueue.stalled_after() if older_than is None else older_than
    started_ids = []
    due = Mailing.objects.select_for_update(skip_locked=True).filter(
        status=Mailing.Status.SCHEDULED, scheduled_at__lte=now
    )
    for mailing in due.order_by("scheduled_at", "pk"):
        _start(mailing, user=mailing.scheduled_by)
        started_ids.append(mailing.pk)
    stalled = (
        Mailing.objects.select_for_update(skip_locked=True)
        .filter(status=Mailing.Status.SENDING, started_at__isnull=False)
        .filter(models.Q(dispatched_at__isnull=True) | models.Q(dispatched_at__lte=now - older_than))
        .filter(models.Q(retry_at__isnull=True) | models.Q(retry_at__lte=now))
        .exclude(pk__in=started_ids)
    )
    published = 0
    for mailing in stalled:
        if _finish_if_done(mailing) or workqueue.held(SENDERS, mailing.pk, slots=senders_per_mailing()):
            continue
        if not _due_rows(mailing, now).exists():
            continue  # every row left waits for its retry time
        mailing.dispatched_at = now
        mailing.save(update_fields=["dispatched_at"])
        _publish_on_commit(mailing)
        published += 1
    return {"started": len(started_ids), "published": published}


def bodies_purge(*, before: datetime, dry_run: bool) -> int:
    """Retention (intranet.retention): the message of the mailings finished before `before` is
    emptied (the subject and the delivery rows stay: who received what; a newsletter keeps its
    issue in its own archive), and the deliveries' error texts."""
    old = Mailing.objects.filter(finished_at__lt=before).exclude(html="", text="")
    if dry_run:
        return old.count()
    Delivery.objects.filter(mailing__in=old).exclude(last_error="").update(last_error="")
    return old.update(html="", text="")
