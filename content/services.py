"""What the content app does: functions that change state, one transaction each (STYLE.md).

News: draft → (submitted for review) → published at a date, or sent back to its author with a note.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from content.extract import document_text
from content.models import (
    PAGE_REVIEW_DAYS,
    Answer,
    Document,
    DocumentVersion,
    Editor,
    FeedToken,
    Folder,
    News,
    Page,
    PageRevision,
    Question,
    feed_token_new,
)
from content.permissions import (
    can_add_documents,
    can_edit_document,
    can_edit_news,
    can_edit_page,
    can_manage_library,
    can_manage_pages,
    can_mark_useful,
    can_moderate_questions,
    can_publish_news,
    can_use_managers_space,
    can_write_news,
)
from content.text import html_to_text, search_text, search_vector_refresh
from intranet import workqueue
from intranet.audiences import AudienceSpec, audience_is_every_agent
from intranet.images import photo_reencode
from intranet.links import absolute_url
from intranet.sanitize import sanitize
from intranet.services import audit_log_record, email_queue
from intranet.uploads import document_check

logger = logging.getLogger(__name__)

NEWS_FIELDS = ("title", "summary", "body", "image_alt", "featured", "expires_at")


def news_index(news: News) -> None:
    news.search_text = search_text(news.title, news.summary, html_to_text(news.body))


def _news_apply(news: News, *, data: dict, audience: AudienceSpec, image, remove_image: bool) -> None:
    for name in NEWS_FIELDS:
        if name in data:
            setattr(news, name, data[name])
    news.title = news.title.strip()
    news.summary = news.summary.strip()
    news.body = sanitize(news.body, allow_list="rich_text")
    news.audience = audience.to_json()
    news.audience_everyone = audience_is_every_agent(audience)
    news.audience_partners = audience.partners
    news.audience_named = bool(audience.agents)
    if remove_image and news.image:
        news.image.delete(save=False)
        news.image = ""
    if image is not None:
        if news.image:
            news.image.delete(save=False)
        news.image.save("image.jpg", photo_reencode(image), save=False)
    if news.image and not news.image_alt.strip():
        raise ValidationError({"image_alt": _("Décrivez l'image pour qui ne la voit pas.")})
    if news.expires_at and news.publish_at and news.expires_at <= news.publish_at:
        raise ValidationError({"expires_at": _("Le retrait de l'accueil doit suivre la publication.")})
    news_index(news)
    news.updated_at = timezone.now()


@transaction.atomic(durable=True)
def news_create(*, user, data: dict, audience: AudienceSpec, image=None) -> News:
    """A new draft by `user` (an editor, HR or communication)."""
    if not can_write_news(user):
        raise PermissionDenied
    news = News(author=user, author_label=user.get_full_name())
    _news_apply(news, data=data, audience=audience, image=image, remove_image=False)
    news.save()
    search_vector_refresh(News, [news.pk])
    return news


@transaction.atomic(durable=True)
def news_update(*, news: News, user, data: dict, audience: AudienceSpec, image=None, remove_image=False) -> News:
    news = News.objects.select_for_update().get(pk=news.pk)
    if not can_edit_news(user, news):
        raise PermissionDenied
    _news_apply(news, data=data, audience=audience, image=image, remove_image=remove_image)
    news.save()
    search_vector_refresh(News, [news.pk])
    if news.status == News.Status.PUBLISHED:
        audit_log_record(actor=user, action="news.update_published", target=news)
    return news


@transaction.atomic(durable=True)
def news_submit(*, news: News, user) -> News:
    """The author hands the draft to the communication officers (their « À faire »)."""
    news = News.objects.select_for_update().get(pk=news.pk)
    if not can_edit_news(user, news):
        raise PermissionDenied
    if news.status != News.Status.DRAFT:
        raise ValidationError(_("Cette actualité n'est pas un brouillon."))
    news.status = News.Status.REVIEW
    news.submitted_at = timezone.now()
    news.save(update_fields=["status", "submitted_at"])
    return news


@transaction.atomic(durable=True)
def news_publish(*, news: News, user, publish_at: datetime | None = None) -> News:
    """Publish now, or at `publish_at` (a scheduled publication: readers see it from then on).
    The author, when someone else, is told by e-mail."""
    news = News.objects.select_for_update().get(pk=news.pk)
    if not can_publish_news(user):
        raise PermissionDenied
    if news.status == News.Status.PUBLISHED:
        raise ValidationError(_("Cette actualité est déjà publiée."))
    publish_at = publish_at or timezone.now()
    if news.expires_at and news.expires_at <= publish_at:
        raise ValidationError(
            {
                "publish_at": _("La publication doit précéder le retrait de l'accueil (%(date)s).")
                % {"date": f"{timezone.localtime(news.expires_at):%d/%m/%Y %H:%M}"}
            }
        )
    news.status = News.Status.PUBLISHED
    news.publish_at = publish_at
    news.published_by = user
    news.review_note = ""
    news.save(update_fields=["status", "publish_at", "published_by", "review_note"])
    audit_log_record(actor=user, action="news.publish", target=news)
    if news.author_id and news.author_id != user.pk and news.author.is_active:
        _author_mail(news, template="content/email/news_published.txt", subject=_("Votre actualité est publiée"))
    return news


@transaction.atomic(durable=True)
def news_return(*, news: News, user, note: str) -> News:
    """Send a submitted draft back to its author with what to change (e-mailed to them)."""
    news = News.objects.select_for_update().get(pk=news.pk)
    if not can_publish_news(user):
        raise PermissionDenied
    if news.status != News.Status.REVIEW:
        raise ValidationError(_("Cette actualité n'attend pas de relecture."))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Dites à l'auteur ce qu'il faut changer.")})
    news.status = News.Status.DRAFT
    news.review_note = note
    news.save(update_fields=["status", "review_note"])
    if news.author_id and news.author.is_active:
        _author_mail(news, template="content/email/news_returned.txt", subject=_("Votre actualité est à reprendre"))
    return news


@transaction.atomic(durable=True)
def news_unpublish(*, news: News, user) -> News:
    """Withdraw a published item: a draft again, read by nobody but its writers."""
    news = News.objects.select_for_update().get(pk=news.pk)
    if not can_publish_news(user):
        raise PermissionDenied
    news.status = News.Status.DRAFT
    news.save(update_fields=["status"])
    audit_log_record(actor=user, action="news.unpublish", target=news)
    return news


@transaction.atomic(durable=True)
def news_delete(*, news: News, user) -> None:
    news = News.objects.select_for_update().get(pk=news.pk)
    if not can_edit_news(user, news):
        raise PermissionDenied
    if news.status == News.Status.PUBLISHED:
        raise ValidationError(_("Retirez d'abord l'actualité avant de la supprimer."))
    image = news.image.name if news.image else ""
    news.delete()
    if image:
        storage = News._meta.get_field("image").storage
        transaction.on_commit(lambda: storage.delete(image))


def _author_mail(news: News, *, template: str, subject: str) -> None:
    context = {"news": news, "url": absolute_url(reverse("content:news-edit", args=[news.pk]))}
    if news.status == News.Status.PUBLISHED:
        context["url"] = absolute_url(news.get_absolute_url())
    email_queue(
        to=news.author.email,
        subject=f"{subject} : {news.title}"[:255],
        text=render_to_string(template, context),
        kind="content.news",
    )


# --- Editors and feeds -----------------------------------------------------------------------


@transaction.atomic(durable=True)
def editor_add(*, agent, user) -> Editor:
    if not can_publish_news(user):
        raise PermissionDenied
    if agent.is_external or not agent.is_active:
        raise ValidationError({"agent": _("Seul un agent actif de l'administration peut rédiger des actualités.")})
    editor, created = Editor.objects.get_or_create(agent=agent, defaults={"added_by": user})
    if not created:
        raise ValidationError({"agent": _("%(name)s rédige déjà des actualités.") % {"name": agent.get_full_name()}})
    audit_log_record(actor=user, action="news.editor_add", target=agent)
    return editor


@transaction.atomic(durable=True)
def editor_remove(*, editor: Editor, user) -> None:
    if not can_publish_news(user):
        raise PermissionDenied
    audit_log_record(actor=user, action="news.editor_remove", target=editor.agent)
    editor.delete()


def feed_token_get(*, agent) -> FeedToken:
    """The person's feed secret, made on first use."""
    token, _created = FeedToken.objects.get_or_create(agent=agent)
    return token


@transaction.atomic(durable=True)
def feed_token_reset(*, agent) -> FeedToken:
    """A new secret: the old address of the feed stops working."""
    token, created = FeedToken.objects.select_for_update().get_or_create(agent=agent)
    if not created:
        token.token = feed_token_new()
        token.created_at = timezone.now()
        token.save(update_fields=["token", "created_at"])
    return token


# --- Pages -----------------------------------------------------------------------------------


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


# --- The library -----------------------------------------------------------------------------

TEXT_KINDS = frozenset({"pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp"})
RESERVED_FOLDER_SLUGS = frozenset({"documents", "dossiers", "nouveau"})
TEXTS = "content.texts"  # the workqueue slot of the text extraction


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


def document_index(document: Document) -> None:
    """The document's words for the search: title, description and its current version's text."""
    text = document.current.text if document.current_id else ""
    document.search_text = search_text(document.title, document.description, text)


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


def texts_extract_task():
    from content.tasks import document_texts_extract_task

    return document_texts_extract_task


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


# --- The managers' questions and answers -------------------------------------------------------


def _rich_text_required(body: str, field: str) -> str:
    cleaned = sanitize(body or "", allow_list="rich_text")
    if not html_to_text(cleaned).strip():
        raise ValidationError({field: _("Écrivez quelques mots.")})
    return cleaned


@transaction.atomic(durable=True)
def question_ask(*, user, title: str, body: str = "") -> Question:
    if not can_use_managers_space(user):
        raise PermissionDenied
    cleaned = sanitize(body or "", allow_list="rich_text")
    question = Question.objects.create(
        title=title.strip(),
        body=cleaned if html_to_text(cleaned).strip() else "",
        author=user,
        author_label=user.get_full_name(),
    )
    return question


@transaction.atomic(durable=True)
def answer_post(*, user, question: Question, body: str) -> Answer:
    """An answer; the asker is told by e-mail (through the outbox) unless they answered themselves."""
    if not can_use_managers_space(user):
        raise PermissionDenied
    question = Question.objects.select_for_update(of=("self",)).select_related("author").get(pk=question.pk)
    if question.is_hidden:
        raise ValidationError(_("Cette question a été masquée : on ne peut plus y répondre."))
    answer = Answer.objects.create(
        question=question, body=_rich_text_required(body, "body"), author=user, author_label=user.get_full_name()
    )
    Question.objects.filter(pk=question.pk).update(answer_count=F("answer_count") + 1, last_answer_at=answer.created_at)
    asker = question.author
    if asker is not None and asker.pk != user.pk and asker.is_active and asker.email:
        email_queue(
            to=asker.email,
            subject=_("Réponse à votre question : %(title)s") % {"title": question.title},
            text=render_to_string(
                "content/email/question_answered.txt",
                {
                    "question": question,
                    "answer": answer,
                    "answer_text": html_to_text(answer.body),
                    "url": absolute_url(question.get_absolute_url()) + f"#reponse-{answer.pk}",
                },
            ),
            kind="content.question",
        )
    return answer


@transaction.atomic(durable=True)
def answer_mark_useful(*, user, question: Question, answer: Answer | None) -> Question:
    """The asker marks the answer that helped them (None: no answer marked any more)."""
    if not can_mark_useful(user, question):
        raise PermissionDenied
    if answer is not None and (answer.question_id != question.pk or answer.is_hidden):
        raise ValidationError(_("Cette réponse ne peut pas être retenue."))
    question.useful_answer = answer
    question.save(update_fields=["useful_answer"])
    return question


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Dites pourquoi : l'auteur et les autres modérateurs le liront.")})
    return reason[:300]


@transaction.atomic(durable=True)
def question_hide(*, user, question: Question, reason: str) -> Question:
    if not can_moderate_questions(user):
        raise PermissionDenied
    question.hidden_reason = _reason(reason)
    question.hidden_at, question.hidden_by = timezone.now(), user
    question.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    audit_log_record(
        actor=user, action="managers.question_hide", target=question, details={"motif": question.hidden_reason}
    )
    return question


@transaction.atomic(durable=True)
def answer_hide(*, user, answer: Answer, reason: str) -> Answer:
    if not can_moderate_questions(user):
        raise PermissionDenied
    answer.hidden_reason = _reason(reason)
    answer.hidden_at, answer.hidden_by = timezone.now(), user
    answer.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    Question.objects.filter(pk=answer.question_id).update(answer_count=F("answer_count") - 1)
    Question.objects.filter(pk=answer.question_id, useful_answer=answer).update(useful_answer=None)
    audit_log_record(actor=user, action="managers.answer_hide", target=answer, details={"motif": answer.hidden_reason})
    return answer
