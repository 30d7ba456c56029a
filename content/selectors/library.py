"""The resource library: the folders `user` may open (their audiences and those above them), the
documents, their versions, the search, the review « À faire »."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.http import Http404
from django.urls import reverse

from content.models import Document, DocumentVersion, Folder
from content.permissions import can_manage_library, folder_audience_includes
from intranet.fulltext import index_scans, text_match, title_first
from intranet.registry import TodoGroup, TodoItem
from intranet.selectors import todo_group_from_queryset


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
