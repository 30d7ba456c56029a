"""News pages for their writers: the writing desk, an item's form, its preview, its submission, the
review (publish or return), withdrawal, deletion, and the editors. Thin views over
content.selectors and content.services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from content import selectors, services
from content.forms import EditorAddForm, NewsForm, PublishForm, ReturnForm
from content.models import Editor, News
from content.permissions import can_publish_news
from content.views.news import PublisherMixin, WriterMixin, news_nav
from intranet.audiences import AudienceForm, AudienceSpec, audience_describe
from intranet.shortcuts import form_add_service_error


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
            **selectors.news_list_manage(user=user), can_publish=can_publish_news(user), nav=news_nav(user), **kwargs
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
        context = {"editors": selectors.editor_list(), "form": form, "nav": news_nav(request.user)}
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
