"""News and who writes them: functions that change state, one transaction each (STYLE.md).

News: draft → (submitted for review) → published at a date, or sent back to its author with a note.
The editors (who may write) and each person's Atom feed secret live here too.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from content.models import Editor, FeedToken, News, feed_token_new
from content.permissions import can_edit_news, can_publish_news, can_write_news
from content.text import html_to_text, search_text, search_vector_refresh
from intranet.audiences import AudienceSpec, audience_is_every_agent
from intranet.images import photo_reencode
from intranet.links import absolute_url
from intranet.sanitize import sanitize
from intranet.services import audit_log_record, email_queue

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
