"""News pages: the archive, an item, its image, the writing desk, the review, the editors and the
person's Atom feed. Thin views over content.selectors and content.services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from content import selectors, services
from content.forms import EditorAddForm, NewsFilterForm, NewsForm, PublishForm, ReturnForm
from content.models import Editor, News
from content.permissions import can_edit_news, can_publish_news, can_read_news_list, can_write_news
from intranet.audiences import AudienceForm, AudienceSpec, audience_describe
from intranet.links import absolute_url
from intranet.permissions import RuleRequiredMixin
from intranet.shortcuts import form_add_service_error, paginate

PAGE_SIZE = 20


def _nav(user) -> dict:
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
            nav=_nav(user),
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


# --- Writing --------------------------------------------------------------------------------


def _audience_form(news: News | None, data=None) -> AudienceForm:
    if data is not None:
        return AudienceForm(data, prefix="public")
    spec = AudienceSpec.from_json(news.audience) if news else AudienceSpec(everyone=True)
    return AudienceForm(initial=AudienceForm.initial_from(spec), prefix="public")


class NewsManageView(WriterMixin, TemplateView):
    template_name = "content/news_manage.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            **selectors.news_list_manage(user=user), can_publish=can_publish_news(user), nav=_nav(user), **kwargs
        )


class NewsFormView(WriterMixin, View):
    """A new item (no pk) or an item its writer may still edit: the text and the audience."""

    template_name = "content/news_form.html"

    def get_news(self) -> News | None:
        if "pk" not in self.kwargs:
            return None
        return selectors.news_get_editable(user=self.request.user, pk=self.kwargs["pk"])

    def _render(self, request, news, form, audience_form, status=200):
        context = {
            "news": news,
            "form": form,
            "audience_form": audience_form,
            "can_publish": can_publish_news(request.user),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk=None):
        news = self.get_news()
        return self._render(request, news, NewsForm(instance=news), _audience_form(news))

    def post(self, request, pk=None):
        news = self.get_news()
        form = NewsForm(request.POST, request.FILES, instance=News.objects.get(pk=news.pk) if news else None)
        audience_form = _audience_form(news, request.POST)
        if form.is_valid() and audience_form.is_valid():
            data = {name: form.cleaned_data.get(name) for name in form.cleaned_data}
            image = data.pop("image", None) or None
            remove = bool(data.pop("remove_image", False))
            try:
                if news is None:
                    news = services.news_create(user=request.user, data=data, audience=audience_form.spec, image=image)
                else:
                    services.news_update(
                        news=news,
                        user=request.user,
                        data=data,
                        audience=audience_form.spec,
                        image=image,
                        remove_image=remove,
                    )
            except ValidationError as error:
                form_add_service_error(form, error)
            else:
                messages.success(request, _("L'actualité est enregistrée."))
                return redirect("content:news-preview", pk=news.pk)
        return self._render(request, news, form, audience_form, status=400)


class NewsPreviewView(WriterMixin, TemplateView):
    """The item as its readers will see it, with what its writer may do next."""

    template_name = "content/news_detail.html"

    def get_context_data(self, **kwargs):
        news = selectors.news_get_editable(user=self.request.user, pk=self.kwargs["pk"])
        return super().get_context_data(
            news=news,
            preview=True,
            can_edit=True,
            can_publish=can_publish_news(self.request.user),
            audience=audience_describe(spec=AudienceSpec.from_json(news.audience)),
            **kwargs,
        )


class NewsSubmitView(WriterMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        news = selectors.news_get_editable(user=request.user, pk=pk)
        try:
            services.news_submit(news=news, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("L'actualité est transmise à la communication pour relecture."))
        return redirect("content:news-manage")


class NewsReviewView(PublisherMixin, View):
    """The communication officer reads the draft and publishes it (now or at a date) or sends it back."""

    template_name = "content/news_review.html"

    def _render(self, request, news, publish_form=None, return_form=None, status=200):
        context = {
            "news": news,
            "audience": audience_describe(spec=AudienceSpec.from_json(news.audience)),
            "publish_form": publish_form or PublishForm(prefix="publier"),
            "return_form": return_form or ReturnForm(prefix="renvoyer"),
        }
        return render(request, self.template_name, context, status=status)

    def get_news(self, pk) -> News:
        news = get_object_or_404(News.objects.select_related("author"), pk=pk)
        if news.status == News.Status.PUBLISHED:
            raise Http404
        return news

    def get(self, request, pk):
        return self._render(request, self.get_news(pk))

    def post(self, request, pk):
        news = self.get_news(pk)
        form = PublishForm(request.POST, prefix="publier")
        if form.is_valid():
            try:
                news = services.news_publish(news=news, user=request.user, publish_at=form.cleaned_data["publish_at"])
            except ValidationError as error:
                form_add_service_error(form, error)
            else:
                if news.is_scheduled:
                    messages.success(request, _("La publication est programmée."))
                else:
                    messages.success(request, _("L'actualité est publiée."))
                return redirect(news)
        return self._render(request, news, publish_form=form, status=400)


class NewsReturnView(NewsReviewView):
    def get(self, request, pk):
        return redirect("content:news-review", pk=pk)

    def post(self, request, pk):
        news = self.get_news(pk)
        form = ReturnForm(request.POST, prefix="renvoyer")
        if form.is_valid():
            try:
                services.news_return(news=news, user=request.user, note=form.cleaned_data["note"])
            except ValidationError as error:
                form_add_service_error(form, error)
            else:
                messages.success(request, _("Le brouillon est renvoyé à son auteur."))
                return redirect("content:news-manage")
        return self._render(request, news, return_form=form, status=400)


class NewsUnpublishView(PublisherMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        news = get_object_or_404(News, pk=pk)
        services.news_unpublish(news=news, user=request.user)
        messages.success(request, _("L'actualité est retirée : c'est de nouveau un brouillon."))
        return redirect("content:news-manage")


class NewsDeleteView(WriterMixin, View):
    template_name = "content/news_delete.html"

    def get(self, request, pk):
        news = selectors.news_get_editable(user=request.user, pk=pk)
        return render(request, self.template_name, {"news": news})

    def post(self, request, pk):
        news = selectors.news_get_editable(user=request.user, pk=pk)
        try:
            services.news_delete(news=news, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("content:news-preview", pk=pk)
        messages.success(request, _("L'actualité est supprimée."))
        return redirect("content:news-manage")


class EditorListView(PublisherMixin, View):
    """The agents allowed to draft news, and the form that adds one."""

    template_name = "content/editor_list.html"

    def _render(self, request, form, status=200):
        context = {"editors": selectors.editor_list(), "form": form, "nav": _nav(request.user)}
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        return self._render(request, EditorAddForm())

    def post(self, request):
        form = EditorAddForm(request.POST)
        if form.is_valid():
            try:
                editor = services.editor_add(agent=form.cleaned_data["agent"], user=request.user)
            except ValidationError as error:
                form_add_service_error(form, error)
            else:
                messages.success(
                    request, _("%(name)s peut rédiger des actualités.") % {"name": editor.agent.get_full_name()}
                )
                return redirect("content:editor-list")
        return self._render(request, form, status=400)


class EditorRemoveView(PublisherMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        editor = get_object_or_404(Editor.objects.select_related("agent"), pk=pk)
        services.editor_remove(editor=editor, user=request.user)
        messages.success(request, _("%(name)s ne rédige plus d'actualités.") % {"name": editor.agent.get_full_name()})
        return redirect("content:editor-list")


# --- The person's feed ---------------------------------------------------------------------


class FeedSettingsView(ReaderMixin, TemplateView):
    template_name = "content/feed_settings.html"

    def get_context_data(self, **kwargs):
        token = services.feed_token_get(agent=self.request.user)
        url = absolute_url(reverse("content:news-feed", args=[token.token]))
        return super().get_context_data(feed_url=url, nav=_nav(self.request.user), **kwargs)


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
