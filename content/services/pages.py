"""The pages: written, moved, restored from their history, reviewed once a year by their owner."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from content.models import PAGE_REVIEW_DAYS, Page, PageRevision
from content.permissions import can_edit_page, can_manage_pages
from content.text import html_to_text, search_text, search_vector_refresh
from intranet.links import absolute_url
from intranet.sanitize import sanitize
from intranet.services import audit_log_record, email_queue


def _page_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:70] or "page"
    slug, number = base, 2
    while Page.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _page_check_parent(page: Page, parent: Page | None) -> None:
    ancestor = parent
    while ancestor is not None:
        if page.pk and ancestor.pk == page.pk:
            raise ValidationError(
                {"parent": _("Une page ne peut pas être rangée sous elle-même ni sous une de ses sous-pages.")}
            )
        ancestor = ancestor.parent


def _page_revision_add(page: Page, *, user, note: str, restored_from: int | None = None) -> PageRevision:
    last = page.revisions.aggregate(last=Max("number"))["last"] or 0
    return PageRevision.objects.create(
        page=page,
        number=last + 1,
        title=page.title,
        body=page.body,
        note=(note or "").strip()[:300],
        author=user,
        author_label=user.get_full_name(),
        restored_from=restored_from,
    )


def _page_index(page: Page) -> None:
    page.search_text = search_text(page.title, html_to_text(page.body))


@transaction.atomic(durable=True)
def page_create(
    *, user, title: str, body: str, parent: Page | None = None, owner=None, position: int = 0, note: str = ""
) -> Page:
    if not can_manage_pages(user):
        raise PermissionDenied
    page = Page(
        title=title.strip(), body=sanitize(body, allow_list="guide"), parent=parent, owner=owner, position=position
    )
    page.slug = _page_slug(page.title)
    _page_index(page)
    page.save()
    _page_revision_add(page, user=user, note=note or _("Création de la page"))
    search_vector_refresh(Page, [page.pk])
    return page


@transaction.atomic(durable=True)
def page_update(
    *, page: Page, user, title: str, body: str, note: str = "", parent=..., owner=..., position: int | None = None
) -> Page:
    """Save a page's new title and text (a new revision when they changed); communication may also
    move it (`parent`, `position`) and give it another owner."""
    page = Page.objects.select_for_update().get(pk=page.pk)
    if not can_edit_page(user, page):
        raise PermissionDenied
    manager = can_manage_pages(user)
    page.title, page.body = title.strip(), sanitize(body, allow_list="guide")
    if manager and parent is not ...:
        _page_check_parent(page, parent)
        page.parent = parent
    if manager and owner is not ...:
        page.owner = owner
    if manager and position is not None:
        page.position = position
    last = page.revisions.order_by("-number").first()
    changed = last is None or (last.title, last.body) != (page.title, page.body)
    page.updated_at = timezone.now() if changed else page.updated_at
    _page_index(page)
    page.save()
    if changed:
        _page_revision_add(page, user=user, note=note)
        search_vector_refresh(Page, [page.pk])
    return page


@transaction.atomic(durable=True)
def page_restore(*, page: Page, revision: PageRevision, user) -> Page:
    """Bring back an earlier state: a new revision with that title and text (the history keeps all)."""
    page = Page.objects.select_for_update().get(pk=page.pk)
    if not can_edit_page(user, page) or revision.page_id != page.pk:
        raise PermissionDenied
    page.title, page.body = revision.title, revision.body
    page.updated_at = timezone.now()
    _page_index(page)
    page.save()
    _page_revision_add(
        page,
        user=user,
        note=_("Retour à la version %(number)s") % {"number": revision.number},
        restored_from=revision.number,
    )
    search_vector_refresh(Page, [page.pk])
    audit_log_record(actor=user, action="page.restore", target=page, details={"revision": revision.number})
    return page


@transaction.atomic(durable=True)
def page_mark_reviewed(*, page: Page, user, today=None) -> Page:
    """The owner (or communication) confirms the page is still true: next review in a year."""
    page = Page.objects.select_for_update().get(pk=page.pk)
    if not can_edit_page(user, page):
        raise PermissionDenied
    page.reviewed_on = today or timezone.localdate()
    page.review_reminded_on = None
    page.save(update_fields=["reviewed_on", "review_reminded_on"])
    return page


@transaction.atomic(durable=True)
def page_delete(*, page: Page, user) -> None:
    page = Page.objects.select_for_update().get(pk=page.pk)
    if not can_manage_pages(user):
        raise PermissionDenied
    if page.children.exists():
        raise ValidationError(_("Déplacez ou supprimez d'abord ses sous-pages."))
    audit_log_record(actor=user, action="page.delete", target=page)
    page.delete()


def page_review_reminders_send(*, today=None) -> int:
    """Mail each owner whose page was last reviewed a year ago or more, once per review cycle
    (beat, daily; idempotent: `review_reminded_on`)."""
    today = today or timezone.localdate()
    due = Page.objects.filter(
        reviewed_on__lte=today - timedelta(days=PAGE_REVIEW_DAYS),
        review_reminded_on__isnull=True,
        owner__is_active=True,
    ).select_related("owner")
    sent = 0
    for page in due:
        with transaction.atomic():
            locked = Page.objects.select_for_update().filter(pk=page.pk, review_reminded_on__isnull=True).first()
            if locked is None:
                continue
            email_queue(
                to=page.owner.email,
                subject=_("Page à relire : %(title)s") % {"title": page.title},
                text=render_to_string(
                    "content/email/page_review.txt",
                    {"page": page, "url": absolute_url(page.get_absolute_url())},
                ),
                kind="content.page_review",
            )
            locked.review_reminded_on = today
            locked.save(update_fields=["review_reminded_on"])
            sent += 1
    return sent
