"""The outbox: mails recorded in the database, then sent by workers over SMTP, retried with
back-off, recovered when a worker or the server was lost (intranet.smtp, intranet.workqueue)."""

import base64
import contextlib
import logging
import smtplib
import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone

from intranet import smtp, tasks, workqueue
from intranet.models import OutgoingEmail

logger = logging.getLogger(__name__)


@transaction.atomic
def email_queue(
    *,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    kind: str,
    headers: dict | None = None,
    attachments: list[tuple[str, bytes, str]] | None = None,
    publish: bool = True,
) -> OutgoingEmail:
    """Record a mail to one recipient, then (after the commit) ask a worker to send the outbox.

    `attachments` are (filename, content, mimetype) triples — an iCal invitation, a PDF — kept
    in the row (base64) so the mail is whole whichever worker sends it. Its Message-ID is chosen
    now and kept, so every attempt carries the same one. `publish=False`: the caller queues many
    and calls `email_publish_on_commit()` once."""
    email = OutgoingEmail(
        to=to,
        subject=subject,
        text=text,
        html=html,
        kind=kind,
        headers=headers or {},
        message_id=smtp.new_message_id("outbox"),
        attachments=[
            {"filename": name, "mimetype": mimetype, "content": base64.b64encode(content).decode("ascii")}
            for name, content, mimetype in attachments or ()
        ],
    )
    email.full_clean()
    email.save()
    if publish:
        email_publish_on_commit()
    return email


def email_publish_on_commit() -> None:
    """Ask a worker to send the outbox once the current transaction commits."""
    workqueue.publish_on_commit(tasks.send_pending_emails_task)


def _email_message(email: OutgoingEmail, connection) -> EmailMultiAlternatives:
    headers = {**(email.headers or {})}
    if email.message_id:
        headers["Message-ID"] = email.message_id
    message = EmailMultiAlternatives(
        subject=email.subject, body=email.text, to=[email.to], headers=headers or None, connection=connection
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    for attachment in email.attachments:
        message.attach(attachment["filename"], base64.b64decode(attachment["content"]), attachment["mimetype"])
    return message


def _email_attempt(*, connection, email_id: int | None = None) -> str:
    """Claim one pending mail (that one, or the oldest whose time has come), send it and record
    the outcome, in one transaction. Returns "sent", "retry", "failed", "unreachable" (the server
    could not be reached: nothing counted, try again later) or "none" (nothing to claim).

    The row is locked for the whole SMTP conversation (`SKIP LOCKED`: another sender passes over
    it) and its "sent" mark, written before the conversation, is committed only after the
    server's 250: a worker killed before that leaves it pending for the next one. The one window
    left is a crash between the 250 and the COMMIT, which sends it again with the same
    Message-ID."""
    now = timezone.now()
    with transaction.atomic():
        pending = OutgoingEmail.objects.select_for_update(skip_locked=True)
        if email_id is not None:
            email = pending.pending().filter(pk=email_id).first()
        else:
            email = pending.sendable(now=now).order_by("created_at", "pk").first()
        if email is None:
            return "none"  # already sent or failed, or another worker holds it right now
        if smtp.suppressed(email.to):
            email.status, email.last_error = OutgoingEmail.Status.FAILED, smtp.SUPPRESSED_ERROR
            email.save(update_fields=["status", "last_error"])
            return "failed"
        email.attempts += 1
        email.status, email.sent_at, email.last_error = OutgoingEmail.Status.SENT, now, ""
        email.save(update_fields=["attempts", "status", "sent_at", "last_error"])
        try:
            connection.open()  # opened here, so send_messages leaves it open for the QUIT after the commit
            if connection.send_messages([_email_message(email, connection)]) != 1:
                raise smtplib.SMTPException("the mail backend sent nothing")
        except (smtplib.SMTPException, OSError) as error:
            failure = smtp.classify(error)
            email.status, email.sent_at, email.last_error = OutgoingEmail.Status.PENDING, None, smtp.error_text(error)
            if failure == smtp.Failure.UNREACHABLE:
                email.attempts -= 1  # not this mail's fault: it waits for the server
                email.next_attempt_at, outcome = smtp.mark_unreachable(error), "unreachable"
            elif failure == smtp.Failure.PERMANENT or email.attempts >= OutgoingEmail.MAX_ATTEMPTS:
                email.status, outcome = OutgoingEmail.Status.FAILED, "failed"
            else:
                email.next_attempt_at, outcome = now + smtp.retry_delay(email.attempts), "retry"
            email.save(update_fields=["attempts", "last_error", "status", "sent_at", "next_attempt_at"])
            logger.warning(
                "E-mail %s to %s not sent (%s, attempt %s): %s",
                email.pk,
                email.to,
                failure,
                email.attempts,
                email.last_error,
            )
            return outcome
    return "sent"


def email_send(*, email_id: int) -> bool:
    """Send one pending mail now; True if the SMTP server accepted it."""
    connection = get_connection(fail_silently=False)
    try:
        return _email_attempt(connection=connection, email_id=email_id) == "sent"
    finally:
        with contextlib.suppress(OSError):  # a failed QUIT changes nothing once the row is committed
            connection.close()


OUTBOX = "intranet.outbox"  # the outbox senders' slots (intranet.workqueue)


def _outbox_senders() -> int:
    return max(1, int(getattr(settings, "OUTBOX_SENDERS", 2) or 1))


def email_send_pending(*, size: int = 1000, seconds: float | None = None) -> dict:
    """Send the pending mails whose time has come, oldest first, over ONE SMTP connection, for at
    most `seconds` (settings.WORK_BATCH_SECONDS) or `size` mails, then publish the continuation
    when some are left. Up to settings.OUTBOX_SENDERS at once share the rows (SKIP LOCKED); a
    surplus one exits at once. A worker asked to stop (SIGTERM) stops after the mail in hand and
    hands the rest back. Returns counts by outcome."""
    counts = {"sent": 0, "retry": 0, "failed": 0, "unreachable": 0}
    outcome = "none"
    with workqueue.slot(OUTBOX, slots=_outbox_senders()) as taken:
        if taken is None:
            return counts
        connection = get_connection(fail_silently=False)
        deadline = time.monotonic() + (workqueue.batch_seconds() if seconds is None else seconds)
        try:
            for _number in range(size):
                outcome = _email_attempt(connection=connection)
                if outcome == "none":
                    break
                counts[outcome] += 1
                if outcome == "sent" and counts["sent"] == 1:
                    smtp.mark_reachable()
                if outcome == "unreachable" or time.monotonic() > deadline or workqueue.stopping():
                    break
        finally:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                connection.close()
    if outcome not in ("none", "unreachable"):
        workqueue.publish(tasks.send_pending_emails_task)  # the rest, after the slot is released
    return counts


def email_dispatch_pending(*, older_than: timedelta | None = None, now=None) -> int:
    """Recovery (beat, every tick): publish an outbox sender when mails are due — queued more than
    `older_than` ago (settings.WORK_STALLED_AFTER) or past their retry time — and no live worker
    is sending (lost with a killed worker, queued while the broker was down, waiting for a retry,
    the SMTP server back). Returns how many tasks were published (0 or 1)."""
    now = now or timezone.now()
    older_than = workqueue.stalled_after() if older_than is None else older_than
    if smtp.waiting_for_server(now=now) or workqueue.held(OUTBOX, slots=_outbox_senders()):
        return 0
    if not OutgoingEmail.objects.due(now=now, older_than=older_than).exists():
        return 0
    return int(workqueue.publish(tasks.send_pending_emails_task))
