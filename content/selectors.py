"""Permission-aware reads of the content app, with what each page needs loaded in a fixed number
of queries."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

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
)
from content.permissions import (
    can_edit_news,
    can_manage_library,
    can_moderate_questions,
    can_publish_news,
    can_read_news,
    can_write_news,
    folder_audience_includes,
)
from content.text import html_to_text_lines
from intranet.audiences import AudienceSpec, audience_includes, audience_member
from intranet.fulltext import index_scans, text_match, title_first
from intranet.registry import TodoGroup, TodoItem
from intranet.roles import Role
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


# --- Pages -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TreeEntry:
    page: Page
    depth: int


def page_tree() -> list[TreeEntry]:
    """Every page in reading order (a parent before its sub-pages), with its depth: one query."""
    pages = list(Page.objects.only("pk", "title", "slug", "parent_id", "position", "reviewed_on", "owner_id"))
    children: dict[int | None, list[Page]] = {}
    for page in pages:
        children.setdefault(page.parent_id, []).append(page)
    ordered: list[TreeEntry] = []

    def walk(parent_id, depth):
        for page in sorted(children.get(parent_id, []), key=lambda p: (p.position, p.title.lower(), p.pk)):
            ordered.append(TreeEntry(page=page, depth=depth))
            walk(page.pk, depth + 1)

    walk(None, 0)
    return ordered


def page_get(*, slug: str) -> Page:
    return get_object_or_404(Page.objects.select_related("owner", "parent"), slug=slug)


def page_ancestors(page: Page) -> list[Page]:
    """The pages above `page`, the top one first (one query: the tree's parents)."""
    parents = dict(Page.objects.values_list("pk", "parent_id"))
    titles = {pk: (title, slug) for pk, title, slug in Page.objects.values_list("pk", "title", "slug")}
    chain, current = [], page.parent_id
    while current is not None and current not in [p.pk for p in chain]:
        title, slug = titles[current]
        chain.append(Page(pk=current, title=title, slug=slug))
        current = parents.get(current)
    return list(reversed(chain))


def page_children(page: Page) -> list[Page]:
    return list(page.children.only("pk", "title", "slug", "position").order_by("position", "title"))


def page_revisions(page: Page) -> QuerySet[PageRevision]:
    return page.revisions.defer("body").order_by("-number")


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "added", "removed", "same", "skipped" (`text` then says how many paragraphs)
    text: str


DIFF_CONTEXT = 1  # unchanged paragraphs kept around a change


def _paragraphs(html_text: str) -> list[str]:
    """A page's text as paragraphs (one per block element), for the comparison of two versions."""
    separated = re.sub(r"</(t[dh])>", " · ", html_text or "")
    separated = re.sub(r"</(p|h[1-6]|li|tr|blockquote)>|<br\s*/?>", "\n", separated)
    return [line.strip() for line in html_to_text_lines(separated) if line.strip()]


def revision_diff(*, older: PageRevision | None, newer: PageRevision) -> list[DiffLine]:
    """What changed between two versions, paragraph by paragraph (the title first)."""
    before = ([older.title] + _paragraphs(older.body)) if older else []
    after = [newer.title] + _paragraphs(newer.body)
    lines = []
    for entry in difflib.ndiff(before, after):
        code, text = entry[:2], entry[2:]
        if code == "+ ":
            lines.append(DiffLine("added", text))
        elif code == "- ":
            lines.append(DiffLine("removed", text))
        elif code == "  ":
            lines.append(DiffLine("same", text))
    return _diff_condensed(lines) if older else lines


def _diff_condensed(lines: list[DiffLine]) -> list[DiffLine]:
    """Long runs of unchanged paragraphs told as their number, a paragraph of context kept each side."""
    changed = [number for number, line in enumerate(lines) if line.kind != "same"]
    near = {n for number in changed for n in range(number - DIFF_CONTEXT, number + DIFF_CONTEXT + 1)}
    condensed, skipped = [], 0
    for number, line in enumerate(lines):
        if line.kind == "same" and number not in near:
            skipped += 1
            continue
        if skipped:
            condensed.append(DiffLine("skipped", str(skipped)))
            skipped = 0
        condensed.append(line)
    if skipped:
        condensed.append(DiffLine("skipped", str(skipped)))
    return condensed


def page_search(*, user, query: str, limit: int) -> list[Page]:
    found = text_match(
        Page.objects.all(), query, fields=["title"], title="title", vector="search_vector", normalised="search_text"
    )
    return list(
        title_first(found, query, title="title", newest="updated_at").only("pk", "title", "slug", "body")[:limit]
    )


def todo_pages_review(*, user, today, limit: int) -> TodoGroup | None:
    """« À faire », for a page's owner: their pages last reviewed a year ago or more."""
    due = today - timedelta(days=PAGE_REVIEW_DAYS)
    pages = Page.objects.filter(owner=user, reviewed_on__lte=due).only("pk", "title", "slug", "reviewed_on")
    return todo_group_from_queryset(
        pages.order_by("reviewed_on", "pk"),
        limit=limit,
        item=lambda page: TodoItem(
            title=page.title,
            url=page.get_absolute_url(),
            due=page.review_due_on(),
            late=page.review_due_on() < today,
            detail=_("relue le %(date)s") % {"date": f"{page.reviewed_on:%d/%m/%Y}"},
        ),
        url=reverse("content:page-index"),
    )


# --- The library -----------------------------------------------------------------------------


def folder_visible_ids(*, user) -> set[int]:
    """The folders `user` may open: in the audience of the folder and of every folder above it
    (one query for the whole tree, kept on the user object for the request)."""
    cached = getattr(user, "_content_folders", None)
    if cached is not None:
        return cached
    folders = {folder.pk: folder for folder in Folder.objects.only("pk", "parent_id", "audience")}
    manage = can_manage_library(user)
    own: dict[int, bool] = {pk: manage or folder_audience_includes(user, folder) for pk, folder in folders.items()}
    visible: set[int] = set()
    for pk in folders:
        chain, current, ok = set(), pk, True
        while current is not None and current not in chain:
            chain.add(current)
            ok = ok and own.get(current, False)
            current = folders[current].parent_id if current in folders else None
        if ok:
            visible.add(pk)
    user._content_folders = visible
    return visible


def folder_get_readable(*, user, slug: str) -> Folder:
    folder = Folder.objects.select_related("moderator", "parent").filter(slug=slug).first()
    if folder is None or folder.pk not in folder_visible_ids(user=user):
        raise Http404
    return folder


def folder_children(*, user, folder: Folder | None) -> list[Folder]:
    visible = folder_visible_ids(user=user)
    children = Folder.objects.filter(parent=folder, pk__in=visible).annotate(document_count=Count("documents"))
    return list(children.order_by("position", "title"))


def folder_ancestors(folder: Folder) -> list[Folder]:
    parents = {
        pk: (parent, title, slug)
        for pk, parent, title, slug in Folder.objects.values_list("pk", "parent_id", "title", "slug")
    }
    chain, current = [], folder.parent_id
    while current is not None and current in parents and len(chain) < 20:
        parent, title, slug = parents[current]
        chain.append(Folder(pk=current, title=title, slug=slug))
        current = parent
    return list(reversed(chain))


def _documents(queryset: QuerySet[Document]) -> QuerySet[Document]:
    return queryset.select_related("current", "owner", "folder").defer("search_text", "search_vector", "current__text")


def document_list(*, folder: Folder) -> QuerySet[Document]:
    return _documents(folder.documents.all()).order_by("title", "pk")


def document_list_recent(*, user, limit: int = 8) -> list[Document]:
    visible = folder_visible_ids(user=user)
    return list(_documents(Document.objects.filter(folder_id__in=visible)).order_by("-updated_at", "-pk")[:limit])


def document_get_readable(*, user, pk: int) -> Document:
    document = _documents(Document.objects.filter(pk=pk)).first()
    if document is None or document.folder_id not in folder_visible_ids(user=user):
        raise Http404
    return document


def document_versions(document: Document) -> QuerySet[DocumentVersion]:
    return document.versions.defer("text").order_by("-number")


def document_search(*, user, query: str, limit: int) -> list[Document]:
    visible = folder_visible_ids(user=user)
    documents = Document.objects.filter(folder_id__in=visible)
    found = text_match(
        documents,
        query,
        fields=["title", "description"],
        title="title",
        vector="search_vector",
        normalised="search_text",
    )
    ordered = title_first(found, query, title="title", newest="updated_at")
    with index_scans():
        return list(
            ordered.select_related("folder").only("pk", "title", "description", "folder__title", "folder__slug")[:limit]
        )


def todo_documents_review(*, user, today, limit: int) -> TodoGroup | None:
    """« À faire », for a document's owner: their documents whose review date has come."""
    documents = Document.objects.filter(owner=user, review_on__lte=today).only("pk", "title", "review_on")
    return todo_group_from_queryset(
        documents.order_by("review_on", "pk"),
        limit=limit,
        item=lambda document: TodoItem(
            title=document.title,
            url=document.get_absolute_url(),
            due=document.review_on,
            late=document.review_on < today,
        ),
        url=reverse("content:library-index"),
    )


# --- The managers' space -------------------------------------------------------------------------


def managers_folders(*, user) -> list[Folder]:
    """The library's folders for managers (their audience names the managers) that `user` opens."""
    visible = folder_visible_ids(user=user)
    folders = Folder.objects.filter(pk__in=visible).only("pk", "title", "slug", "description", "audience")
    return [
        folder
        for folder in folders.order_by("position", "title", "pk")
        if Role.MANAGER.value in AudienceSpec.from_json(folder.audience).roles
    ]


def question_list(*, user) -> QuerySet[Question]:
    """The questions, newest first; moderators also see the hidden ones (marked)."""
    questions = Question.objects.defer("body")
    if not can_moderate_questions(user):
        questions = questions.filter(hidden_at__isnull=True)
    return questions.order_by("-created_at", "-pk")


def question_get(*, user, pk: int) -> Question:
    """A question with its answers (`answer_list`): the hidden ones for moderators only."""
    question = Question.objects.filter(pk=pk).first()
    moderator = can_moderate_questions(user)
    if question is None or (question.is_hidden and not moderator):
        raise Http404
    answers = Answer.objects.filter(question=question).order_by("created_at", "pk")
    if not moderator:
        answers = answers.filter(hidden_at__isnull=True)
    question.answer_list = list(answers)
    return question


def answer_get(*, user, pk: int) -> Answer:
    answer = Answer.objects.select_related("question").filter(pk=pk).first()
    if answer is None or (answer.question.is_hidden and not can_moderate_questions(user)):
        raise Http404
    return answer
