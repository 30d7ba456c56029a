"""What the core does: functions that change state."""

import base64
import contextlib
import logging
import smtplib
import time
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, close_old_connections, models, transaction
from django.db import connection as db_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext, override

from intranet import smtp, tasks, workqueue
from intranet.links import absolute_url
from intranet.models import Agent, AuditLogEntry, DocumentRequest, Heartbeat, OutgoingEmail
from intranet.registry import registry
from intranet.selectors import TODO_PAGE_LIMIT, todo_inbox

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


# --- Documents rendered by a worker (PDFs too big for the request) ---------------------------

# A document rendered less than this long ago from the same kind and parameters is given again.
DOCUMENT_REUSE_FOR = timedelta(hours=1)
DOCUMENT_PROGRESS_SECONDS = 3600


def _document_progress_key(document_id: int) -> str:
    return f"document:{document_id}:progress"


def document_progress_record(document_id: int, done: int, total: int) -> None:
    """How far a renderer that works in parts is (`DocumentRenderer.reports_progress`). Kept in the
    cache, not the row: the row is locked by the rendering's transaction until it is done."""
    cache.set(_document_progress_key(document_id), (done, total), DOCUMENT_PROGRESS_SECONDS)


def document_progress(document_id: int) -> tuple[int, int] | None:
    """(done, total) of a document being rendered in parts, or None."""
    return cache.get(_document_progress_key(document_id))


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
    workqueue.publish_on_commit(tasks.render_pending_documents_task)
    return document


def document_render(*, request_id: int) -> bool:
    """Render one pending document; True if it is done now (see `_document_render_one`)."""
    return _document_render_one(request_id=request_id) is True


def _document_render_one(*, request_id: int | None = None) -> bool | None:
    """Render one pending document (that one, or the oldest); True if it is done now, False if it
    failed this time, None when there was none to take.

    The attempt is counted and committed first, so a document whose rendering kills its worker
    fails after DocumentRequest.MAX_ATTEMPTS instead of killing workers for ever. The row is then
    locked while rendering (`SKIP LOCKED`: a second worker passes over it) and only a pending one
    is rendered, so a task received twice renders once. An error is kept on the row."""
    pending = DocumentRequest.objects.select_for_update(skip_locked=True).filter(status=DocumentRequest.Status.PENDING)
    with transaction.atomic():
        claim = pending.filter(pk=request_id) if request_id is not None else pending.order_by("created_at", "pk")
        document = claim.only("pk").first()
        if document is None:
            return None  # done, failed, or another worker holds it right now
        DocumentRequest.objects.filter(pk=document.pk).update(attempts=models.F("attempts") + 1)
    with transaction.atomic():
        document = pending.filter(pk=document.pk).first()
        if document is None:
            return None  # taken by another worker in between
        try:
            with transaction.atomic():  # a failed query in the renderer must not spoil the mark below
                renderer = registry.document_renderer(document.kind)
                extra = {}
                if renderer.reports_progress:
                    extra["progress"] = partial(document_progress_record, document.pk)
                filename, content = renderer.render(**document.params, **extra)
        except Exception as error:  # noqa: BLE001 (any renderer error is kept on the row)
            document.error = f"{type(error).__name__}: {error}"[:2000]
            if document.attempts >= DocumentRequest.MAX_ATTEMPTS:
                document.status = DocumentRequest.Status.FAILED
            document.save(update_fields=["error", "status"])
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
        document.save(update_fields=["file", "filename", "status", "done_at", "error"])
    return True


DOCUMENTS = "intranet.documents"  # the document renderers' slot (intranet.workqueue)


def document_render_pending(*, seconds: float | None = None) -> dict:
    """Render the pending documents, oldest first, for at most `seconds`
    (settings.WORK_BATCH_SECONDS), then publish the continuation when some are left. One renderer
    at a time (WeasyPrint uses one core; a second task exits at once). Returns counts."""
    counts = {"done": 0, "failed": 0}
    more = False
    with workqueue.slot(DOCUMENTS) as taken:
        if taken is None:
            return counts
        deadline = time.monotonic() + (workqueue.batch_seconds() if seconds is None else seconds)
        while True:
            done = _document_render_one()
            if done is None:
                break
            counts["done" if done else "failed"] += 1
            if time.monotonic() > deadline or workqueue.stopping():
                more = True
                break
    if more:
        workqueue.publish(tasks.render_pending_documents_task)
    return counts


@transaction.atomic
def document_retry(*, document: DocumentRequest) -> bool:
    """Ask again for a failed document (the requester's "Réessayer"): pending with its
    attempts back to zero, then published after the commit. False if it had not failed."""
    count = DocumentRequest.objects.filter(pk=document.pk, status=DocumentRequest.Status.FAILED).update(
        status=DocumentRequest.Status.PENDING, attempts=0, created_at=timezone.now()
    )
    if count:
        workqueue.publish_on_commit(tasks.render_pending_documents_task)
    return bool(count)


def document_dispatch_pending(*, older_than: timedelta | None = None) -> int:
    """Recovery (beat, every tick): publish a renderer when documents asked for more than
    `older_than` ago (settings.WORK_STALLED_AFTER) are pending and no live worker renders (asked
    for while the broker was down, lost with a killed worker, after a failed attempt). Returns
    how many tasks were published (0 or 1)."""
    older_than = workqueue.stalled_after() if older_than is None else older_than
    if workqueue.held(DOCUMENTS):
        return 0
    due = DocumentRequest.objects.filter(
        status=DocumentRequest.Status.PENDING, created_at__lt=timezone.now() - older_than
    )
    if not due.exists():
        return 0
    return int(workqueue.publish(tasks.render_pending_documents_task))


# --- « À faire »: the weekly e-mail --------------------------------------------------------------


@transaction.atomic
def agent_todo_digest_set(*, agent, enabled: bool) -> None:
    """The person's choice: the weekly « À faire » e-mail on or off."""
    agent.todo_digest = enabled
    agent.save(update_fields=["todo_digest"])


def todo_digest_moment(*, now) -> datetime:
    """This week's digest time (the latest TODO_DIGEST_WEEKDAY at TODO_DIGEST_HOUR, local time,
    not after `now`): agents not considered since then are due."""
    local = timezone.localtime(now)
    days_back = (local.weekday() - settings.TODO_DIGEST_WEEKDAY) % 7
    moment = (local - timedelta(days=days_back)).replace(
        hour=settings.TODO_DIGEST_HOUR, minute=0, second=0, microsecond=0
    )
    return moment - timedelta(days=7) if moment > local else moment


def _todo_digest_due(moment):
    return (
        Agent.objects.active()
        .filter(todo_digest=True)
        .filter(Q(todo_digest_checked_at__isnull=True) | Q(todo_digest_checked_at__lt=moment))
    )


def todo_digest_email(*, agent, inbox) -> OutgoingEmail:
    """The digest's mail: the same groups and items as the « À faire » page, with absolute links."""
    with override(settings.LANGUAGE_CODE):
        groups = [
            {
                "label": entry.source.label,
                "count": entry.group.count,
                "late": entry.group.late,
                "more": entry.more,
                "url": absolute_url(entry.group.url) if entry.group.url else "",
                "items": [{"item": item, "url": absolute_url(item.url)} for item in entry.group.items],
            }
            for entry in inbox.entries
        ]
        context = {
            "agent": agent,
            "groups": groups,
            "count": inbox.count,
            "late": inbox.late,
            "todo_url": absolute_url(reverse("intranet:todo")),
            "site_name": settings.SITE_NAME,
        }
        subject = ngettext(
            "À faire : %(count)s chose vous attend sur l'intranet",
            "À faire : %(count)s choses vous attendent sur l'intranet",
            inbox.count,
        ) % {"count": inbox.count}
        return email_queue(
            to=agent.email,
            subject=subject,
            text=render_to_string("intranet/email/todo_digest.txt", context),
            html=render_to_string("intranet/email/todo_digest.html", context),
            kind="intranet.todo_digest",
        )


def todo_digests_send(*, now=None, limit: int = 500) -> int:
    """The weekly « À faire » e-mail: to each active agent who keeps it on and has not been
    considered since this week's digest time, when something waits for them (nothing is sent
    otherwise). Each agent in their own transaction, their row locked (SKIP LOCKED) and marked
    considered with the mail queued, so two runs at once, or a run again, send nothing twice.
    Returns how many mails were queued."""
    now = now or timezone.now()
    moment = todo_digest_moment(now=now)
    today = timezone.localdate(now)
    sent = 0
    for pk in list(_todo_digest_due(moment).order_by("pk").values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            agent = _todo_digest_due(moment).select_for_update(skip_locked=True).filter(pk=pk).first()
            if agent is None:
                continue  # another run holds it, or took it already
            if agent.email and agent.has_mailbox:
                inbox = todo_inbox(user=agent, today=today, limit=TODO_PAGE_LIMIT)
                if inbox.count:
                    todo_digest_email(agent=agent, inbox=inbox)
                    sent += 1
            agent.todo_digest_checked_at = now
            agent.save(update_fields=["todo_digest_checked_at"])
    return sent


def heartbeat_record(*, key: str) -> None:
    """A background process (« worker », « beat ») says it is alive; the health page reads it.
    Never raises: a process that cannot reach the database is reported by its silence."""
    if not db_connection.in_atomic_block:
        close_old_connections()  # a long-lived process (beat) after a database restart
    try:
        Heartbeat.objects.update_or_create(key=key, defaults={"at": timezone.now()})
    except DatabaseError as error:
        logger.warning("Heartbeat of %s not recorded: %s", key, error)
