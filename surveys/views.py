"""The surveys app's pages: answering (personal link or logged in), "Mes enquêtes", building."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from intranet.audiences import AudienceForm, AudienceSpec, audience_describe
from intranet.permissions import RuleRequiredMixin
from intranet.shortcuts import paginate
from surveys import selectors
from surveys.answering import answers_clean, raw_from_post
from surveys.forms import (
    AuthorsForm,
    InviteForm,
    QuestionForm,
    SectionForm,
    SessionForm,
    SurveyCreateForm,
    SurveyForm,
    validate_direction,
)
from surveys.models import Invitation, Question, Section, Survey
from surveys.permissions import can_build_surveys, can_list_my_surveys, can_manage_survey
from surveys.services.answers import invitation_draft_save, survey_answer_submit
from surveys.services.drafting import survey_copy, survey_delete, survey_draft_create, survey_settings_save
from surveys.services.errors import AnswersInvalidError
from surveys.services.invitations import survey_invite_audience, survey_remind
from surveys.services.questionnaire import (
    condition_values,
    question_create,
    question_delete,
    question_move,
    question_update,
    section_create,
    section_delete,
    section_move,
    section_update,
    session_create,
    survey_questions,
)
from surveys.services.status import survey_close, survey_publish

YES_NO_CHOICES = (("oui", _lazy("Oui")), ("non", _lazy("Non")))

# --- Answering -------------------------------------------------------------------------------


def _sections_for_display(questions, raw, errors, visible):
    """[(section, [item])] where an item is a question with its current values, error and visibility."""
    sections: list = []
    for question in questions:
        if not sections or sections[-1][0].pk != question.section_id:
            sections.append((question.section, []))
        values = raw.get(question.field_name, [])
        sections[-1][1].append(
            {
                "question": question,
                "values": values,
                "value": values[0] if values else "",
                "error": errors.get(question.pk),
                "hidden": question.pk not in visible,
                "condition_field": f"q{question.condition_question_id}" if question.condition_question_id else "",
            }
        )
    return sections


def _error_links(questions, errors) -> list[tuple[str, str]]:
    """The error summary's entries: (the question's anchor, « question : message »), in page order."""
    return [
        (
            f"question-{question.pk}",
            _("%(question)s : %(error)s") % {"question": question.label, "error": errors[question.pk]},
        )
        for question in questions
        if question.pk in errors
    ]


class _AnswerMixin:
    """GET shows the questionnaire (resuming a draft); POST saves a draft or submits once."""

    template_name = "surveys/answer.html"
    # Reached from an e-mailed personal link (the token), not from the intranet's pages.
    from_link = False

    def get_invitation(self) -> Invitation | None:
        raise NotImplementedError

    def render_state(self, request, invitation, *, status=200):
        if invitation is None:
            return render(request, "surveys/link_invalid.html", status=404)
        if invitation.answered:
            return render(request, "surveys/answered.html", {"survey": invitation.survey, "from_link": self.from_link})
        survey = invitation.survey
        if not survey.is_accepting_answers():
            ended = survey.status == Survey.Status.CLOSED or bool(
                survey.closes_on and survey.closes_on < timezone.localdate()
            )
            return render(
                request, "surveys/closed.html", {"survey": survey, "ended": ended, "from_link": self.from_link}
            )
        return None

    def render_form(self, request, invitation, *, raw, errors=None, status=200, preview=False):
        questions = list(survey_questions(invitation.survey))
        visible = answers_clean(questions=questions, raw=raw, for_submit=False).visible
        return render(
            request,
            self.template_name,
            {
                "survey": invitation.survey,
                "invitation": invitation,
                "preview": preview,
                "sections": _sections_for_display(questions, raw, errors or {}, visible),
                "form_errors": _error_links(questions, errors or {}),
                "nps_levels": range(11),
                "yes_no": YES_NO_CHOICES,
            },
            status=status,
        )

    def get(self, request, *args, **kwargs):
        invitation = self.get_invitation()
        return self.render_state(request, invitation) or self.render_form(
            request, invitation, raw=invitation.draft or {}
        )

    def post(self, request, *args, **kwargs):
        invitation = self.get_invitation()
        refused = self.render_state(request, invitation)
        if refused is not None:
            return refused
        raw = raw_from_post(request.POST, survey_questions(invitation.survey))
        try:
            if request.POST.get("action") == "save":
                invitation_draft_save(invitation=invitation, raw=raw)
                messages.success(
                    request, _("Vos réponses sont enregistrées : vous pourrez reprendre plus tard avec le même lien.")
                )
            else:
                survey_answer_submit(invitation=invitation, raw=raw)
                messages.success(request, _("Merci ! Votre réponse est enregistrée."))
        except AnswersInvalidError as error:
            return self.render_form(request, invitation, raw=raw, errors=error.cleaned.errors, status=400)
        except ValidationError:
            invitation.refresh_from_db()
            return self.render_state(request, invitation) or redirect(request.path)
        return redirect(request.path)


class TokenAnswerView(_AnswerMixin, View):
    """`/enquetes/r/<token>/`: the personal link of the invitation e-mail; no login needed."""

    from_link = True

    def get_invitation(self):
        token = self.kwargs["token"]
        if len(token) != 64:
            return None
        return Invitation.objects.for_token(token).select_related("survey", "agent").first()


class SurveyAnswerView(LoginRequiredMixin, _AnswerMixin, View):
    """`/enquetes/<pk>/repondre/`: a logged-in invitee answers (from the home page or "Mes enquêtes")."""

    def get_invitation(self):
        invitation = (
            Invitation.objects.filter(survey_id=self.kwargs["pk"], agent=self.request.user)
            .exclude(survey__status=Survey.Status.DRAFT)
            .select_related("survey")
            .first()
        )
        if invitation is None:
            raise Http404
        return invitation


class MySurveysView(RuleRequiredMixin, TemplateView):
    rule = staticmethod(can_list_my_surveys)
    template_name = "surveys/my_surveys.html"

    def get_context_data(self, **kwargs):
        invitations = list(selectors.invitation_list_mine(user=self.request.user))
        today = timezone.localdate()
        for invitation in invitations:
            survey = invitation.survey
            invitation.can_answer = not invitation.answered and survey.is_accepting_answers(today=today)
            # Published but opening later: the list gives the date, as the link does (« pas encore ouverte »).
            invitation.opens_on = (
                survey.opens_on
                if survey.status in (Survey.Status.SCHEDULED, Survey.Status.OPEN)
                and survey.opens_on
                and survey.opens_on > today
                else None
            )
        return super().get_context_data(invitations=invitations, **kwargs)


class PrivacyView(TemplateView):
    """What the organisers of a survey can and cannot see (public: linked from every questionnaire)."""

    template_name = "surveys/privacy.html"


# --- Building --------------------------------------------------------------------------------


class SurveyManageListView(RuleRequiredMixin, TemplateView):
    rule = staticmethod(can_build_surveys)
    template_name = "surveys/manage_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(surveys=selectors.survey_list_managed(user=self.request.user), **kwargs)


class SurveyCreateView(RuleRequiredMixin, View):
    rule = staticmethod(can_build_surveys)

    def get(self, request):
        return render(request, "surveys/survey_form.html", {"form": SurveyCreateForm(), "creating": True})

    def post(self, request):
        form = SurveyCreateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                survey = survey_draft_create(
                    author=request.user,
                    title=data["title"],
                    template=data["template"],
                    intro=data["intro"],
                    anonymous=data["anonymous"],
                    opens_on=data["opens_on"],
                    closes_on=data["closes_on"],
                    auto_remind_days=data["auto_remind_days"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("L'enquête est créée (brouillon)."))
                return redirect(survey.get_manage_url())
        return render(request, "surveys/survey_form.html", {"form": form, "creating": True}, status=400)


class _ManageMixin(LoginRequiredMixin):
    """Loads the survey of the URL for one of its managers (authors, administrators)."""

    def get_survey(self, pk) -> Survey:
        survey = get_object_or_404(Survey, pk=pk)
        if not can_manage_survey(self.request.user, survey):
            raise PermissionDenied
        return survey


class SurveyBuildView(_ManageMixin, View):
    def get(self, request, pk):
        survey = self.get_survey(pk)
        questions = list(survey_questions(survey))
        by_id = {question.pk: question for question in questions}
        for question in questions:
            parent = by_id.get(question.condition_question_id)
            if parent is not None:
                value = dict(condition_values(parent) or []).get(question.condition_value, question.condition_value)
                question.condition_label = _("Affichée si « %(question)s » a pour réponse « %(value)s ».") % {
                    "question": parent.label,
                    "value": value,
                }
        sections = [
            (section, [q for q in questions if q.section_id == section.pk])
            for section in survey.sections.order_by("order", "pk")
        ]
        invited = survey.invitations.count()
        answered = survey.invitations.filter(answered=True).count()
        counts = {"invited": invited, "answered": answered, "pending": invited - answered}
        return render(
            request,
            "surveys/survey_build.html",
            {
                "survey": survey,
                "sections": sections,
                "frozen": survey.questions_frozen,
                "sessions": survey.sessions.all(),
                "counts": counts,
                "audience": audience_describe(spec=AudienceSpec.from_json(survey.audience)) if survey.audience else "",
                "accepting": survey.is_accepting_answers(),
            },
        )


class SurveyEditView(_ManageMixin, View):
    def get(self, request, pk):
        survey = self.get_survey(pk)
        return render(
            request,
            "surveys/survey_form.html",
            {
                "form": SurveyForm(instance=survey),
                "authors_form": AuthorsForm(initial=AuthorsForm.initial_for(survey)),
                "survey": survey,
            },
        )

    def post(self, request, pk):
        survey = self.get_survey(pk)
        form = SurveyForm(request.POST, instance=Survey.objects.get(pk=survey.pk))
        authors_form = AuthorsForm(request.POST)
        if form.is_valid() and authors_form.is_valid():
            data = form.cleaned_data
            try:
                survey_settings_save(
                    survey=survey,
                    user=request.user,
                    authors=authors_form.cleaned_data["authors"],
                    title=data["title"],
                    intro=data["intro"],
                    anonymous=data["anonymous"],
                    opens_on=data["opens_on"],
                    closes_on=data["closes_on"],
                    auto_remind_days=data["auto_remind_days"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("L'enquête est enregistrée."))
                if not can_manage_survey(request.user, survey):
                    return redirect("surveys:survey-manage")
                return redirect(survey.get_manage_url())
        return render(
            request,
            "surveys/survey_form.html",
            {"form": form, "authors_form": authors_form, "survey": survey},
            status=400,
        )


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


class SurveyPreviewView(_ManageMixin, _AnswerMixin, View):
    def get(self, request, pk):
        survey = self.get_survey(pk)
        return self.render_form(request, Invitation(survey=survey), raw={}, preview=True)

    def post(self, request, pk):
        raise PermissionDenied


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


class SectionCreateView(_ManageMixin, View):
    def get(self, request, pk):
        survey = self.get_survey(pk)
        return render(
            request,
            "surveys/simple_form.html",
            {"survey": survey, "form": SectionForm(), "heading": _("Nouvelle section")},
        )

    def post(self, request, pk):
        survey = self.get_survey(pk)
        form = SectionForm(request.POST)
        if form.is_valid():
            try:
                section_create(survey=survey, **form.cleaned_data)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Section ajoutée."))
            return redirect(survey.get_manage_url())
        return render(
            request,
            "surveys/simple_form.html",
            {"survey": survey, "form": form, "heading": _("Nouvelle section")},
            status=400,
        )


class _SectionMixin(_ManageMixin):
    def get_section(self, pk) -> Section:
        section = get_object_or_404(Section.objects.select_related("survey"), pk=pk)
        self.get_survey(section.survey_id)
        return section


class SectionEditView(_SectionMixin, View):
    def get(self, request, pk):
        section = self.get_section(pk)
        form = SectionForm(initial={"title": section.title, "description": section.description})
        return render(
            request,
            "surveys/simple_form.html",
            {"survey": section.survey, "form": form, "heading": _("Modifier la section")},
        )

    def post(self, request, pk):
        section = self.get_section(pk)
        form = SectionForm(request.POST)
        if form.is_valid():
            try:
                section_update(section=section, **form.cleaned_data)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            return redirect(section.survey.get_manage_url())
        return render(
            request,
            "surveys/simple_form.html",
            {"survey": section.survey, "form": form, "heading": _("Modifier la section")},
            status=400,
        )


class SectionDeleteView(_SectionMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        section = self.get_section(pk)
        try:
            section_delete(section=section)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Section supprimée."))
        return redirect(section.survey.get_manage_url())


class SectionMoveView(_SectionMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        section = self.get_section(pk)
        try:
            section_move(section=section, direction=validate_direction(request.POST.get("direction", "")))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(section.survey.get_manage_url() + f"#section-{section.pk}")


class QuestionCreateView(_SectionMixin, View):
    template_name = "surveys/question_form.html"

    def get(self, request, pk):
        section = self.get_section(pk)
        form = QuestionForm(survey=section.survey, initial={"section": section.pk, "kind": Question.Kind.SCALE})
        return render(request, self.template_name, {"survey": section.survey, "form": form})

    def post(self, request, pk):
        section = self.get_section(pk)
        form = QuestionForm(request.POST, survey=section.survey)
        if form.is_valid():
            try:
                question_create(section=form.cleaned_data["section"], **form.service_kwargs())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Question ajoutée."))
                return redirect(section.survey.get_manage_url())
        return render(request, self.template_name, {"survey": section.survey, "form": form}, status=400)


class _QuestionMixin(_ManageMixin):
    def get_question(self, pk) -> Question:
        question = get_object_or_404(Question.objects.select_related("survey", "section", "condition_question"), pk=pk)
        self.get_survey(question.survey_id)
        return question


class QuestionEditView(_QuestionMixin, View):
    template_name = "surveys/question_form.html"

    def get(self, request, pk):
        question = self.get_question(pk)
        form = QuestionForm(survey=question.survey, question=question, initial=QuestionForm.initial_for(question))
        return render(request, self.template_name, {"survey": question.survey, "form": form, "question": question})

    def post(self, request, pk):
        question = self.get_question(pk)
        form = QuestionForm(request.POST, survey=question.survey, question=question)
        if form.is_valid():
            try:
                question_update(question=question, section=form.cleaned_data["section"], **form.service_kwargs())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Question enregistrée."))
                return redirect(question.survey.get_manage_url())
        return render(
            request, self.template_name, {"survey": question.survey, "form": form, "question": question}, status=400
        )


class QuestionDeleteView(_QuestionMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        question = self.get_question(pk)
        try:
            question_delete(question=question)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Question supprimée."))
        return redirect(question.survey.get_manage_url())


class QuestionMoveView(_QuestionMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        question = self.get_question(pk)
        try:
            question_move(question=question, direction=validate_direction(request.POST.get("direction", "")))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(reverse("surveys:survey-build", args=[question.survey_id]) + f"#question-{question.pk}")
