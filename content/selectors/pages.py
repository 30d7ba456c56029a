"""The pages: their tree, one page with its ancestors and children, its revisions compared, the search,
the review « À faire »."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from content.models import PAGE_REVIEW_DAYS, Page, PageRevision
from content.text import html_to_text_lines
from intranet.fulltext import text_match, title_first
from intranet.registry import TodoGroup, TodoItem
from intranet.selectors import todo_group_from_queryset


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
