"""The buttons of a survey's build page (publish, close, remind, copy, delete) and who it reaches:
the invitation of an audience, the list of invitees, the sessions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from intranet.audiences import AudienceForm, AudienceSpec
from intranet.shortcuts import paginate
from surveys import selectors
from surveys.forms import InviteForm, SessionForm
from surveys.permissions import can_build_surveys
from surveys.services.drafting import survey_copy, survey_delete
from surveys.services.invitations import survey_invite_audience, survey_remind
from surveys.services.questionnaire import session_create
from surveys.services.status import survey_close, survey_publish
from surveys.views.building import _ManageMixin


class InvitationListView(_ManageMixin, View):
    """Who was invited; whether each answered for an identified survey, the counts only for an
    anonymous one — never what they answered."""

    FILTERS = {"": None, "oui": True, "non": False}

    def get(self, request, pk):
        survey = self.get_survey(pk)
        state = "" if survey.anonymous else request.GET.get("repondu", "")
        answered = self.FILTERS.get(state)
        invitations = selectors.invitation_list_for_manager(survey=survey, answered=answered)
        page_obj = paginate(request, invitations, 50)
        return render(
            request,
            "surveys/invitation_list.html",
            {
                "survey": survey,
                "page_obj": page_obj,
                "state": state if state in self.FILTERS else "",
                "counts": selectors.invitation_counts(survey=survey),
            },
        )


class _SurveyActionView(_ManageMixin, View):
    """POST only: one service on the survey, a message, back to the build page."""

    http_method_names = ["post"]

    def act(self, request, survey) -> str:
        raise NotImplementedError

    def post(self, request, pk):
        survey = self.get_survey(pk)
        try:
            message = self.act(request, survey)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, message)
        return redirect(self.success_url(survey))

    def success_url(self, survey):
        return survey.get_manage_url()


class SurveyDeleteView(_ManageMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        survey = self.get_survey(pk)
        try:
            survey_delete(survey=survey, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(survey.get_manage_url())
        messages.success(request, _("L'enquête est supprimée."))
        return redirect("surveys:survey-manage")


class SurveyPublishView(_SurveyActionView):
    def act(self, request, survey):
        survey_publish(survey=survey, user=request.user)
        return _("L'enquête est publiée.")


class SurveyCloseView(_SurveyActionView):
    def act(self, request, survey):
        survey_close(survey=survey, user=request.user)
        return _("L'enquête est clôturée : elle n'accepte plus de réponses.")


class SurveyRemindView(_SurveyActionView):
    def act(self, request, survey):
        count = survey_remind(survey=survey, user=request.user)
        return ngettext(
            "%(count)d relance envoyée (aux seules personnes qui n'ont pas répondu).",
            "%(count)d relances envoyées (aux seules personnes qui n'ont pas répondu).",
            count,
        ) % {"count": count}


class SurveyCopyView(_SurveyActionView):
    def act(self, request, survey):
        if not can_build_surveys(request.user):
            raise PermissionDenied
        self.copy = survey_copy(survey=survey, user=request.user)
        return _("Copie créée : vous pouvez la modifier.")

    def success_url(self, survey):
        return self.copy.get_manage_url() if getattr(self, "copy", None) else survey.get_manage_url()


class SurveyInviteView(_ManageMixin, View):
    template_name = "surveys/survey_invite.html"

    def get(self, request, pk):
        survey = self.get_survey(pk)
        initial = AudienceForm.initial_from(AudienceSpec.from_json(survey.audience)) if survey.audience else {}
        return render(
            request,
            self.template_name,
            {
                "survey": survey,
                "audience_form": AudienceForm(initial=initial, prefix="audience"),
                "invite_form": InviteForm(survey=survey),
            },
        )

    def post(self, request, pk):
        survey = self.get_survey(pk)
        audience_form = AudienceForm(request.POST, prefix="audience")
        invite_form = InviteForm(request.POST, survey=survey)
        if audience_form.is_valid() and invite_form.is_valid():
            try:
                count = survey_invite_audience(
                    survey=survey,
                    spec=audience_form.spec,
                    user=request.user,
                    session=invite_form.cleaned_data["session"],
                )
            except ValidationError as error:
                audience_form.add_error(None, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d personne invitée : le lien personnel part par e-mail.",
                        "%(count)d personnes invitées : le lien personnel part par e-mail.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect(survey.get_manage_url())
        return render(
            request,
            self.template_name,
            {"survey": survey, "audience_form": audience_form, "invite_form": invite_form},
            status=400,
        )


class SessionCreateView(_ManageMixin, View):
    def get(self, request, pk):
        survey = self.get_survey(pk)
        return render(
            request,
            "surveys/simple_form.html",
            {"survey": survey, "form": SessionForm(), "heading": _("Nouvelle session")},
        )

    def post(self, request, pk):
        survey = self.get_survey(pk)
        form = SessionForm(request.POST)
        if form.is_valid():
            try:
                session_create(survey=survey, label=form.cleaned_data["label"], held_on=form.cleaned_data["held_on"])
            except ValidationError as error:
                form.add_error("label", error)
            else:
                messages.success(request, _("Session ajoutée."))
                return redirect(survey.get_manage_url())
        return render(
            request,
            "surveys/simple_form.html",
            {"survey": survey, "form": form, "heading": _("Nouvelle session")},
            status=400,
        )
