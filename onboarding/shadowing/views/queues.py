"""What waits for managers and hosts (« À décider »), the published reports, and managers' absences."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from intranet.permissions import InternalRequiredMixin, RuleRequiredMixin
from onboarding.shadowing import forms, selectors
from onboarding.shadowing import permissions as perms
from onboarding.shadowing.models import ApproverAbsence
from onboarding.shadowing.services.campaigns import absence_declare


class VisitQueueView(InternalRequiredMixin, TemplateView):
    template_name = "shadowing/visit_queue.html"

    def get_context_data(self, **kwargs):
        visits = selectors.visit_queue(user=self.request.user)
        for visit in visits:
            visit.refuse_form = forms.QueueRefuseForm(visit=visit)
        return super().get_context_data(visits=visits, **kwargs)


class ReportListView(InternalRequiredMixin, TemplateView):
    template_name = "shadowing/report_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            visits=selectors.reports_published(), can_promote=perms.can_promote(self.request.user), **kwargs
        )


class AbsenceView(RuleRequiredMixin, FormView):
    rule = staticmethod(perms.can_declare_absence)
    form_class = forms.AbsenceForm
    template_name = "shadowing/absence_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "for_hr": perms.is_hr(self.request.user)}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            absence_declare(
                user=self.request.user,
                manager=data.get("manager") or self.request.user,
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                substitute=data["substitute"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Votre absence est enregistrée : vos suppléants décideront à votre place."))
        return redirect("shadowing:absence")

    def get_context_data(self, **kwargs):
        absences = ApproverAbsence.objects.select_related("manager", "substitute")
        if not perms.is_hr(self.request.user):
            absences = absences.filter(manager=self.request.user)
        absences = absences.filter(ends_on__gte=timezone.localdate())[:200]
        return super().get_context_data(absences=absences, **kwargs)
