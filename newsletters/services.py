"""What the newsletter app does: write an issue and its blocks, render it (web, e-mail, text),
send a test to oneself, and send it through the mailing engine (`mailing.services`).

Every change of content goes through here: rich text is sanitised (nh3) and images re-encoded
(Pillow) before anything is stored, and a sent issue is never changed again.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import partial

import css_inline
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from intranet.audiences import AudienceSpec
from intranet.images import photo_reencode
from intranet.sanitize import sanitize
from intranet.services import audit_log_record, email_queue
from newsletters.content import (
    ANY_READER,
    EVERY_AGENT,
    FROZEN_KINDS,
    block_live_data,
    issue_plain_text,
    issue_view,
)
from newsletters.models import Block, Issue
from newsletters.sanitize import rich_text_to_plain

MAILING_KIND = "newsletter.issue"
TEST_KIND = "newsletter.test"
AGENDA_MAX_ITEMS = 30


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


# --- Blocks ----------------------------------------------------------------------------------


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        if name:
            default_storage.delete(name)


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


# --- Rendering ---------------------------------------------------------------------------------


def issue_subject(issue: Issue) -> str:
    return str(issue)


def issue_email_html(view: dict) -> str:
    """The e-mail's HTML: a light one-column layout, its CSS inlined for mail clients."""
    html = render_to_string("newsletters/email/issue.html", view)
    return css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False).inline(html)


def issue_render(*, issue: Issue, base_url: str = "") -> dict:
    """{"subject", "html", "text", "web_url"} of the issue as it would be sent now. The same
    message goes to every recipient: with partners among them it carries only links every
    reader may open (the web version, linked at its top, has the rest for agents)."""
    partners = AudienceSpec.from_json(issue.audience).partners
    view = issue_view(issue, base_url=base_url, reader=ANY_READER if partners else EVERY_AGENT)
    return {
        "subject": issue_subject(issue),
        "html": issue_email_html(view),
        "text": issue_plain_text(view),
        "web_url": view["web_url"],
    }


def issue_send_test(*, issue: Issue, user, base_url: str = ""):
    """The same multipart mail, to the user only, through the outbox."""
    if not getattr(user, "email", ""):
        raise ValidationError(_("Votre compte n'a pas d'adresse e-mail."))
    rendered = issue_render(issue=issue, base_url=base_url)
    with transaction.atomic():
        email = email_queue(
            to=user.email,
            subject=_("[Test] %(subject)s") % {"subject": rendered["subject"]},
            text=rendered["text"],
            html=rendered["html"],
            kind=TEST_KIND,
        )
    return email


def _valid_url(url: str) -> str:
    """The web version's address for the mailing's List-Archive header, or "" when the site's own
    host is not a public name (a test server, a bare host name): the mail's body links it anyway."""
    try:
        URLValidator()(url)
    except ValidationError:
        return ""
    return url


@transaction.atomic
def issue_send(
    *, issue: Issue, user, base_url: str = "", at: datetime | None = None, sent_before: datetime | None = None
):
    """Freeze the issue's automatic content, create its mailing and start it now (or schedule it
    for `at`). The mailing freezes the audience as one delivery row per recipient.
    `sent_before`: record an issue already sent on that date (a demo's history, an import): its
    deliveries are written as sent, nothing is mailed."""
    from mailing.services import mailing_create, mailing_record_sent, mailing_schedule, mailing_start

    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    _editable(issue)
    spec = AudienceSpec.from_json(issue.audience)
    if spec.is_empty:
        raise ValidationError(_("Choisissez le public de ce numéro avant de l'envoyer."))
    blocks = list(issue.blocks.select_related("org_unit__head", "survey"))
    if not blocks and not issue.edito.strip():
        raise ValidationError(_("Ce numéro est vide : ajoutez un édito ou au moins un bloc."))
    now = timezone.now()
    if at is not None and at <= now:
        raise ValidationError(_("La date d'envoi doit être dans le futur."))
    issue.status, issue.sent_at, issue.sent_by = Issue.Status.SENT, at or now, user
    for block in blocks:
        if block.kind in FROZEN_KINDS:
            block.data = block_live_data(block, issue)
            block.save(update_fields=["data"])
    issue.save(update_fields=["status", "sent_at", "sent_by"])
    issue_reindex(issue)
    rendered = issue_render(issue=issue, base_url=base_url)
    mailing = mailing_create(
        subject=rendered["subject"],
        html=rendered["html"],
        text=rendered["text"],
        audience=spec,
        created_by=user,
        kind=MAILING_KIND,
        web_url=_valid_url(rendered["web_url"]),
        source=issue,
    )
    if sent_before is not None:
        mailing = mailing_record_sent(mailing=mailing, sent_at=sent_before, user=user)
        Issue.objects.filter(pk=issue.pk).update(sent_at=sent_before)
    elif at is not None:
        mailing = mailing_schedule(mailing=mailing, at=at, user=user)
    else:
        mailing = mailing_start(mailing=mailing, user=user)
    audit_log_record(
        actor=user,
        action="newsletter.issue.send",
        target=issue,
        details={"mailing": mailing.pk, "at": (at or now).isoformat()},
    )
    return mailing
