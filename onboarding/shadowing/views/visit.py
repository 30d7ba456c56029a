"""One visit: its page, the steps its people take there (approve, refuse, cancel, schedule, host,
complete, report, publish), the discretion agreement and its PDF."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from intranet.permissions import InternalRequiredMixin, RuleRequiredMixin
from intranet.shortcuts import service_error_text
from onboarding.shadowing import forms, promotion, selectors
from onboarding.shadowing import permissions as perms
from onboarding.shadowing.models import Visit
from onboarding.shadowing.services.campaigns import agreement_current
from onboarding.shadowing.services.completion import visit_complete
from onboarding.shadowing.services.reports import visit_report_publish, visit_report_write
from onboarding.shadowing.services.scheduling import (
    agreement_pdf_render,
    visit_agreement_sign,
    visit_cancel,
    visit_schedule,
)
from onboarding.shadowing.services.wishes import visit_accept, visit_approve, visit_assign_host, visit_refuse


def _visible_visit(request, pk) -> Visit:
    return get_object_or_404(selectors.visit_visible_queryset(user=request.user), pk=pk)


def _actions(user, visit) -> dict:
    return {
        "can_approve": perms.can_approve(user, visit),
        "can_cancel": perms.can_cancel(user, visit),
        "can_schedule": perms.can_schedule(user, visit),
        "can_complete": perms.can_complete_now(user, visit),
        "complete_from": visit.scheduled_on if perms.can_complete(user, visit) else None,
        "can_assign_host": perms.can_assign_host(user, visit),
        "can_sign": perms.can_sign_agreement(user, visit),
        "can_report": perms.can_write_report(user, visit),
        "can_publish": perms.can_publish_report(user, visit),
        "can_read_agreement": visit.agreement_signed_at is not None,
    }


class VisitDetailView(InternalRequiredMixin, TemplateView):
    template_name = "shadowing/visit_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        visit = _visible_visit(self.request, self.kwargs["pk"])
        return super().get_context_data(
            visit=visit,
            events=visit.events.select_related("actor", "on_behalf_of"),
            refuse_form=forms.RefuseForm(auto_id="refus-%s"),
            cancel_form=forms.CancelForm(auto_id="annulation-%s"),
            schedule_form=forms.ScheduleForm(
                auto_id="visite-%s", initial={"on": visit.scheduled_on, "slot": visit.slot or None}
            ),
            assign_form=forms.AssignHostForm() if perms.can_assign_host(user, visit) else None,
            suggestions=[
                {**item, "form": forms.HostSuggestionForm(initial={"host": item["agent"].pk, "offer": item["offer"]})}
                for item in selectors.host_suggestions(visit=visit)
            ]
            if perms.can_assign_host(user, visit)
            else [],
            report_form=forms.ReportForm(initial={"report": visit.report, "consent": visit.report_publish_consent}),
            **_actions(user, visit),
            **kwargs,
        )


class _VisitActionView(LoginRequiredMixin, View):
    """POST only. A ValidationError becomes a message (or the row's error in the queue, with
    htmx); a refusal by the rules is a 403; an invisible visit a 404."""

    http_method_names = ["post"]
    form_class = None
    done_message = ""

    def get_form(self, visit):
        return self.form_class(self.request.POST) if self.form_class else None

    def post(self, request, pk):
        if not perms.can_use(request.user):
            raise PermissionDenied
        visit = _visible_visit(request, pk)
        form = self.get_form(visit)
        error = ""
        if form is not None and not form.is_valid():
            error = " ".join(message for messages_ in form.errors.values() for message in messages_)
        else:
            try:
                visit = self.act(visit, form.cleaned_data if form else {})
            except ValidationError as exc:
                error = service_error_text(exc)
        if request.htmx and request.POST.get("from") == "queue":
            visit = _visible_visit(request, pk)
            refused_wrong = isinstance(form, forms.QueueRefuseForm) and form.errors
            visit.refuse_form = form if refused_wrong else forms.QueueRefuseForm(visit=visit)
            return render(
                request,
                "shadowing/visit_queue.html#row",
                {
                    "visit": visit,
                    "error": error,
                    "form_error": bool(refused_wrong),
                    "done": "" if error else self.done_message,
                    "can_approve": perms.can_approve(request.user, visit),
                },
            )
        if error:
            messages.error(request, error)
        else:
            messages.success(request, self.done_message)
        target = request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return redirect(target)
        return redirect("shadowing:visit-detail", pk=pk)


class VisitApproveView(_VisitActionView):
    """The decision waiting for this user: the manager's approval or the host side's acceptance."""

    done_message = _("Votre accord est enregistré.")

    def act(self, visit, data):
        if visit.state == Visit.State.WISH:
            return visit_approve(visit=visit, user=self.request.user)
        return visit_accept(visit=visit, user=self.request.user)


class VisitRefuseView(_VisitActionView):
    form_class = forms.RefuseForm
    done_message = _("Le refus est enregistré ; le visiteur en est informé.")

    def get_form(self, visit):
        if self.request.POST.get("from") == "queue":
            return forms.QueueRefuseForm(self.request.POST, visit=visit)
        return super().get_form(visit)

    def act(self, visit, data):
        return visit_refuse(visit=visit, user=self.request.user, reason=data["reason"])


class VisitCancelView(_VisitActionView):
    form_class = forms.CancelForm
    done_message = _("La demande est annulée.")

    def act(self, visit, data):
        return visit_cancel(visit=visit, user=self.request.user, reason=data["reason"])


class VisitScheduleView(_VisitActionView):
    form_class = forms.ScheduleForm
    done_message = _("La visite est programmée ; l'invitation est envoyée au visiteur et à l'accueillant.")

    def act(self, visit, data):
        return visit_schedule(visit=visit, user=self.request.user, on=data["on"], slot=data["slot"])


class VisitAssignHostView(_VisitActionView):
    form_class = forms.AssignHostForm
    done_message = _("L'accueillant est désigné.")

    def act(self, visit, data):
        return visit_assign_host(visit=visit, user=self.request.user, host=data["host"], offer=data["offer"])


class VisitCompleteView(_VisitActionView):
    done_message = _("La visite est marquée réalisée. Merci !")

    def act(self, visit, data):
        return visit_complete(visit=visit, user=self.request.user)


class VisitReportView(_VisitActionView):
    form_class = forms.ReportForm
    done_message = _("Votre rapport d'étonnement est enregistré. Merci !")

    def act(self, visit, data):
        return visit_report_write(visit=visit, user=self.request.user, report=data["report"], consent=data["consent"])


class VisitPublishView(_VisitActionView):
    done_message = _("La publication du rapport est mise à jour.")

    def act(self, visit, data):
        return visit_report_publish(
            visit=visit, user=self.request.user, publish=self.request.POST.get("publish") != "0"
        )


class VisitNewsletterView(RuleRequiredMixin, View):
    """Communication or HR offers a published report to the newsletter's issue in preparation."""

    rule = staticmethod(perms.can_promote)
    http_method_names = ["post"]

    def post(self, request, pk):
        visit = get_object_or_404(selectors.reports_published(), pk=pk)
        try:
            promotion.report_offer_to_newsletter(visit=visit, user=request.user)
        except ValidationError as error:
            messages.error(request, service_error_text(error))
        else:
            messages.success(request, _("Le rapport est ajouté au numéro de la lettre en préparation."))
        return redirect("shadowing:report-list")


class VisitAgreementView(InternalRequiredMixin, FormView):
    """The discretion agreement: read it, accept it (the visitor), or read the signed one."""

    form_class = forms.AgreementSignForm
    template_name = "shadowing/visit_agreement.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and perms.can_use(request.user):
            self.visit = _visible_visit(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        current = agreement_current()
        return {"version": current.pk if current else None}

    def post(self, request, *args, **kwargs):
        if not perms.is_visitor(request.user, self.visit):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            visit_agreement_sign(visit=self.visit, user=self.request.user, version=form.cleaned_data["version"])
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Engagement signé. Une copie PDF vous est envoyée, ainsi qu'à l'accueillant."))
        return redirect(self.visit.get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            visit=self.visit,
            agreement=self.visit.agreement or agreement_current(),
            can_sign=perms.can_sign_agreement(self.request.user, self.visit),
            **kwargs,
        )


class VisitAgreementPdfView(InternalRequiredMixin, View):
    def get(self, request, pk):
        visit = _visible_visit(request, pk)
        if visit.agreement_signed_at is None:
            raise Http404
        response = HttpResponse(agreement_pdf_render(visit=visit), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(True, f"engagement-discretion-{visit.pk}.pdf")
        return response
