"""An issue: numbered, created, changed, given its audience, deleted (its images after the commit)."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from intranet.audiences import AudienceSpec
from intranet.services import audit_log_record
from newsletters.models import Block, Issue
from newsletters.sanitize import rich_text_to_plain


def _editable(issue: Issue) -> None:
    if not issue.is_draft:
        raise ValidationError(_("Ce numéro a été envoyé : il ne peut plus être modifié."))


def issue_next_number() -> int:
    return (Issue.objects.aggregate(last=Max("number"))["last"] or 0) + 1


def _number_free(number: int, *, exclude: int | None = None) -> None:
    if number is None or number < 1:
        raise ValidationError({"number": _("Le numéro doit être un entier positif.")})
    if Issue.objects.filter(number=number).exclude(pk=exclude).exists():
        raise ValidationError({"number": _("Le numéro %(number)s existe déjà.") % {"number": number}})


def issue_reindex(issue: Issue) -> None:
    """The text the archive's search looks in: title, edito and every block's text."""
    parts = [str(issue.number), issue.title, issue.edito]
    for block in issue.blocks.select_related("org_unit"):
        parts += [block.title, rich_text_to_plain(block.body), block.alt, block.caption]
        parts += [str(item.get("label", "")) for item in block.data.get("items", [])]
        if block.kind == Block.Kind.TEAM:
            parts.append(block.data.get("unit", "") or (block.org_unit.name if block.org_unit_id else ""))
    issue.search_text = " ".join(" ".join(part.lower().split()) for part in parts if part)
    issue.save(update_fields=["search_text"])


@transaction.atomic
def issue_create(
    *, title: str, edito: str = "", user, number: int | None = None, audience: AudienceSpec | None = None
) -> Issue:
    number = number or issue_next_number()
    _number_free(number)
    if not (title or "").strip():
        raise ValidationError({"title": _("Le titre est obligatoire.")})
    issue = Issue(
        number=number,
        title=title.strip(),
        edito=(edito or "").strip(),
        audience=(audience or AudienceSpec(everyone=True)).to_json(),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    issue.full_clean()
    issue.save()
    issue_reindex(issue)
    audit_log_record(actor=user, action="newsletter.issue.create", target=issue)
    return issue


@transaction.atomic
def issue_update(*, issue: Issue, title: str, edito: str, number: int, user) -> Issue:
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    _editable(issue)
    _number_free(number, exclude=issue.pk)
    if not (title or "").strip():
        raise ValidationError({"title": _("Le titre est obligatoire.")})
    issue.title, issue.edito, issue.number = title.strip(), (edito or "").strip(), number
    issue.full_clean(exclude=["audience"])
    issue.save(update_fields=["title", "edito", "number"])
    issue_reindex(issue)
    return issue


@transaction.atomic
def issue_set_audience(*, issue: Issue, spec: AudienceSpec, user) -> Issue:
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    _editable(issue)
    if spec.is_empty:
        raise ValidationError(_("Choisissez au moins un destinataire."))
    issue.audience = spec.to_json()
    issue.save(update_fields=["audience"])
    return issue


@transaction.atomic
def issue_delete(*, issue: Issue, user) -> None:
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    _editable(issue)
    files = [block.image.name for block in issue.blocks.all() if block.image]
    audit_log_record(actor=user, action="newsletter.issue.delete", target=issue)
    issue.delete()
    transaction.on_commit(partial(_delete_files, files))


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        if name:
            default_storage.delete(name)
