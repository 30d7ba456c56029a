"""The managers' space (seed 002): its page (the library's folders for managers, the latest questions,
the webinars), the questions and answers between managers, marking the useful answer, moderation.
Thin views over content.selectors and content.services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from content import selectors, services
from content.forms import AnswerForm, HideForm, QuestionForm
from content.permissions import can_mark_useful, can_moderate_questions, can_use_managers_space
from intranet.permissions import RuleRequiredMixin
from intranet.shortcuts import form_add_service_error, paginate, service_error_text

QUESTIONS_PER_PAGE = 20
LATEST_QUESTIONS = 5
WEBINAR_KIND = "webinaire"  # events.Event.Kind.WEBINAR: the agenda's filter (content does not import events)


class SpaceMixin(RuleRequiredMixin):
    rule = staticmethod(can_use_managers_space)


class ModeratorMixin(RuleRequiredMixin):
    rule = staticmethod(can_moderate_questions)


class ManagersSpaceView(SpaceMixin, TemplateView):
    template_name = "content/managers_space.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            folders=selectors.managers_folders(user=user),
            questions=list(selectors.question_list(user=user)[:LATEST_QUESTIONS]),
            webinars_url=reverse("events:agenda") + "?" + urlencode({"kind": WEBINAR_KIND}),
            **kwargs,
        )


class QuestionListView(SpaceMixin, TemplateView):
    template_name = "content/question_list.html"

    def get_context_data(self, **kwargs):
        page_obj = paginate(self.request, selectors.question_list(user=self.request.user), QUESTIONS_PER_PAGE)
        return super().get_context_data(
            page_obj=page_obj, questions=page_obj.object_list, can_moderate=can_moderate_questions(self.request.user)
        )


class QuestionCreateView(SpaceMixin, View):
    template_name = "content/question_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": QuestionForm()})

    def post(self, request):
        form = QuestionForm(request.POST)
        if form.is_valid():
            try:
                question = services.question_ask(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form_add_service_error(form, error)
            else:
                messages.success(request, _("Votre question est posée : vous serez prévenu par courriel des réponses."))
                return redirect(question)
        return render(request, self.template_name, {"form": form}, status=400)


class QuestionDetailView(SpaceMixin, View):
    """The question and its answers; POST: an answer."""

    template_name = "content/question_detail.html"

    def _render(self, request, question, form, status=200):
        return render(
            request,
            self.template_name,
            {
                "question": question,
                "form": form,
                "can_mark_useful": can_mark_useful(request.user, question),
                "can_moderate": can_moderate_questions(request.user),
            },
            status=status,
        )

    def get(self, request, pk):
        question = selectors.question_get(user=request.user, pk=pk)
        return self._render(request, question, AnswerForm())

    def post(self, request, pk):
        question = selectors.question_get(user=request.user, pk=pk)
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                answer = services.answer_post(user=request.user, question=question, body=form.cleaned_data["body"])
            except ValidationError as error:
                form_add_service_error(form, error)
            else:
                messages.success(request, _("Votre réponse est publiée."))
                return redirect(question.get_absolute_url() + f"#reponse-{answer.pk}")
        return self._render(request, question, form, status=400)


class AnswerUsefulView(SpaceMixin, View):
    """POST: the asker marks an answer as the useful one (`answer` empty: none any more)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        question = selectors.question_get(user=request.user, pk=pk)
        answer_pk = request.POST.get("answer", "")
        answer = next((a for a in question.answer_list if str(a.pk) == answer_pk), None)
        if answer_pk and answer is None:
            messages.error(request, _("Cette réponse ne peut pas être retenue."))
            return redirect(question)
        try:
            services.answer_mark_useful(user=request.user, question=question, answer=answer)
        except ValidationError as error:
            messages.error(request, service_error_text(error))
        else:
            done = _("Merci : la réponse est marquée utile.") if answer else _("Plus aucune réponse n'est marquée.")
            messages.success(request, done)
        return redirect(question)


class QuestionHideView(ModeratorMixin, View):
    template_name = "content/moderate_form.html"

    def _render(self, request, question, form, status=200):
        context = {"form": form, "question": question, "target": question.title, "what": "question"}
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self._render(request, selectors.question_get(user=request.user, pk=pk), HideForm())

    def post(self, request, pk):
        question = selectors.question_get(user=request.user, pk=pk)
        form = HideForm(request.POST)
        if form.is_valid():
            try:
                services.question_hide(user=request.user, question=question, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                form_add_service_error(form, error)
            else:
                messages.success(request, _("La question est masquée."))
                return redirect("content:question-list")
        return self._render(request, question, form, status=400)


class AnswerHideView(ModeratorMixin, View):
    template_name = "content/moderate_form.html"

    def _render(self, request, answer, form, status=200):
        context = {"form": form, "question": answer.question, "target": answer.author_label, "what": "answer"}
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self._render(request, selectors.answer_get(user=request.user, pk=pk), HideForm())

    def post(self, request, pk):
        answer = selectors.answer_get(user=request.user, pk=pk)
        form = HideForm(request.POST)
        if form.is_valid():
            try:
                services.answer_hide(user=request.user, answer=answer, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                form_add_service_error(form, error)
            else:
                messages.success(request, _("La réponse est masquée."))
                return redirect(answer.question)
        return self._render(request, answer, form, status=400)
