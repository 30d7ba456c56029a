"""Documents rendered by a worker (PDFs too big for the request): asked for, rendered once,
given again for an hour, retried, recovered (the renderers are `intranet.registry.DocumentRenderer`)."""

import logging
import time
from datetime import timedelta
from functools import partial

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone

from intranet import tasks, workqueue
from intranet.models import DocumentRequest
from intranet.registry import registry

logger = logging.getLogger(__name__)

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
