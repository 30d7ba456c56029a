"""Journées d'intégration (HR): each is an event of the events app; here, onboarding's part — the
period of arrivals it invites, who is invited or waiting. The sign-in sheet, the check-in and the
registrations list are the event's (events app)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from events import services as events
from events.models import Registration
from intranet.permissions import RuleRequiredMixin
from intranet.shortcuts import form_add_service_error, service_error_text
from onboarding import selectors
from onboarding.forms import IntegrationDayForm
from onboarding.models import IntegrationDay
from onboarding.permissions import can_manage_onboarding
from onboarding.services.integration_days import (
    integration_day_create,
    integration_day_invite,
    integration_day_update,
)


def _day(pk) -> IntegrationDay:
    return get_object_or_404(
        IntegrationDay.objects.select_related("event_session__event", "event_session__site"), pk=pk
    )


class SessionListView(RuleRequiredMixin, TemplateView):
    rule = staticmethod(can_manage_onboarding)
    template_name = "onboarding/session_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(sessions=selectors.session_list(), **kwargs)


class SessionEditView(RuleRequiredMixin, View):
    rule = staticmethod(can_manage_onboarding)
    template_name = "onboarding/session_form.html"

    def get(self, request, pk=None):
        session = _day(pk) if pk else None
        return render(request, self.template_name, {"form": IntegrationDayForm(instance=session), "session": session})

    def post(self, request, pk=None):
        session = _day(pk) if pk else None
        form = IntegrationDayForm(request.POST, instance=session)
        if form.is_valid():
            values = dict(form.cleaned_data, day=form.cleaned_data["date"])
            del values["date"]
            try:
                if session is None:
                    saved = integration_day_create(user=request.user, **values)
                else:
                    saved = integration_day_update(integration_day=session, user=request.user, **values)
            except ValidationError as error:
                form_add_service_error(form, error)
            else:
                count = integration_day_invite(integration_day=saved)
                messages.success(
                    request, _("La journée est enregistrée ; %(count)s nouvelle(s) invitation(s).") % {"count": count}
                )
                return redirect(saved)
        return render(request, self.template_name, {"form": form, "session": session}, status=400)


class SessionDetailView(RuleRequiredMixin, TemplateView):
    rule = staticmethod(can_manage_onboarding)
    template_name = "onboarding/session_detail.html"

    def get_context_data(self, **kwargs):
        session = _day(self.kwargs["pk"])
        invitations = list(selectors.session_invitations(session=session))
        by_status = {status: [i for i in invitations if i.status == status] for status in Registration.Status}
        return super().get_context_data(
            session=session,
            invited=by_status[Registration.Status.CONFIRMED],
            waiting=by_status[Registration.Status.WAITING],
            cancelled=by_status[Registration.Status.CANCELLED],
            **kwargs,
        )


class SessionInviteView(RuleRequiredMixin, View):
    rule = staticmethod(can_manage_onboarding)
    http_method_names = ["post"]

    def post(self, request, pk):
        session = _day(pk)
        count = integration_day_invite(integration_day=session)
        messages.success(request, _("%(count)s nouvelle(s) invitation(s).") % {"count": count})
        return redirect(session)


class SessionSheetView(RuleRequiredMixin, View):
    """Moved: the feuille d'émargement is the event's sign-in sheet (events app)."""

    rule = staticmethod(can_manage_onboarding)

    def get(self, request, pk):
        session = _day(pk)
        return HttpResponsePermanentRedirect(reverse("events:session-sheet", args=[session.event_session_id]))


class InvitationCancelView(RuleRequiredMixin, View):
    """The newcomer cannot come: their registration is cancelled by the events app, which gives the
    seat to the first person waiting and tells them."""

    rule = staticmethod(can_manage_onboarding)
    http_method_names = ["post"]

    def post(self, request, pk):
        invitation = get_object_or_404(
            Registration.objects.select_related("agent", "session__integration_day"),
            pk=pk,
            session__integration_day__isnull=False,
        )
        try:
            promoted = events.registration_cancel(registration=invitation, user=request.user)
        except ValidationError as error:
            messages.error(request, service_error_text(error))
        else:
            if promoted is not None:
                messages.success(
                    request,
                    _(
                        "Désistement enregistré ; %(agent)s passe de la liste d'attente aux invités "
                        "et en est prévenu(e)."
                    )
                    % {"agent": promoted.agent},
                )
            else:
                messages.success(request, _("Désistement enregistré."))
        return redirect(invitation.session.integration_day)
