"""Answering a survey (by the personal link or logged in), « Mes enquêtes », and the privacy page."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from django.views.generic import TemplateView

from intranet.permissions import RuleRequiredMixin
from surveys import selectors
from surveys.answering import answers_clean, raw_from_post
from surveys.models import Invitation, Survey
from surveys.permissions import can_list_my_surveys
from surveys.services.answers import invitation_draft_save, survey_answer_submit
from surveys.services.errors import AnswersInvalidError
from surveys.services.questionnaire import survey_questions

YES_NO_CHOICES = (("oui", _lazy("Oui")), ("non", _lazy("Non")))


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
