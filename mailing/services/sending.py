"""Sending: a batch over ONE SMTP connection, each message one transaction (claimed with SKIP LOCKED
and marked sent, committed after the server's 250), paced, SMTP errors classified by the site's
one policy (intranet/smtp.py)."""

from __future__ import annotations

import contextlib
import logging
import smtplib
import time

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection as db_connection
from django.db import models, transaction
from django.utils import timezone

from intranet import smtp, workqueue
from mailing.models import Delivery, Mailing
from mailing.services.messages import _Renderer, build_message
from mailing.services.publishing import BATCH_SIZE, SENDERS, _finish_if_done, _publish, senders_per_mailing

logger = logging.getLogger(__name__)


class _Pacer:
    """At most `rate` messages per second (0: no limit)."""

    def __init__(self, rate: float):
        self.interval = 1.0 / rate if rate and rate > 0 else 0.0
        self.next_at = time.monotonic()

    def wait(self) -> None:
        if not self.interval:
            return
        now = time.monotonic()
        if self.next_at > now:
            time.sleep(self.next_at - now)
        self.next_at = max(self.next_at, now) + self.interval


def _claim_next(mailing_id: int, after: int = 0) -> Delivery | None:
    """The next deliverable row of a mailing still sending, locked (SKIP LOCKED: rows another
    sender holds are passed over, never waited for). `after`: the last row this batch claimed,
    so each claim starts where the previous one ended instead of walking again over the index
    entries of rows just sent (left behind until VACUUM); a row passed over is for the next batch."""
    now = timezone.now()
    return (
        Delivery.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(mailing_id=mailing_id, mailing__status=Mailing.Status.SENDING, status=Delivery.Status.PENDING)
        .filter(pk__gt=after)
        .filter(models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now))
        .only("pk", "mailing_id", "email", "name", "attempts")
        .order_by("pk")
        .first()
    )


_CLAIM_AND_MARK_SQL = """
UPDATE mailing_delivery SET status = %(sent)s, sent_at = %(now)s, attempts = attempts + 1, last_error = ''
WHERE id = (
    SELECT delivery.id FROM mailing_delivery delivery
    JOIN mailing_mailing mailing ON mailing.id = delivery.mailing_id
    WHERE delivery.mailing_id = %(mailing)s AND mailing.status = %(sending)s AND delivery.status = %(pending)s
      AND delivery.id > %(after)s AND (delivery.next_attempt_at IS NULL OR delivery.next_attempt_at <= %(now)s)
    ORDER BY delivery.id LIMIT 1
    FOR UPDATE OF delivery SKIP LOCKED
)
RETURNING id, email, name, attempts
"""


def _claim_and_mark(mailing_id: int, after: int) -> Delivery | None:
    """Claim the next row (as `_claim_next`) and write its "sent" mark, visible once committed.
    On PostgreSQL one statement (UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED) RETURNING):
    a round trip less per message than a SELECT then an UPDATE."""
    now = timezone.now()
    if db_connection.vendor == "postgresql":
        with db_connection.cursor() as cursor:
            cursor.execute(
                _CLAIM_AND_MARK_SQL,
                {
                    "sent": Delivery.Status.SENT,
                    "now": now,
                    "mailing": mailing_id,
                    "sending": Mailing.Status.SENDING,
                    "pending": Delivery.Status.PENDING,
                    "after": after,
                },
            )
            found = cursor.fetchone()
        if found is None:
            return None
        pk, email, name, attempts = found
        return Delivery(
            pk=pk,
            mailing_id=mailing_id,
            email=email,
            name=name,
            attempts=attempts,
            status=Delivery.Status.SENT,
            sent_at=now,
        )
    delivery = _claim_next(mailing_id, after=after)
    if delivery is not None:
        delivery.attempts += 1
        delivery.status, delivery.sent_at, delivery.last_error = Delivery.Status.SENT, now, ""
        delivery.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    return delivery


def _send_one(
    *, mailing: Mailing, smtp_connection, mailing_id: int, cursor: list[int] | None = None, renderer=None
) -> str:
    """Claim, send and record one delivery in one transaction. Returns "sent", "failed",
    "retry", "unreachable" (the server could not be reached: stop the batch; the row is left as
    it was, the error in `error` below) or "none" (nothing to claim). `cursor`, when given, is
    [the last row claimed], updated here."""
    with transaction.atomic():
        # The "sent" mark is written with the claim, before the conversation, and is visible
        # only once committed, after the server's 250.
        delivery = _claim_and_mark(mailing_id, after=cursor[0] if cursor else 0)
        if delivery is None:
            return "none"
        if cursor is not None:
            cursor[0] = delivery.pk
        if smtp.suppressed(delivery.email):
            Delivery.objects.filter(pk=delivery.pk).update(
                status=Delivery.Status.FAILED, sent_at=None, last_error=smtp.SUPPRESSED_ERROR
            )
            return "failed"
        try:
            smtp_connection.open()  # once per batch (a no-op when open): send_messages then leaves it open
            conversation = getattr(smtp_connection, "connection", None)
            payload = renderer.render(delivery) if renderer and isinstance(conversation, smtplib.SMTP) else None
            if payload is not None:
                conversation.sendmail(renderer.from_email, [delivery.email], payload)  # raises unless accepted
            elif (
                smtp_connection.send_messages(
                    [build_message(mailing=mailing, delivery=delivery, connection=smtp_connection)]
                )
                != 1
            ):
                raise smtplib.SMTPException("the mail backend sent nothing")
        except (smtplib.SMTPException, OSError) as error:
            failure = smtp.classify(error)
            delivery.sent_at, delivery.last_error = None, smtp.error_text(error)
            if failure == smtp.Failure.UNREACHABLE:
                # Not this recipient's fault: no attempt counted; the send waits for the server
                # (the mailing says so) and beat's recovery tries again.
                delivery.attempts -= 1
                delivery.status, outcome = Delivery.Status.PENDING, "unreachable"
            elif failure == smtp.Failure.PERMANENT or delivery.attempts >= Delivery.MAX_ATTEMPTS:
                delivery.status, outcome = Delivery.Status.FAILED, "failed"
            else:
                delivery.status, outcome = Delivery.Status.PENDING, "retry"
                delivery.next_attempt_at = timezone.now() + smtp.retry_delay(delivery.attempts)
            delivery.save(update_fields=["attempts", "status", "sent_at", "last_error", "next_attempt_at"])
            logger.warning(
                "Mailing %s, delivery %s to %s not sent (%s, attempt %s): %s",
                mailing_id,
                delivery.pk,
                delivery.email,
                failure,
                delivery.attempts,
                delivery.last_error,
            )
            if outcome == "unreachable":
                _server_unreachable(mailing_id, error)
            return outcome
    return "sent"


def _server_unreachable(mailing_id: int, error: Exception) -> None:
    """Say on the mailing that the server cannot be reached and when it is tried again."""
    retry_at = smtp.mark_unreachable(error)
    Mailing.objects.filter(pk=mailing_id).update(retry_at=retry_at, last_error=smtp.error_text(error))


def mailing_send_batch(*, mailing_id: int, size: int = BATCH_SIZE, seconds: float | None = None) -> dict:
    """Send up to `size` messages of a sending mailing over ONE SMTP connection, for at most
    `seconds` (settings.WORK_BATCH_SECONDS), at most settings.MAILING_RATE_LIMIT per second in all
    (shared out between the sender slots). Publishes the next batch when rows are left, marks the
    mailing done when none is. Several at once share the rows (SKIP LOCKED); beyond the sender
    slots a task exits at once. A worker asked to stop (SIGTERM) stops after the message in hand
    and hands the rest back. Returns counts of what this batch did ({"sent", "failed", "retry",
    "more"})."""
    counts = {"sent": 0, "failed": 0, "retry": 0, "more": False}
    with workqueue.slot(SENDERS, mailing_id, slots=senders_per_mailing()) as slot:
        if slot is None:
            return counts
        mailing = Mailing.objects.filter(pk=mailing_id, status=Mailing.Status.SENDING).first()
        if mailing is None:
            return counts  # paused, cancelled, done, or gone
        Mailing.objects.filter(pk=mailing_id).update(dispatched_at=timezone.now())
        pacer = _Pacer(float(getattr(settings, "MAILING_RATE_LIMIT", 0) or 0) / senders_per_mailing())
        smtp_connection = get_connection(fail_silently=False)
        deadline = time.monotonic() + (workqueue.batch_seconds() if seconds is None else seconds)
        outcome, cursor, renderer = "none", [0], _Renderer(mailing)
        try:
            for _index in range(size):
                if time.monotonic() > deadline or workqueue.stopping():
                    outcome = "full"
                    break
                pacer.wait()
                outcome = _send_one(
                    mailing=mailing,
                    smtp_connection=smtp_connection,
                    mailing_id=mailing_id,
                    cursor=cursor,
                    renderer=renderer,
                )
                if outcome in ("none", "unreachable"):
                    break
                counts[outcome] += 1
                if outcome == "sent" and counts["sent"] == 1 and mailing.retry_at is not None:
                    # The server answers again: the page stops saying it cannot be reached.
                    Mailing.objects.filter(pk=mailing_id).update(retry_at=None, last_error="")
                    smtp.mark_reachable()
            else:
                outcome = "full"
        finally:
            with contextlib.suppress(OSError, smtplib.SMTPException):  # the rows are committed already
                smtp_connection.close()
        if outcome == "unreachable":
            return counts  # beat's recovery tries again at the mailing's retry_at
        with transaction.atomic():
            mailing = Mailing.objects.select_for_update().get(pk=mailing_id)
            # "none" after claims: rows passed over (held by another sender then, or due for a
            # retry since) may lie behind the cursor: one more batch looks again from the start.
            more = outcome != "none" or cursor[0] > 0
            if not _finish_if_done(mailing) and mailing.status == Mailing.Status.SENDING and more:
                counts["more"] = True
                mailing.dispatched_at = timezone.now()
                mailing.save(update_fields=["dispatched_at"])
    if counts["more"]:
        _publish(mailing_id)  # committed, and the slot released, so the next task may take it
    return counts
