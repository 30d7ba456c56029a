"""Journey templates (HR): the list, the seeded default, a template and its tasks."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from intranet.permissions import RuleRequiredMixin
from onboarding import content
from onboarding.forms import JourneyTemplateForm, TemplateTaskFormSet
from onboarding.models import JourneyTemplate as Template
from onboarding.permissions import can_manage_onboarding
from onboarding.services.journeys import template_save


class TemplateListView(RuleRequiredMixin, TemplateView):
    rule = staticmethod(can_manage_onboarding)
    template_name = "onboarding/template_list.html"

    def get_context_data(self, **kwargs):
        from django.db.models import Count

        return super().get_context_data(templates=Template.objects.annotate(task_count=Count("tasks")), **kwargs)


class TemplateSeedView(RuleRequiredMixin, View):
    """POST: create the proposed journey template (seed 001, card 5.4), to start from."""

    rule = staticmethod(can_manage_onboarding)
    http_method_names = ["post"]

    def post(self, request):
        template = content.journey_template_seed()
        messages.success(
            request, _("Le modèle « %(name)s » est prêt : adaptez-le à votre administration.") % {"name": template.name}
        )
        return redirect("onboarding:template-edit", pk=template.pk)


class TemplateEditView(RuleRequiredMixin, View):
    rule = staticmethod(can_manage_onboarding)
    template_name = "onboarding/template_form.html"

    def get_template(self, pk):
        return get_object_or_404(Template, pk=pk) if pk else Template()

    def get(self, request, pk=None):
        template = self.get_template(pk)
        return render(
            request,
            self.template_name,
            {
                "form": JourneyTemplateForm(instance=template),
                "formset": TemplateTaskFormSet(instance=template),
                "template_obj": template if pk else None,
            },
        )

    def post(self, request, pk=None):
        template = self.get_template(pk)
        form = JourneyTemplateForm(request.POST, instance=template)
        formset = TemplateTaskFormSet(request.POST, instance=template)
        if form.is_valid() and formset.is_valid():
            with transaction.atomic():
                template = template_save(template=form.save(commit=False), user=request.user)
                formset.instance = template
                formset.save()
            messages.success(request, _("Le modèle « %(name)s » est enregistré.") % {"name": template.name})
            return redirect("onboarding:template-edit", pk=template.pk)
        return render(
            request,
            self.template_name,
            {"form": form, "formset": formset, "template_obj": template if pk else None},
            status=400,
        )
