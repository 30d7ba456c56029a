"""Journées d'intégration (HR): sessions, their invitations and waiting list, the attendance sheet."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from intranet.permissions import RuleRequiredMixin
from intranet.shortcuts import service_error_text
from onboarding import selectors
from onboarding.forms import IntegrationDayForm
from onboarding.models import IntegrationDay, Invitation
from onboarding.permissions import can_manage_onboarding
from onboarding.services.integration_days import invitation_cancel, session_invite, session_save
from onboarding.sheet import attendance_sheet_pdf


class SessionListView(RuleRequiredMixin, TemplateView):
    rule = staticmethod(can_manage_onboarding)
    template_name = "onboarding/session_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(sessions=selectors.session_list(), **kwargs)


class SessionEditView(RuleRequiredMixin, View):
    rule = staticmethod(can_manage_onboarding)
    template_name = "onboarding/session_form.html"

    def get(self, request, pk=None):
        session = get_object_or_404(IntegrationDay, pk=pk) if pk else None
        return render(request, self.template_name, {"form": IntegrationDayForm(instance=session), "session": session})

    def post(self, request, pk=None):
        session = get_object_or_404(IntegrationDay, pk=pk) if pk else None
        form = IntegrationDayForm(request.POST, instance=session)
        if form.is_valid():
            try:
                saved = session_save(session=form.save(commit=False), user=request.user)
            except ValidationError as error:
                form.add_error(None, service_error_text(error))
            else:
                count = session_invite(session=saved)
                messages.success(
                    request, _("La journée est enregistrée ; %(count)s nouvelle(s) invitation(s).") % {"count": count}
                )
                return redirect(saved)
        return render(request, self.template_name, {"form": form, "session": session}, status=400)


class SessionDetailView(RuleRequiredMixin, TemplateView):
    rule = staticmethod(can_manage_onboarding)
    template_name = "onboarding/session_detail.html"

    def get_context_data(self, **kwargs):
        session = get_object_or_404(IntegrationDay, pk=self.kwargs["pk"])
        invitations = list(selectors.session_invitations(session=session))
        by_status = {status: [i for i in invitations if i.status == status] for status in Invitation.Status}
        return super().get_context_data(
            session=session,
            invited=by_status[Invitation.Status.INVITED],
            waiting=by_status[Invitation.Status.WAITING],
            cancelled=by_status[Invitation.Status.CANCELLED],
            **kwargs,
        )


class SessionInviteView(RuleRequiredMixin, View):
    rule = staticmethod(can_manage_onboarding)
    http_method_names = ["post"]

    def post(self, request, pk):
        session = get_object_or_404(IntegrationDay, pk=pk)
        count = session_invite(session=session)
        messages.success(request, _("%(count)s nouvelle(s) invitation(s).") % {"count": count})
        return redirect(session)


class SessionSheetView(RuleRequiredMixin, View):
    """The feuille d'émargement: the invited agents, a column to sign (PDF)."""

    rule = staticmethod(can_manage_onboarding)

    def get(self, request, pk):
        session = get_object_or_404(IntegrationDay, pk=pk)
        response = HttpResponse(attendance_sheet_pdf(session=session), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(False, f"emargement-{session.date:%Y-%m-%d}.pdf")
        return response


class InvitationCancelView(RuleRequiredMixin, View):
    rule = staticmethod(can_manage_onboarding)
    http_method_names = ["post"]

    def post(self, request, pk):
        invitation = get_object_or_404(Invitation.objects.select_related("arrival__agent"), pk=pk)
        promoted = invitation_cancel(invitation=invitation, user=request.user)
        if promoted is not None:
            messages.success(
                request,
                _("Désistement enregistré ; %(agent)s passe de la liste d'attente aux invités et en est prévenu(e).")
                % {"agent": promoted.arrival.agent},
            )
        else:
            messages.success(request, _("Désistement enregistré."))
        return redirect(reverse("onboarding:session-detail", args=[invitation.session_id]))
