"""The questionnaire's pages: sections and questions added, changed, moved, deleted."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from surveys.forms import QuestionForm, SectionForm, validate_direction
from surveys.models import Question, Section
from surveys.services.questionnaire import (
    question_create,
    question_delete,
    question_move,
    question_update,
    section_create,
    section_delete,
    section_move,
    section_update,
)
from surveys.views.building import _ManageMixin


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
