"""Materials shared with those registered: slides, documents, a recording's link."""

from __future__ import annotations

import os
import uuid
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from events.models import Event, Material, Session
from events.permissions import can_edit_event, can_run_session
from events.services.seats import _mail_session
from intranet.services import audit_log_record
from intranet.uploads import document_check


@transaction.atomic
def material_add(*, event: Event, user, title: str, kind: str, file=None, url: str = "", session=None) -> Material:
    """Slides or a document (checked by their bytes: intranet.uploads), or a link (a recording):
    shared with those registered (a session's own material with that session's), who are told by
    mail when their session has taken place."""
    if not can_edit_event(user, event) and not (session is not None and can_run_session(user, session)):
        raise PermissionDenied
    if session is not None and session.event_id != event.pk:
        raise ValidationError({"session": _("Cette séance n'est pas de cet événement.")})
    if bool(file) == bool(url):
        raise ValidationError(_("Joignez un fichier ou indiquez un lien (l'un ou l'autre)."))
    if not (title or "").strip():
        raise ValidationError({"title": _("Le titre est obligatoire.")})
    material = Material(event=event, session=session, title=title.strip(), kind=kind, url=url or "", added_by=user)
    if file:
        checked = document_check(file)
        stem = os.path.splitext(os.path.basename(getattr(file, "name", "") or ""))[0][:150] or slugify(title)[:60]
        material.file_kind, material.filename = checked.kind.key, f"{stem}.{checked.kind.extension}"
        material.file.save(f"{uuid.uuid4().hex}.{checked.kind.extension}", ContentFile(checked.data), save=False)
    try:
        material.full_clean()
        material.save()
    except Exception:
        if material.file:
            material.file.storage.delete(material.file.name)
        raise
    sessions = [session] if session is not None else list(event.sessions.filter(status=Session.Status.SCHEDULED))
    for held in sessions:
        if held.has_ended():
            transaction.on_commit(partial(_mail_session, held.pk, "materials"))
    audit_log_record(actor=user, action="event.material_add", target=event, details={"title": material.title})
    return material


@transaction.atomic
def material_delete(*, material: Material, user) -> None:
    if not can_edit_event(user, material.event):
        raise PermissionDenied
    if material.file:
        transaction.on_commit(partial(material.file.storage.delete, material.file.name))
    audit_log_record(
        actor=user, action="event.material_delete", target=material.event, details={"title": material.title}
    )
    material.delete()
