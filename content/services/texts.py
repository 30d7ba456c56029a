"""The library's words for the search: a document's index, and the text of its files extracted by
the worker (a workqueue slot, a batch, beat's recovery when the broker lost the request)."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from content.extract import document_text
from content.models import Document, DocumentVersion
from content.text import search_text, search_vector_refresh
from intranet import workqueue

logger = logging.getLogger(__name__)


TEXT_KINDS = frozenset({"pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp"})


TEXTS = "content.texts"  # the workqueue slot of the text extraction


def document_index(document: Document) -> None:
    """The document's words for the search: title, description and its current version's text."""
    text = document.current.text if document.current_id else ""
    document.search_text = search_text(document.title, document.description, text)


def texts_extract_task():
    from content.tasks import document_texts_extract_task

    return document_texts_extract_task


def document_version_extract(*, version_id: int) -> bool:
    """Extract one pending version's text (the worker), then index its document when the version is
    still the current one. False when there was nothing to do."""
    with transaction.atomic():
        version = (
            DocumentVersion.objects.select_for_update(skip_locked=True)
            .filter(pk=version_id, text_status=DocumentVersion.TextStatus.PENDING)
            .first()
        )
        if version is None:
            return False
        try:
            with version.file.open("rb") as stored:
                data = stored.read()
            version.text = document_text(data, version.kind)
            version.text_status = DocumentVersion.TextStatus.DONE if version.text else DocumentVersion.TextStatus.NONE
        except Exception:  # a file pypdf or the XML reader cannot read: searchable by its title only
            logger.warning("No text from document version %s", version.pk, exc_info=True)
            version.text, version.text_status = "", DocumentVersion.TextStatus.FAILED
        version.save(update_fields=["text", "text_status"])
        document = (
            Document.objects.select_for_update(of=("self",)).select_related("current").get(pk=version.document_id)
        )
        if document.current_id == version.pk:
            document.current = version
            document_index(document)
            document.save(update_fields=["search_text"])
            search_vector_refresh(Document, [document.pk])
    return True


def document_texts_extract_pending(*, seconds: float | None = None) -> int:
    """Extract every pending text, oldest first, for at most `seconds` (the worker's batch)."""
    started, done = time.monotonic(), 0
    limit = workqueue.batch_seconds() if seconds is None else seconds
    with workqueue.slot(TEXTS) as slot:
        if slot is None:
            return 0
        for version_id in (
            DocumentVersion.objects.filter(text_status=DocumentVersion.TextStatus.PENDING)
            .order_by("uploaded_at", "pk")
            .values_list("pk", flat=True)[:500]
        ):
            done += document_version_extract(version_id=version_id)
            if time.monotonic() - started > limit or workqueue.stopping():
                workqueue.publish(texts_extract_task())
                break
    return done


def document_texts_dispatch_pending(*, older_than: timedelta | None = None) -> int:
    """Recovery (beat): publish the extraction when texts wait since before `older_than` and no live
    worker extracts (asked for while the broker was down, lost with a killed worker)."""
    older_than = workqueue.stalled_after() if older_than is None else older_than
    if workqueue.held(TEXTS):
        return 0
    due = DocumentVersion.objects.filter(
        text_status=DocumentVersion.TextStatus.PENDING, uploaded_at__lt=timezone.now() - older_than
    )
    return int(workqueue.publish(texts_extract_task())) if due.exists() else 0
