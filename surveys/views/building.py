"""Building a survey: the organisers' list, a new survey, its build page, its settings, its preview."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from intranet.audiences import AudienceSpec, audience_describe
from intranet.permissions import RuleRequiredMixin
from surveys import selectors
from surveys.forms import AuthorsForm, SurveyCreateForm, SurveyForm
from surveys.models import Invitation, Survey
from surveys.permissions import can_build_surveys, can_manage_survey
from surveys.services.drafting import survey_draft_create, survey_settings_save
from surveys.services.questionnaire import condition_values, survey_questions
from surveys.views.answering import _AnswerMixin


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


class SurveyPreviewView(_ManageMixin, _AnswerMixin, View):
    def get(self, request, pk):
        survey = self.get_survey(pk)
        return self.render_form(request, Invitation(survey=survey), raw={}, preview=True)

    def post(self, request, pk):
        raise PermissionDenied
