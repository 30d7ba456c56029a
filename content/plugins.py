"""The content app's entries in the core's registry: menus, the home page's news, « À faire »,
the search, the demo data."""

from django.utils.translation import gettext_lazy as _

from content import selectors
from content.permissions import can_publish_news, can_read_news_list, can_write_news
from intranet.registry import DemoSeed, HomeSlot, NavItem, SearchProvider, SearchResult, TodoSource, register


def _home_news(request):
    news = selectors.news_home(user=request.user)
    return {"news_list": news} if news else None


def _search_news(*, user, query, limit):
    return [
        SearchResult(title=news.title, url=news.get_absolute_url(), summary=news.summary)
        for news in selectors.news_search(user=user, query=query, limit=limit)
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
    DemoSeed(key="content", seed=_demo_seed),
)
