"""Who reads which news (their audience), the archive, the writing desk, the review « À faire », the
editors, each person's feed, and what the newsletter quotes (the newsletter imports content, never
the other way round)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from content.models import Editor, FeedToken, News
from content.permissions import can_edit_news, can_publish_news, can_read_news, can_write_news
from intranet.audiences import AudienceSpec, audience_includes, audience_member
from intranet.fulltext import index_scans, text_match, title_first
from intranet.registry import TodoGroup, TodoItem
from intranet.selectors import todo_group_from_queryset

HOME_NEWS = 4
FEED_SIZE = 30


# --- Audiences ---------------------------------------------------------------------------------


def audience_q(queryset: QuerySet, *, user) -> Q:
    """The rows of `queryset` (a model with an `audience` and its copies `audience_everyone`,
    `audience_partners`, `audience_named`) whose audience holds `user`: the open ones are found in
    SQL, only the others' audiences are read (one query)."""
    member = audience_member(user)
    if member.internal:
        visible, others = Q(audience_everyone=True), queryset.filter(audience_everyone=False)
    else:
        visible, others = Q(audience_partners=True), queryset.filter(audience_partners=False, audience_named=True)
    ids = [
        pk
        for pk, audience in others.values_list("pk", "audience")
        if audience_includes(spec=AudienceSpec.from_json(audience), member=member)
    ]
    return visible | Q(pk__in=ids) if ids else visible


# --- News ------------------------------------------------------------------------------------


def news_list_visible(*, user, now: datetime | None = None) -> QuerySet[News]:
    """The published news `user` may read (their audience), newest first."""
    live = News.objects.live(now=now)
    return live.filter(audience_q(live, user=user)).select_related(None).order_by("-publish_at", "-pk")


def news_home(*, user, now: datetime | None = None) -> list[News]:
    """The home page's news: those « à la une » first, then the latest, none expired."""
    now = now or timezone.now()
    current = News.objects.current(now=now)
    current = current.filter(audience_q(current, user=user))
    return list(current.order_by("-featured", "-publish_at", "-pk")[:HOME_NEWS])


def news_archive(*, user, query: str = "", year: int | None = None, featured: bool = False) -> QuerySet[News]:
    news = news_list_visible(user=user)
    if year:
        news = news.filter(publish_at__year=year)
    if featured:
        news = news.filter(featured=True)
    if query:
        news = title_first(
            text_match(
                news,
                query,
                fields=["title", "summary"],
                title="title",
                vector="search_vector",
                normalised="search_text",
            ),
            query,
            title="title",
            newest="publish_at",
        )
    return news.defer("body", "search_text", "search_vector", "audience")


def news_archive_years(*, user) -> list[int]:
    dates = News.objects.live().dates("publish_at", "year", order="DESC")
    return [day.year for day in dates]


def news_get_readable(*, user, pk: int) -> News:
    """The item, or 404 when the user may not read it (its existence is not revealed)."""
    news = News.objects.select_related("author", "published_by").filter(pk=pk).first()
    if news is None or not can_read_news(user, news):
        raise Http404
    return news


def news_get_editable(*, user, pk: int) -> News:
    news = News.objects.select_related("author").filter(pk=pk).first()
    if news is None or not can_edit_news(user, news):
        raise Http404
    return news


def news_list_manage(*, user) -> dict:
    """The writing desk: what waits for review, the drafts, the scheduled and the latest
    published items (a publisher sees everyone's; an editor their own)."""
    news = News.objects.select_related("author").defer("body", "search_text", "search_vector")
    if not can_publish_news(user):
        news = news.filter(author=user)
    now = timezone.now()
    return {
        "review": list(news.filter(status=News.Status.REVIEW).order_by("submitted_at", "pk")),
        "drafts": list(news.filter(status=News.Status.DRAFT).order_by("-updated_at", "-pk")),
        "scheduled": list(news.filter(status=News.Status.PUBLISHED, publish_at__gt=now).order_by("publish_at")),
        "published": list(news.filter(status=News.Status.PUBLISHED, publish_at__lte=now).order_by("-publish_at")[:20]),
    }


def news_search(*, user, query: str, limit: int) -> list[News]:
    news = news_list_visible(user=user)
    found = text_match(
        news, query, fields=["title", "summary"], title="title", vector="search_vector", normalised="search_text"
    )
    ordered = title_first(found, query, title="title", newest="publish_at")
    with index_scans():
        return list(ordered.only("pk", "title", "summary", "publish_at")[:limit])


def todo_news_review(*, user, today, limit: int) -> TodoGroup | None:
    """« À faire », for communication: the news submitted for review, oldest first."""
    if not can_publish_news(user):
        return None
    waiting = News.objects.filter(status=News.Status.REVIEW).order_by("submitted_at", "pk")
    return todo_group_from_queryset(
        waiting.only("pk", "title", "author_label"),
        limit=limit,
        item=lambda news: TodoItem(
            title=news.title,
            url=reverse("content:news-review", args=[news.pk]),
            detail=_("proposée par %(author)s") % {"author": news.author_label},
        ),
        url=reverse("content:news-manage"),
    )


def todo_news_returned(*, user, today, limit: int) -> TodoGroup | None:
    """« À faire », for a writer: their drafts that communication sent back with a note."""
    if not can_write_news(user):
        return None
    returned = News.objects.filter(status=News.Status.DRAFT, author=user).exclude(review_note="")
    return todo_group_from_queryset(
        returned.only("pk", "title").order_by("-updated_at", "-pk"),
        limit=limit,
        item=lambda news: TodoItem(
            title=news.title, url=reverse("content:news-edit", args=[news.pk]), detail=_("renvoyée après relecture")
        ),
        url=reverse("content:news-manage"),
    )


def editor_list() -> QuerySet[Editor]:
    return Editor.objects.select_related("agent", "agent__org_unit").order_by("agent__last_name", "agent__first_name")


def feed_for_token(*, token: str) -> tuple[object, list[News]]:
    """The agent whose feed this secret opens, and their latest news; 404 for an unknown secret or
    an agent who left."""
    feed = FeedToken.objects.select_related("agent").filter(token=token).first()
    if feed is None or not feed.agent.is_active:
        raise Http404
    news = news_list_visible(user=feed.agent).select_related("author")[:FEED_SIZE]
    return feed.agent, list(news)


# --- What the newsletter quotes (the newsletter imports content, never the other way round) ---

NEWSLETTER_CHOICES = 30


def news_for_newsletter() -> QuerySet[News]:
    """The news a newsletter block may quote: the latest live items addressed to every agent."""
    return News.objects.live().filter(audience_everyone=True).only("pk", "title", "publish_at").order_by("-publish_at")


def news_newsletter_items(ids: list[int]) -> list[dict]:
    """The chosen items as the newsletter freezes them (site-relative links, ISO dates), in the
    order chosen; an item since withdrawn is left out."""
    found = {news.pk: news for news in News.objects.live().filter(pk__in=ids)}
    return [
        {
            "title": found[pk].title,
            "summary": found[pk].summary,
            "date": timezone.localtime(found[pk].publish_at).date().isoformat(),
            "url": found[pk].get_absolute_url(),
            "partners": found[pk].audience_partners,
        }
        for pk in ids
        if pk in found
    ]
