"""News pages for their readers: the archive, an item, its image, and the person's Atom feed (its
address, a new secret, the feed itself). Thin views over content.selectors and content.services;
the writing desk is in `news_writing`."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from content import selectors, services
from content.forms import NewsFilterForm
from content.permissions import can_edit_news, can_publish_news, can_read_news_list, can_write_news
from intranet.links import absolute_url
from intranet.permissions import RuleRequiredMixin
from intranet.shortcuts import paginate

PAGE_SIZE = 20


def news_nav(user) -> dict:
    """What the news pages' sub-navigation offers this person."""
    return {"can_write": can_write_news(user), "can_publish": can_publish_news(user)}


class ReaderMixin(RuleRequiredMixin):
    rule = staticmethod(can_read_news_list)


class WriterMixin(RuleRequiredMixin):
    rule = staticmethod(can_write_news)


class PublisherMixin(RuleRequiredMixin):
    rule = staticmethod(can_publish_news)


class NewsListView(ReaderMixin, TemplateView):
    """The archive: every item the person may read, newest first, with filters."""

    template_name = "content/news_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        form = NewsFilterForm(self.request.GET or None, years=selectors.news_archive_years(user=user))
        filters = form.filters() if form.is_bound else {}
        page = paginate(self.request, selectors.news_archive(user=user, **filters), PAGE_SIZE)
        return super().get_context_data(
            form=form,
            page_obj=page,
            news_list=page.object_list,
            filtered=any(filters.values()),
            nav=news_nav(user),
            **kwargs,
        )


class NewsDetailView(ReaderMixin, View):
    template_name = "content/news_detail.html"

    def get(self, request, pk):
        news = selectors.news_get_readable(user=request.user, pk=pk)
        if not news.is_live:  # a draft or a scheduled item: only its writers read it, as a preview
            return redirect("content:news-preview", pk=pk)
        return render(request, self.template_name, {"news": news, "can_edit": can_edit_news(request.user, news)})


class NewsImageView(ReaderMixin, View):
    """The item's image, for whoever may read the item (re-encoded JPEG: served inline)."""

    def get(self, request, pk):
        news = selectors.news_get_readable(user=request.user, pk=pk)
        if not news.image:
            raise Http404
        response = FileResponse(news.image.open("rb"), content_type="image/jpeg")
        response["Cache-Control"] = "private, max-age=3600"
        return response


# --- The person's feed ---------------------------------------------------------------------


class FeedSettingsView(ReaderMixin, TemplateView):
    template_name = "content/feed_settings.html"

    def get_context_data(self, **kwargs):
        token = services.feed_token_get(agent=self.request.user)
        url = absolute_url(reverse("content:news-feed", args=[token.token]))
        return super().get_context_data(feed_url=url, nav=news_nav(self.request.user), **kwargs)


class FeedResetView(ReaderMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        services.feed_token_reset(agent=request.user)
        messages.success(request, _("Votre flux a une nouvelle adresse : l'ancienne ne fonctionne plus."))
        return redirect("content:feed-settings")


def news_feed(request, token):
    """The Atom feed of the news a person may read, behind the secret of its address (no sign-in:
    feed readers have none)."""
    agent, news_list = selectors.feed_for_token(token=token)
    feed = Atom1Feed(
        title=_("Actualités de l'intranet"),
        link=absolute_url(reverse("content:news-list")),
        description=_("Les actualités de l'intranet pour %(name)s") % {"name": agent.get_full_name()},
        language="fr",
        feed_url=absolute_url(request.path),
    )
    for news in news_list:
        feed.add_item(
            title=news.title,
            link=absolute_url(news.get_absolute_url()),
            description=news.summary,
            pubdate=news.publish_at,
            updateddate=news.updated_at if news.updated_at > news.publish_at else news.publish_at,
            unique_id=absolute_url(news.get_absolute_url()),
            author_name=news.author_label or None,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
