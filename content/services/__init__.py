"""What the content app does: functions that change state, one transaction each (STYLE.md), by subject.

- `news`: news from draft to publication (or back to its author), the editors, each person's feed secret;
- `pages`: pages, their revisions, the yearly review reminders;
- `library`: folders, documents and their versions;
- `texts`: the documents' search index and the text extracted from their files (the worker);
- `managers`: the managers' questions and answers, and their moderation.

Every public name is re-exported here: callers write `services.news_create(...)`.
"""

from content.services.library import (
    RESERVED_FOLDER_SLUGS,
    document_create,
    document_delete,
    document_download_count,
    document_update,
    document_version_add,
    folder_create,
    folder_update,
)
from content.services.managers import answer_hide, answer_mark_useful, answer_post, question_ask, question_hide
from content.services.news import (
    NEWS_FIELDS,
    editor_add,
    editor_remove,
    feed_token_get,
    feed_token_reset,
    news_create,
    news_delete,
    news_index,
    news_publish,
    news_return,
    news_submit,
    news_unpublish,
    news_update,
)
from content.services.pages import (
    page_create,
    page_delete,
    page_mark_reviewed,
    page_restore,
    page_review_reminders_send,
    page_update,
)
from content.services.texts import (
    TEXT_KINDS,
    TEXTS,
    document_index,
    document_texts_dispatch_pending,
    document_texts_extract_pending,
    document_version_extract,
    texts_extract_task,
)

__all__ = [
    "NEWS_FIELDS",
    "RESERVED_FOLDER_SLUGS",
    "TEXTS",
    "TEXT_KINDS",
    "answer_hide",
    "answer_mark_useful",
    "answer_post",
    "document_create",
    "document_delete",
    "document_download_count",
    "document_index",
    "document_texts_dispatch_pending",
    "document_texts_extract_pending",
    "document_update",
    "document_version_add",
    "document_version_extract",
    "editor_add",
    "editor_remove",
    "feed_token_get",
    "feed_token_reset",
    "folder_create",
    "folder_update",
    "news_create",
    "news_delete",
    "news_index",
    "news_publish",
    "news_return",
    "news_submit",
    "news_unpublish",
    "news_update",
    "page_create",
    "page_delete",
    "page_mark_reviewed",
    "page_restore",
    "page_review_reminders_send",
    "page_update",
    "question_ask",
    "question_hide",
    "texts_extract_task",
]
