"""The resource library: folders, documents and their versions (each file checked by its content)."""

from __future__ import annotations

import os
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from content.models import Document, DocumentVersion, Folder
from content.permissions import can_add_documents, can_edit_document, can_manage_library
from content.services.texts import TEXT_KINDS, document_index, texts_extract_task
from content.text import search_vector_refresh
from intranet import workqueue
from intranet.audiences import AudienceSpec, audience_is_every_agent
from intranet.services import audit_log_record
from intranet.uploads import document_check

RESERVED_FOLDER_SLUGS = frozenset({"documents", "dossiers", "nouveau"})


def _folder_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:70] or "dossier"
    slug, number = base, 2
    while slug in RESERVED_FOLDER_SLUGS or Folder.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _folder_apply(folder: Folder, *, title, description, parent, audience: AudienceSpec, moderator, position) -> None:
    ancestor = parent
    while ancestor is not None:
        if folder.pk and ancestor.pk == folder.pk:
            raise ValidationError(
                {"parent": _("Un dossier ne peut pas être rangé sous lui-même ni sous un de ses sous-dossiers.")}
            )
        ancestor = ancestor.parent
    folder.title, folder.description = title.strip(), (description or "").strip()
    folder.parent, folder.moderator, folder.position = parent, moderator, position or 0
    folder.audience = audience.to_json()
    folder.audience_everyone = audience.is_empty or audience_is_every_agent(audience)
    folder.audience_partners = audience.partners
    folder.audience_named = bool(audience.agents)


@transaction.atomic(durable=True)
def folder_create(
    *, user, title: str, description: str = "", parent=None, audience: AudienceSpec, moderator=None, position: int = 0
) -> Folder:
    if not can_manage_library(user):
        raise PermissionDenied
    folder = Folder()
    _folder_apply(
        folder,
        title=title,
        description=description,
        parent=parent,
        audience=audience,
        moderator=moderator,
        position=position,
    )
    folder.slug = _folder_slug(folder.title)
    folder.save()
    return folder


@transaction.atomic(durable=True)
def folder_update(
    *,
    folder: Folder,
    user,
    title: str,
    description: str = "",
    parent=None,
    audience: AudienceSpec,
    moderator=None,
    position: int = 0,
) -> Folder:
    folder = Folder.objects.select_for_update().get(pk=folder.pk)
    if not can_manage_library(user):
        raise PermissionDenied
    _folder_apply(
        folder,
        title=title,
        description=description,
        parent=parent,
        audience=audience,
        moderator=moderator,
        position=position,
    )
    folder.save()
    audit_log_record(actor=user, action="library.folder_update", target=folder)
    return folder


def _version_add(document: Document, *, user, upload, note: str) -> DocumentVersion:
    checked = document_check(upload)
    number = (document.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    stem = (
        os.path.splitext(os.path.basename(getattr(upload, "name", "") or ""))[0][:150] or slugify(document.title)[:60]
    )
    version = DocumentVersion(
        document=document,
        number=number,
        filename=f"{stem}.{checked.kind.extension}",
        kind=checked.kind.key,
        size=len(checked.data),
        sha256=checked.sha256,
        note=(note or "").strip()[:300],
        uploaded_by=user,
        uploaded_by_label=user.get_full_name(),
        text_status=DocumentVersion.TextStatus.PENDING
        if checked.kind.key in TEXT_KINDS
        else DocumentVersion.TextStatus.NONE,
    )
    version.file.save(f"{uuid.uuid4().hex}.{checked.kind.extension}", ContentFile(checked.data), save=False)
    stored = version.file.name
    try:
        version.save()
    except Exception:
        version.file.storage.delete(stored)
        raise
    if version.text_status == DocumentVersion.TextStatus.PENDING:
        workqueue.publish_on_commit(texts_extract_task())
    return version


@transaction.atomic(durable=True)
def document_create(
    *, user, folder: Folder, title: str, description: str = "", owner=None, review_on=None, upload, note: str = ""
) -> Document:
    """A new document in `folder` with its first version (the file checked by its content)."""
    if not can_add_documents(user, folder):
        raise PermissionDenied
    document = Document(
        folder=folder,
        title=title.strip(),
        description=(description or "").strip(),
        owner=owner or user,
        review_on=review_on,
    )
    document.save()
    try:
        document.current = _version_add(document, user=user, upload=upload, note=note or _("Première version"))
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    document_index(document)
    document.save(update_fields=["current", "search_text"])
    search_vector_refresh(Document, [document.pk])
    return document


@transaction.atomic(durable=True)
def document_update(
    *, document: Document, user, title: str, description: str = "", owner=None, review_on=None, folder=None
) -> Document:
    document = Document.objects.select_for_update(of=("self",)).select_related("folder", "current").get(pk=document.pk)
    if not can_edit_document(user, document):
        raise PermissionDenied
    if folder is not None and folder.pk != document.folder_id:
        if not (can_add_documents(user, folder) and can_add_documents(user, document.folder)):
            raise ValidationError({"folder": _("Vous ne pouvez pas déplacer ce document dans ce dossier.")})
        document.folder = folder
    document.title, document.description = title.strip(), (description or "").strip()
    document.owner, document.review_on = owner, review_on
    document.updated_at = timezone.now()
    document_index(document)
    document.save()
    search_vector_refresh(Document, [document.pk])
    return document


@transaction.atomic(durable=True)
def document_version_add(*, document: Document, user, upload, note: str = "") -> DocumentVersion:
    """A new version becomes the current one; the earlier ones stay downloadable."""
    document = Document.objects.select_for_update().select_related("folder").get(pk=document.pk)
    if not can_edit_document(user, document):
        raise PermissionDenied
    try:
        version = _version_add(document, user=user, upload=upload, note=note)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    document.current = version
    document.updated_at = timezone.now()
    document_index(document)
    document.save(update_fields=["current", "updated_at", "search_text"])
    search_vector_refresh(Document, [document.pk])
    return version


@transaction.atomic(durable=True)
def document_delete(*, document: Document, user) -> None:
    document = Document.objects.select_for_update().select_related("folder").get(pk=document.pk)
    if not can_add_documents(user, document.folder):
        raise PermissionDenied
    files = list(document.versions.values_list("file", flat=True))
    audit_log_record(actor=user, action="library.document_delete", target=document)
    document.current = None
    document.save(update_fields=["current"])
    document.delete()
    storage = DocumentVersion._meta.get_field("file").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in files])


def document_download_count(*, document: Document) -> None:
    """One more download (one UPDATE, no lock: downloads at the same moment all count)."""
    Document.objects.filter(pk=document.pk).update(download_count=F("download_count") + 1)
