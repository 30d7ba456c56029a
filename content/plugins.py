"""The content app's entries in the core's registry: menus, the home page's news, « À faire »,
the search, the demo data."""

from django.utils.translation import gettext_lazy as _

from content import selectors, services
from content.permissions import (
    can_publish_news,
    can_read_news_list,
    can_read_pages,
    can_use_managers_space,
    can_write_news,
)
from content.text import html_to_text
from intranet.registry import (
    DemoSeed,
    HomeSlot,
    NavItem,
    PeriodicTask,
    Recoverer,
    SearchProvider,
    SearchResult,
    TodoSource,
    register,
)
from intranet.roles import is_internal, roles_depend_on


def _home_news(request):
    news = selectors.news_home(user=request.user)
    return {"news_list": news} if news else None


def _search_news(*, user, query, limit):
    return [
        SearchResult(title=news.title, url=news.get_absolute_url(), summary=news.summary)
        for news in selectors.news_search(user=user, query=query, limit=limit)
    ]


def _search_pages(*, user, query, limit):
    return [
        SearchResult(title=page.title, url=page.get_absolute_url(), summary=html_to_text(page.body)[:200])
        for page in selectors.page_search(user=user, query=query, limit=limit)
    ]


def _search_documents(*, user, query, limit):
    return [
        SearchResult(
            title=document.title,
            url=document.get_absolute_url(),
            summary=" · ".join(filter(None, [document.folder.title, document.description[:160]])),
        )
        for document in selectors.document_search(user=user, query=query, limit=limit)
    ]


def _demo_seed(*, stdout):
    from content.demo import demo_seed

    demo_seed(stdout=stdout)


register(
    NavItem(
        key="news",
        label=_("Actualités"),
        url_name="content:news-list",
        order=10,
        visible=can_read_news_list,
        group="communication",
    ),
    NavItem(
        key="news-manage",
        label=_("Rédaction des actualités"),
        url_name="content:news-manage",
        order=810,
        visible=can_write_news,
        group="manage",
    ),
    HomeSlot(
        key="news",
        title=_("Actualités"),
        template="content/slots/news.html",
        kept=HomeSlot.KEPT_PERSON,
        context=_home_news,
        order=3,
        visible=can_read_news_list,
    ),
    TodoSource(
        key="content-news-review",
        label=_("Actualités à relire"),
        items=selectors.todo_news_review,
        order=60,
        visible=can_publish_news,
    ),
    TodoSource(
        key="content-news-returned",
        label=_("Actualités à reprendre"),
        items=selectors.todo_news_returned,
        order=61,
        visible=can_write_news,
    ),
    SearchProvider(key="news", label=_("Actualités"), search=_search_news, order=20, visible=can_read_news_list),
    NavItem(
        key="pages",
        label=_("Pages et procédures"),
        url_name="content:page-index",
        order=20,
        visible=can_read_pages,
        group="communication",
    ),
    TodoSource(
        key="content-pages-review",
        label=_("Pages à relire"),
        items=selectors.todo_pages_review,
        order=62,
        visible=can_read_pages,
    ),
    SearchProvider(key="pages", label=_("Pages"), search=_search_pages, order=21, visible=can_read_pages),
    # Owners of pages last reviewed a year ago are reminded once (idempotent per review cycle).
    PeriodicTask(key="content-page-review", task="content.tasks.page_review_reminders_task", schedule=24 * 3600.0),
    NavItem(
        key="library",
        label=_("Bibliothèque de documents"),
        url_name="content:library-index",
        order=30,
        visible=is_internal,
        group="communication",
    ),
    TodoSource(
        key="content-documents-review",
        label=_("Documents à revoir"),
        items=selectors.todo_documents_review,
        order=63,
    ),
    SearchProvider(
        key="documents", label=_("Documents"), search=_search_documents, order=22, visible=can_read_news_list
    ),
    # The text of uploaded documents, extracted by a worker: what waits is published again.
    Recoverer(key="content.texts", recover=services.document_texts_dispatch_pending),
    DemoSeed(key="content", seed=_demo_seed),
    # The managers' space (seed 002): the folders for managers, the questions and answers, the webinars.
    NavItem(
        key="managers-space",
        label=_("Espace managers"),
        url_name="content:managers-space",
        order=15,
        visible=can_use_managers_space,
        group="my-space",
    ),
)

# Who may write news (content.Editor) and who moderates the managers' board (a folder's
# moderator) are kept with each person's roles: these rows' changes renew them.
roles_depend_on("content.Editor", "content.Folder")
