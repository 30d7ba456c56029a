"""Permission-aware reads of the content app, with what each page needs loaded in a fixed number of
queries, by subject.

- `news`: news by audience, archive, writing desk, review « À faire », editors, feeds, newsletter quotes;
- `pages`: the tree, a page, its revisions and their differences, search, review « À faire »;
- `library`: the folders each person opens, documents, versions, search, review « À faire »;
- `managers`: the managers' space, its questions and answers.

Every public name is re-exported here: callers write `selectors.news_home(...)`.
"""

from content.selectors.library import (
    document_get_readable,
    document_list,
    document_list_recent,
    document_search,
    document_versions,
    folder_ancestors,
    folder_children,
    folder_get_readable,
    folder_visible_ids,
    todo_documents_review,
)
from content.selectors.managers import answer_get, managers_folders, question_get, question_list
from content.selectors.news import (
    FEED_SIZE,
    HOME_NEWS,
    NEWSLETTER_CHOICES,
    audience_q,
    editor_list,
    feed_for_token,
    news_archive,
    news_archive_years,
    news_for_newsletter,
    news_get_editable,
    news_get_readable,
    news_home,
    news_list_manage,
    news_list_visible,
    news_newsletter_items,
    news_search,
    todo_news_returned,
    todo_news_review,
)
from content.selectors.pages import (
    DIFF_CONTEXT,
    DiffLine,
    TreeEntry,
    page_ancestors,
    page_children,
    page_get,
    page_revisions,
    page_search,
    page_tree,
    revision_diff,
    todo_pages_review,
)

__all__ = [
    "DIFF_CONTEXT",
    "DiffLine",
    "FEED_SIZE",
    "HOME_NEWS",
    "NEWSLETTER_CHOICES",
    "TreeEntry",
    "answer_get",
    "audience_q",
    "document_get_readable",
    "document_list",
    "document_list_recent",
    "document_search",
    "document_versions",
    "editor_list",
    "feed_for_token",
    "folder_ancestors",
    "folder_children",
    "folder_get_readable",
    "folder_visible_ids",
    "managers_folders",
    "news_archive",
    "news_archive_years",
    "news_for_newsletter",
    "news_get_editable",
    "news_get_readable",
    "news_home",
    "news_list_manage",
    "news_list_visible",
    "news_newsletter_items",
    "news_search",
    "page_ancestors",
    "page_children",
    "page_get",
    "page_revisions",
    "page_search",
    "page_tree",
    "question_get",
    "question_list",
    "revision_diff",
    "todo_documents_review",
    "todo_news_returned",
    "todo_news_review",
    "todo_pages_review",
]
