"""The welcome guide's chapters and identity (communication and HR)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from intranet.permissions import RuleRequiredMixin
from intranet.shortcuts import service_error_text
from onboarding import content, selectors
from onboarding.forms import ChapterForm, GuideSettingsForm
from onboarding.models import GuideChapter
from onboarding.permissions import can_edit_guide
from onboarding.services.welcome_guide import chapter_delete, chapter_save, guide_settings, guide_settings_save


class ChapterListView(RuleRequiredMixin, TemplateView):
    rule = staticmethod(can_edit_guide)
    template_name = "onboarding/chapter_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(chapters=selectors.chapter_list(), identity=guide_settings(), **kwargs)


class ChapterSeedView(RuleRequiredMixin, View):
    """POST: create the proposed chapters (from the seeds' texts) when the guide has none."""

    rule = staticmethod(can_edit_guide)
    http_method_names = ["post"]

    def post(self, request):
        count = content.chapters_seed()
        messages.success(
            request, _("%(count)s chapitre(s) proposé(s) ajouté(s) : relisez-les et adaptez-les.") % {"count": count}
        )
        return redirect("onboarding:chapter-list")


class ChapterEditView(RuleRequiredMixin, View):
    rule = staticmethod(can_edit_guide)
    template_name = "onboarding/chapter_form.html"

    def get(self, request, pk=None):
        chapter = get_object_or_404(GuideChapter, pk=pk) if pk else None
        return render(request, self.template_name, {"form": ChapterForm(instance=chapter), "chapter": chapter})

    def post(self, request, pk=None):
        chapter = get_object_or_404(GuideChapter, pk=pk) if pk else None
        form = ChapterForm(request.POST, instance=chapter)
        if form.is_valid():
            try:
                saved = chapter_save(chapter=form.save(commit=False), user=request.user)
            except ValidationError as error:
                form.add_error("body" if hasattr(error, "error_dict") else None, service_error_text(error))
            else:
                messages.success(request, _("Le chapitre « %(title)s » est enregistré.") % {"title": saved.title})
                return redirect("onboarding:chapter-list")
        return render(request, self.template_name, {"form": form, "chapter": chapter}, status=400)


class ChapterDeleteView(RuleRequiredMixin, View):
    rule = staticmethod(can_edit_guide)
    http_method_names = ["post"]

    def post(self, request, pk):
        chapter = get_object_or_404(GuideChapter, pk=pk)
        chapter_delete(chapter=chapter, user=request.user)
        messages.success(request, _("Le chapitre est supprimé."))
        return redirect("onboarding:chapter-list")


class GuideSettingsView(RuleRequiredMixin, View):
    rule = staticmethod(can_edit_guide)
    template_name = "onboarding/guide_settings.html"

    def get(self, request):
        return render(request, self.template_name, {"form": GuideSettingsForm(instance=guide_settings())})

    def post(self, request):
        form = GuideSettingsForm(request.POST, instance=guide_settings())
        if form.is_valid():
            guide_settings_save(guide=form.save(commit=False), user=request.user)
            messages.success(request, _("L'identité du guide est enregistrée."))
            return redirect("onboarding:chapter-list")
        return render(request, self.template_name, {"form": form}, status=400)
