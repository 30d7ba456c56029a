"""What the core does: functions that change state."""

import base64
import contextlib
import logging
import smtplib
from collections.abc import Iterable
from datetime import timedelta
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from intranet import tasks
from intranet.models import AuditLogEntry, DocumentRequest, OutgoingEmail
from intranet.registry import registry

logger = logging.getLogger(__name__)


@transaction.atomic
def audit_log_record(
    *, actor, action: str, target=None, details: dict | None = None, ip_address: str | None = None
) -> AuditLogEntry:
    """Record a sensitive action. `action` is a short dotted code ("agent.anonymise")."""
    entry = AuditLogEntry(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=str(actor) if actor is not None and actor.is_authenticated else "",
        action=action,
        details=details or {},
        ip_address=ip_address,
    )
    if target is not None:
        entry.target_type = ContentType.objects.get_for_model(target)
        entry.target_id = str(target.pk)
        entry.target_label = str(target)[:255]
    entry.save()
    return entry


def _enqueue_each(task, ids: Iterable[int]) -> None:
    """Publish `task(id)` for each id; stop at the first broker error, logged and swallowed:
    the rows in the database are the request, `email_dispatch_pending` (or
    `document_dispatch_pending`) publishes them again once the broker is back (beat runs
    them every minute)."""
    for pk in ids:
        try:
            task.delay(pk)
        except BrokerError as error:
            logger.warning("Broker unreachable, %s(%s) left for the next dispatch: %s", task.name, pk, error)
            return


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
) -> OutgoingEmail:
    """Record a mail to one recipient, then (after the commit) ask a worker to send it.

    `attachments` are (filename, content, mimetype) triples — an iCal invitation, a PDF — kept
    in the row (base64) so the mail is whole whichever worker sends it."""
    email = OutgoingEmail(
        to=to,
        subject=subject,
        text=text,
        html=html,
        kind=kind,
        headers=headers or {},
        attachments=[
            {"filename": name, "mimetype": mimetype, "content": base64.b64encode(content).decode("ascii")}
            for name, content, mimetype in attachments or ()
        ],
    )
    email.full_clean()
    email.save()
    transaction.on_commit(partial(_enqueue_each, tasks.send_email_task, [email.pk]))
    return email


def _refused_for_good(error: OSError) -> bool:
    """A 5xx answer to every recipient will not change on a retry (unknown mailbox)."""
    return isinstance(error, smtplib.SMTPRecipientsRefused) and all(
        code >= 500 for code, _message in error.recipients.values()
    )


def email_send(*, email_id: int) -> bool:
    """Send one pending mail; True if the SMTP server accepted it now.

    The row is locked for the whole SMTP conversation (`SKIP LOCKED`: a second worker given
    the same id moves on) and its "sent" mark is committed only after the server's 250: a
    worker killed before that leaves it pending for the next one. The one window left is a
    crash between the 250 and the COMMIT, which would send it twice; to keep it short the
    mark is written before the conversation and the QUIT waits for after the commit."""
    connection = get_connection(fail_silently=False)
    try:
        return _email_send_through(connection=connection, email_id=email_id)
    finally:
        with contextlib.suppress(OSError):  # a failed QUIT changes nothing once the row is committed
            connection.close()


@transaction.atomic
def _email_send_through(*, connection, email_id: int) -> bool:
    email = OutgoingEmail.objects.select_for_update(skip_locked=True).pending().filter(pk=email_id).first()
    if email is None:
        return False  # already sent or failed, or another worker holds it right now
    message = EmailMultiAlternatives(
        subject=email.subject, body=email.text, to=[email.to], headers=email.headers or None
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    for attachment in email.attachments:
        message.attach(attachment["filename"], base64.b64decode(attachment["content"]), attachment["mimetype"])
    email.attempts += 1
    # Written before the conversation, visible only once committed (after the 250): once the
    # server has accepted the mail, sending COMMIT is all that is left to do.
    email.status, email.sent_at, email.last_error = OutgoingEmail.Status.SENT, timezone.now(), ""
    email.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    try:
        connection.open()  # opened here, so send_messages leaves it open for the QUIT after the commit
        if connection.send_messages([message]) != 1:
            raise smtplib.SMTPException("the mail backend sent nothing")
    except (smtplib.SMTPException, OSError) as error:
        email.status, email.sent_at = OutgoingEmail.Status.PENDING, None
        email.last_error = f"{type(error).__name__}: {error}"[:2000]
        if _refused_for_good(error) or email.attempts >= OutgoingEmail.MAX_ATTEMPTS:
            email.status = OutgoingEmail.Status.FAILED
        else:
            # 1, 2, 4… 64 minutes: beat's dispatch picks it up again after that.
            email.next_attempt_at = timezone.now() + timedelta(minutes=2 ** (email.attempts - 1))
        email.save(update_fields=["attempts", "last_error", "status", "sent_at", "next_attempt_at"])
        logger.warning(
            "E-mail %s to %s not sent (attempt %s): %s", email.pk, email.to, email.attempts, email.last_error
        )
        return False
    return True


# A row just published is given this long before a dispatch publishes it again, so a worker
# with a backlog does not receive every pending row once more each minute.
EMAIL_REDISPATCH_AFTER = timedelta(minutes=10)


@transaction.atomic
def email_dispatch_pending(*, older_than: timedelta = timedelta(minutes=1), limit: int = 10_000) -> int:
    """Publish again the pending mails no worker has taken: queued while the broker was
    down, lost with a killed worker, or due for a retry. Run every minute by beat; a task
    received twice sends nothing twice. Returns how many were published."""
    now = timezone.now()
    due = OutgoingEmail.objects.due(now=now, older_than=older_than).order_by("created_at", "pk")
    ids = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit])
    OutgoingEmail.objects.filter(pk__in=ids).update(next_attempt_at=now + EMAIL_REDISPATCH_AFTER)
    transaction.on_commit(partial(_enqueue_each, tasks.send_email_task, ids))
    return len(ids)


# --- Documents rendered by a worker (PDFs too big for the request) ---------------------------

# A document rendered less than this long ago from the same kind and parameters is given again.
DOCUMENT_REUSE_FOR = timedelta(hours=1)


@transaction.atomic
def document_request(*, kind: str, params: dict, user) -> DocumentRequest:
    """Record a request for a document, then (after the commit) ask a worker to render it.

    The same user asking again for a document still in preparation gets that request back; a
    document of the same kind and parameters rendered less than DOCUMENT_REUSE_FOR ago is
    given again without rendering (a new done row pointing to the same file when another
    user asked for it: a request is only ever seen by its requester)."""
    registry.document_renderer(kind)  # an unknown kind is refused now, not in the worker
    requested_by = user if user is not None and user.is_authenticated else None
    same = DocumentRequest.objects.filter(kind=kind, params=params)
    pending = same.filter(status=DocumentRequest.Status.PENDING, requested_by=requested_by).first()
    if pending is not None and requested_by is not None:
        return pending
    done = (
        same.filter(status=DocumentRequest.Status.DONE, done_at__gte=timezone.now() - DOCUMENT_REUSE_FOR)
        .exclude(file="")
        .order_by("-done_at", "-pk")
        .first()
    )
    if done is not None:
        if done.requested_by_id == getattr(requested_by, "pk", None):
            return done
        return DocumentRequest.objects.create(
            kind=kind,
            params=params,
            requested_by=requested_by,
            status=DocumentRequest.Status.DONE,
            file=done.file.name,
            filename=done.filename,
            done_at=done.done_at,
        )
    document = DocumentRequest.objects.create(kind=kind, params=params, requested_by=requested_by)
    transaction.on_commit(partial(_enqueue_each, tasks.render_document_task, [document.pk]))
    return document


def document_render(*, request_id: int) -> bool:
    """Render one pending document; True if it is done now.

    The row is locked while rendering (`SKIP LOCKED`: a second worker given the same id moves
    on) and only a pending one is rendered, so a task received twice renders once. An error is
    kept on the row; the request fails after DocumentRequest.MAX_ATTEMPTS attempts and stays
    pending for the dispatch before that."""
    with transaction.atomic():
        document = (
            DocumentRequest.objects.select_for_update(skip_locked=True)
            .filter(pk=request_id, status=DocumentRequest.Status.PENDING)
            .first()
        )
        if document is None:
            return False  # done, failed, or another worker holds it right now
        document.attempts += 1
        try:
            with transaction.atomic():  # a failed query in the renderer must not spoil the mark below
                filename, content = registry.document_renderer(document.kind).render(**document.params)
        except Exception as error:  # noqa: BLE001 (any renderer error is kept on the row)
            document.error = f"{type(error).__name__}: {error}"[:2000]
            if document.attempts >= DocumentRequest.MAX_ATTEMPTS:
                document.status = DocumentRequest.Status.FAILED
            document.save(update_fields=["attempts", "error", "status"])
            logger.warning(
                "Document %s (%s) not rendered (attempt %s): %s",
                document.pk,
                document.kind,
                document.attempts,
                document.error,
            )
            return False
        document.file.save(filename, ContentFile(content), save=False)
        document.filename = filename
        document.status, document.done_at, document.error = DocumentRequest.Status.DONE, timezone.now(), ""
        document.save(update_fields=["attempts", "file", "filename", "status", "done_at", "error"])
    return True


@transaction.atomic
def document_retry(*, document: DocumentRequest) -> bool:
    """Ask again for a failed document (the requester's "Réessayer"): pending with its
    attempts back to zero, then published after the commit. False if it had not failed."""
    count = DocumentRequest.objects.filter(pk=document.pk, status=DocumentRequest.Status.FAILED).update(
        status=DocumentRequest.Status.PENDING, attempts=0, created_at=timezone.now()
    )
    if count:
        transaction.on_commit(partial(_enqueue_each, tasks.render_document_task, [document.pk]))
    return bool(count)


@transaction.atomic
def document_dispatch_pending(*, older_than: timedelta = timedelta(minutes=2), limit: int = 1_000) -> int:
    """Publish again the pending documents no worker has rendered: asked for while the broker
    was down, lost with a killed worker, or after a failed attempt. Run every minute by beat;
    a task received twice renders once. Returns how many were published."""
    due = DocumentRequest.objects.filter(
        status=DocumentRequest.Status.PENDING, created_at__lt=timezone.now() - older_than
    ).order_by("created_at", "pk")
    ids = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit])
    transaction.on_commit(partial(_enqueue_each, tasks.render_document_task, ids))
    return len(ids)
