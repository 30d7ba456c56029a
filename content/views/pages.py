"""Pages: the tree, a page, its editing, its history (who changed what and when), restoring a
version, confirming it was reviewed. Thin views over content.selectors and content.services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from content import selectors, services
from content.forms import PageForm
from content.models import Page
from content.permissions import can_edit_page, can_manage_pages, can_read_pages
from intranet.permissions import RuleRequiredMixin
from intranet.shortcuts import form_add_service_error


class ReaderMixin(RuleRequiredMixin):
    rule = staticmethod(can_read_pages)


class ManagerMixin(RuleRequiredMixin):
    rule = staticmethod(can_manage_pages)


class PageIndexView(ReaderMixin, TemplateView):
    template_name = "content/page_index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            tree=selectors.page_tree(), can_manage=can_manage_pages(self.request.user), **kwargs
        )


class PageDetailView(ReaderMixin, TemplateView):
    template_name = "content/page_detail.html"

    def get_context_data(self, **kwargs):
        page = selectors.page_get(slug=self.kwargs["slug"])
        today = timezone.localdate()
        return super().get_context_data(
            page=page,
            ancestors=selectors.page_ancestors(page),
            children=selectors.page_children(page),
            can_edit=can_edit_page(self.request.user, page),
            can_manage=can_manage_pages(self.request.user),
            review_due=page.review_due_on() <= today,
            **kwargs,
        )


class PageFormView(ReaderMixin, View):
    """A new page (communication) or a page its editor may change."""

    template_name = "content/page_form.html"

    def get_page(self) -> Page | None:
        if "slug" not in self.kwargs:
            if not can_manage_pages(self.request.user):
                raise PermissionDenied
            return None
        page = selectors.page_get(slug=self.kwargs["slug"])
        if not can_edit_page(self.request.user, page):
            raise PermissionDenied
        return page

    def _render(self, request, page, form, status=200):
        return render(request, self.template_name, {"page": page, "form": form}, status=status)

    def get(self, request, slug=None):
        page = self.get_page()
        initial = {}
        if page is None and request.GET.get("parent", "").isdigit():
            initial["parent"] = int(request.GET["parent"])
        form = PageForm(instance=page, initial=initial, manage=can_manage_pages(request.user))
        return self._render(request, page, form)

    def post(self, request, slug=None):
        page = self.get_page()
        manage = can_manage_pages(request.user)
        form = PageForm(request.POST, instance=Page.objects.get(pk=page.pk) if page else None, manage=manage)
        if form.is_valid():
            data = form.cleaned_data
            placement = (
                {"parent": data["parent"], "owner": data["owner"], "position": data["position"]} if manage else {}
            )
            try:
                if page is None:
                    page = services.page_create(
                        user=request.user, title=data["title"], body=data["body"], note=data["note"], **placement
                    )
                else:
                    page = services.page_update(
                        page=page,
                        user=request.user,
                        title=data["title"],
                        body=data["body"],
                        note=data["note"],
                        **placement,
                    )
            except ValidationError as error:
                form_add_service_error(form, error)
            else:
                messages.success(request, _("La page est enregistrée."))
                return redirect(page)
        return self._render(request, page, form, status=400)


class PageHistoryView(ReaderMixin, TemplateView):
    template_name = "content/page_history.html"

    def get_context_data(self, **kwargs):
        page = selectors.page_get(slug=self.kwargs["slug"])
        return super().get_context_data(
            page=page,
            revisions=selectors.page_revisions(page),
            can_edit=can_edit_page(self.request.user, page),
            **kwargs,
        )


class PageRevisionView(ReaderMixin, TemplateView):
    """One version: what it changed from the one before, and its whole text."""

    template_name = "content/page_revision.html"

    def get_context_data(self, **kwargs):
        page = selectors.page_get(slug=self.kwargs["slug"])
        revision = get_object_or_404(page.revisions.all(), number=self.kwargs["number"])
        older = page.revisions.filter(number__lt=revision.number).order_by("-number").first()
        latest = page.revisions.order_by("-number").values_list("number", flat=True).first()
        return super().get_context_data(
            page=page,
            revision=revision,
            older=older,
            diff=selectors.revision_diff(older=older, newer=revision),
            is_current=revision.number == latest,
            can_edit=can_edit_page(self.request.user, page),
            **kwargs,
        )


class PageRestoreView(ReaderMixin, View):
    http_method_names = ["post"]

    def post(self, request, slug, number):
        page = selectors.page_get(slug=slug)
        revision = get_object_or_404(page.revisions.all(), number=number)
        services.page_restore(page=page, revision=revision, user=request.user)
        messages.success(request, _("La version %(number)s est rétablie.") % {"number": number})
        return redirect(page)


class PageReviewedView(ReaderMixin, View):
    http_method_names = ["post"]

    def post(self, request, slug):
        page = services.page_mark_reviewed(page=selectors.page_get(slug=slug), user=request.user)
        messages.success(
            request,
            _("Merci : la page est relue. Prochaine relecture le %(date)s.")
            % {"date": f"{page.review_due_on():%d/%m/%Y}"},
        )
        return redirect(page)


class PageDeleteView(ManagerMixin, View):
    template_name = "content/page_delete.html"

    def get(self, request, slug):
        return render(request, self.template_name, {"page": selectors.page_get(slug=slug)})

    def post(self, request, slug):
        page = selectors.page_get(slug=slug)
        try:
            services.page_delete(page=page, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(page)
        messages.success(request, _("La page est supprimée."))
        return redirect("content:page-index")
