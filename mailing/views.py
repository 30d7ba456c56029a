"""The send's control page for communication and HR: progress, controls, per-recipient log."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView, TemplateView

from intranet.audiences import AudienceSpec, audience_describe
from intranet.permissions import RuleRequiredMixin
from intranet.shortcuts import paginate
from mailing import selectors, services
from mailing.forms import DeliveryFilterForm, ScheduleForm
from mailing.models import Delivery, Mailing
from mailing.permissions import can_run_mailings

# htmx stops polling when the answer is 286 (the send can no longer move by itself).
STOP_POLLING = 286


class _MailingRule(RuleRequiredMixin):
    rule = staticmethod(can_run_mailings)


class MailingListView(_MailingRule, ListView):
    template_name = "mailing/mailing_list.html"
    paginate_by = 25
    context_object_name = "mailings"

    def get_queryset(self):
        return selectors.mailing_list().annotate(
            recipients=Count("deliveries"),
            sent=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.SENT)),
        )


class MailingDetailView(_MailingRule, TemplateView):
    template_name = "mailing/mailing_detail.html"
    log_page_size = 50

    def get_context_data(self, **kwargs):
        mailing = get_object_or_404(selectors.mailing_list(), pk=self.kwargs["pk"])
        filters = DeliveryFilterForm(self.request.GET or None)
        status = filters.cleaned_data["etat"] if filters.is_valid() else ""
        page = paginate(self.request, selectors.delivery_list(mailing=mailing, status=status), self.log_page_size)
        return super().get_context_data(
            mailing=mailing,
            progress=selectors.mailing_progress(mailing),
            activity=selectors.mailing_activity(mailing),
            filters=filters,
            status=status,
            page_obj=page,
            deliveries=page.object_list,
            audience=audience_describe(spec=AudienceSpec.from_json(mailing.audience)),
            schedule_form=kwargs.pop("schedule_form", None)
            or ScheduleForm(initial={"at": mailing.scheduled_at} if mailing.scheduled_at else None),
            **kwargs,
        )


class MailingProgressView(_MailingRule, View):
    """The live fragment, polled by the control page."""

    def get(self, request, pk):
        mailing = get_object_or_404(Mailing, pk=pk)
        response = TemplateResponse(
            request,
            "mailing/_progress.html",
            {
                "mailing": mailing,
                "progress": selectors.mailing_progress(mailing),
                "activity": selectors.mailing_activity(mailing),
            },
        )
        if request.htmx and not mailing.is_live:
            response.status_code = STOP_POLLING
        return response


class _MailingAction(_MailingRule, View):
    """POST: call one service on the mailing, say what happened, back to the control page."""

    success_message = ""

    def post(self, request, pk):
        mailing = get_object_or_404(Mailing, pk=pk)
        try:
            self.perform(mailing)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, self.success_message)
        return redirect(mailing)

    def perform(self, mailing):
        raise NotImplementedError


class MailingStartView(_MailingAction):
    success_message = _("L'envoi a commencé : la liste des destinataires est arrêtée.")

    def perform(self, mailing):
        services.mailing_start(mailing=mailing, user=self.request.user)


class MailingPauseView(_MailingAction):
    success_message = _("L'envoi est en pause.")

    def perform(self, mailing):
        services.mailing_pause(mailing=mailing, user=self.request.user)


class MailingResumeView(_MailingAction):
    success_message = _("L'envoi reprend.")

    def perform(self, mailing):
        services.mailing_resume(mailing=mailing, user=self.request.user)


class MailingCancelView(_MailingAction):
    success_message = _("L'envoi est annulé : rien de plus ne sera envoyé.")

    def perform(self, mailing):
        services.mailing_cancel(mailing=mailing, user=self.request.user)


class MailingRetryView(_MailingAction):
    success_message = _("Les envois en échec sont relancés.")

    def perform(self, mailing):
        services.mailing_retry_failed(mailing=mailing, user=self.request.user)


class MailingScheduleView(_MailingAction):
    success_message = _("L'envoi est programmé.")

    def post(self, request, pk):
        mailing = get_object_or_404(Mailing, pk=pk)
        form = ScheduleForm(request.POST)
        if form.is_valid():
            try:
                services.mailing_schedule(mailing=mailing, at=form.cleaned_data["at"], user=request.user)
            except ValidationError as error:
                form.add_error("at", error)
            else:
                messages.success(request, self.success_message)
                return redirect(mailing)
        detail = MailingDetailView(request=request, kwargs={"pk": pk}, args=())
        context = detail.get_context_data(schedule_form=form)
        return TemplateResponse(request, MailingDetailView.template_name, context, status=400)
