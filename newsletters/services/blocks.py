"""An issue's blocks: text (sanitised), image (re-encoded), unit, survey, agenda, news; created,
changed, deleted, moved."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from intranet.images import photo_reencode
from intranet.sanitize import sanitize
from newsletters.models import Block, Issue
from newsletters.sanitize import rich_text_to_plain
from newsletters.services.issues import _delete_files, _editable, issue_reindex

AGENDA_MAX_ITEMS = 30


def agenda_parse(text: str) -> list[dict]:
    """Lines "JJ/MM/AAAA libellé" (a dash or a colon may follow the date) → [{"date", "label"}].
    Raises a ValidationError naming the first wrong line."""
    items = []
    for line_number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        head, _sep, rest = line.partition(" ")
        label = rest.strip().lstrip("-–—:").strip()
        try:
            day = datetime.strptime(head, "%d/%m/%Y").date()  # noqa: DTZ007 (a calendar date, no time)
        except ValueError:
            raise ValidationError(
                _("Ligne %(line)d : « %(value)s » ne commence pas par une date JJ/MM/AAAA.")
                % {"line": line_number, "value": line[:60]}
            ) from None
        if not label:
            raise ValidationError(_("Ligne %(line)d : le libellé manque après la date.") % {"line": line_number})
        items.append({"date": day.isoformat(), "label": label[:300]})
    if len(items) > AGENDA_MAX_ITEMS:
        raise ValidationError(_("Au plus %(max)d dates par bloc d'agenda.") % {"max": AGENDA_MAX_ITEMS})
    return sorted(items, key=lambda item: item["date"])


def agenda_format(block: Block) -> str:
    lines = []
    for item in block.data.get("items", []):
        day = date.fromisoformat(item["date"])
        lines.append(f"{day:%d/%m/%Y} {item['label']}")
    return "\n".join(lines)


def _apply_fields(block: Block, *, title, body, alt, caption, org_unit, survey, agenda, image, news) -> list[str]:
    """Copy the (cleaned) fields the block's kind uses; returns files to delete after the commit."""
    kind = block.kind
    old_files = []
    block.title = (title or "").strip()
    block.body = (
        sanitize(body, allow_list="rich_text") if kind in (Block.Kind.TEXT, Block.Kind.TEAM, Block.Kind.SURVEY) else ""
    )
    if kind == Block.Kind.TEXT and not rich_text_to_plain(block.body).strip():
        raise ValidationError({"body": _("Le texte est vide (ou ne contenait que des éléments non autorisés).")})
    if kind == Block.Kind.IMAGE:
        block.alt, block.caption = (alt or "").strip(), (caption or "").strip()
        if not block.alt:
            raise ValidationError({"alt": _("Décrivez l'image pour les personnes qui ne la voient pas.")})
        if image is not None:
            if block.image:
                old_files.append(block.image.name)
            encoded = photo_reencode(image)
            block.image.save(encoded.name, encoded, save=False)
        elif not block.image:
            raise ValidationError({"image": _("Choisissez une image.")})
    if kind == Block.Kind.TEAM:
        if org_unit is None:
            raise ValidationError({"org_unit": _("Choisissez l'équipe à présenter.")})
        block.org_unit = org_unit
    if kind == Block.Kind.SURVEY:
        if survey is None:
            raise ValidationError({"survey": _("Choisissez le questionnaire.")})
        block.survey = survey
    if kind == Block.Kind.AGENDA:
        items = agenda_parse(agenda)
        if not items:
            raise ValidationError({"agenda": _("Indiquez au moins une date.")})
        block.data = {"items": items}
    if kind == Block.Kind.NEWS:
        if not news:
            raise ValidationError({"news": _("Choisissez au moins une actualité.")})
        block.data = {"news": [int(pk) for pk in news]}
    return old_files


@transaction.atomic
def block_create(
    *,
    issue: Issue,
    kind: str,
    user,
    title: str = "",
    body: str = "",
    alt: str = "",
    caption: str = "",
    org_unit=None,
    survey=None,
    agenda: str = "",
    image=None,
    news: list[int] | None = None,
) -> Block:
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    _editable(issue)
    if kind not in Block.Kind.values:
        raise ValidationError(_("Type de bloc inconnu."))
    position = (issue.blocks.aggregate(last=Max("position"))["last"] or 0) + 1
    block = Block(issue=issue, kind=kind, position=position)
    _apply_fields(
        block,
        title=title,
        body=body,
        alt=alt,
        caption=caption,
        org_unit=org_unit,
        survey=survey,
        agenda=agenda,
        image=image,
        news=news,
    )
    block.save()
    issue_reindex(issue)
    return block


@transaction.atomic
def block_update(
    *,
    block: Block,
    user,
    title: str = "",
    body: str = "",
    alt: str = "",
    caption: str = "",
    org_unit=None,
    survey=None,
    agenda: str = "",
    image=None,
    news: list[int] | None = None,
) -> Block:
    issue = Issue.objects.select_for_update().get(pk=block.issue_id)
    _editable(issue)
    block = Block.objects.get(pk=block.pk)
    old_files = _apply_fields(
        block,
        title=title,
        body=body,
        alt=alt,
        caption=caption,
        org_unit=org_unit,
        survey=survey,
        agenda=agenda,
        image=image,
        news=news,
    )
    block.save()
    issue_reindex(issue)
    transaction.on_commit(partial(_delete_files, old_files))
    return block


@transaction.atomic
def block_delete(*, block: Block, user) -> None:
    issue = Issue.objects.select_for_update().get(pk=block.issue_id)
    _editable(issue)
    files = [block.image.name] if block.image else []
    block.delete()
    _renumber(issue)
    issue_reindex(issue)
    transaction.on_commit(partial(_delete_files, files))


def _renumber(issue: Issue) -> list[Block]:
    blocks = list(issue.blocks.order_by("position", "pk"))
    for index, block in enumerate(blocks, start=1):
        if block.position != index:
            block.position = index
            block.save(update_fields=["position"])
    return blocks


@transaction.atomic
def block_move(*, block: Block, direction: str, user) -> Block:
    """Swap the block with its neighbour ("up" or "down"); nothing at either end."""
    issue = Issue.objects.select_for_update().get(pk=block.issue_id)
    _editable(issue)
    if direction not in ("up", "down"):
        raise ValidationError(_("Sens de déplacement inconnu."))
    blocks = _renumber(issue)
    index = next(i for i, item in enumerate(blocks) if item.pk == block.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(blocks):
        blocks[index].position, blocks[other].position = blocks[other].position, blocks[index].position
        blocks[index].save(update_fields=["position"])
        blocks[other].save(update_fields=["position"])
    return blocks[index]
