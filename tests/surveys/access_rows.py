"""The surveys app's rows of the role × URL access matrix (merged into MATRIX in
tests/test_access_matrix.py; same helpers and outcomes, see that module's docstring).

A survey is authored by the `rh` fixture: its author and administrators manage it, everybody
else gets 403. HR, communication and administrators build surveys. The personal link works for
whoever holds it (logged in or not); the logged-in answer page only for the invited agent."""

from django.urls import reverse

from surveys.models import Question, Survey
from tests.access import FORBIDDEN, LOGIN, NOT_FOUND, OK, Redirect, login_required, public, row
from tests.surveys.factories import InvitationFactory, QuestionFactory, SectionFactory, SurveyFactory


def _authored(ctx) -> Survey:
    survey = SurveyFactory(status=Survey.Status.DRAFT, authors=[ctx.users["rh"]])
    QuestionFactory(section=SectionFactory(survey=survey), kind=Question.Kind.SCALE)
    return survey


def _survey_kwargs(ctx):
    return {"pk": _authored(ctx).pk}


def _section_kwargs(ctx):
    return {"pk": _authored(ctx).sections.get().pk}


def _question_kwargs(ctx):
    return {"pk": _authored(ctx).questions.get().pk}


def _build_page(ctx):
    return reverse("surveys:survey-build", args=[Survey.objects.get().pk])


def _latest_build_page(ctx):
    return reverse("surveys:survey-build", args=[Survey.objects.order_by("-pk").first().pk])


def _token_kwargs(ctx):
    return {"token": InvitationFactory().token()}


def _agent_invited(ctx):
    return {"pk": InvitationFactory(agent=ctx.users["agent"]).survey_id}


def _builders(**kw):
    return row(**{"anonymous": LOGIN, "default": FORBIDDEN, "rh": OK, "communication": OK, "admin_user": OK, **kw})


def _managers(**kw):
    """The author (rh) and administrators."""
    return row(**{"anonymous": LOGIN, "default": FORBIDDEN, "rh": OK, "admin_user": OK, **kw})


def _managers_post(kwargs, to):
    return _managers(kwargs=kwargs, method="post", data={"direction": "up"}, rh=Redirect(to), admin_user=Redirect(to))


ROWS: dict = {
    "surveys:survey-mine": login_required(),
    "surveys:privacy": public(),
    "surveys:answer-token": public(kwargs=_token_kwargs),
    "surveys:survey-answer": row(kwargs=_agent_invited, anonymous=LOGIN, default=NOT_FOUND, agent=OK),
    "surveys:survey-manage": _builders(),
    "surveys:survey-create": _builders(),
    "surveys:survey-build": _managers(kwargs=_survey_kwargs),
    "surveys:survey-edit": _managers(kwargs=_survey_kwargs),
    "surveys:survey-preview": _managers(kwargs=_survey_kwargs),
    "surveys:survey-invite": _managers(kwargs=_survey_kwargs),
    "surveys:session-create": _managers(kwargs=_survey_kwargs),
    "surveys:section-create": _managers(kwargs=_survey_kwargs),
    "surveys:section-edit": _managers(kwargs=_section_kwargs),
    "surveys:question-create": _managers(kwargs=_section_kwargs),
    "surveys:question-edit": _managers(kwargs=_question_kwargs),
    "surveys:survey-copy": _managers(
        kwargs=_survey_kwargs, method="post", rh=Redirect(_latest_build_page), admin_user=Redirect(_latest_build_page)
    ),
    "surveys:survey-publish": _managers_post(_survey_kwargs, _build_page),
    "surveys:survey-close": _managers_post(_survey_kwargs, _build_page),
    "surveys:survey-remind": _managers_post(_survey_kwargs, _build_page),
    "surveys:section-delete": _managers_post(_section_kwargs, _build_page),
    "surveys:section-move": _managers_post(_section_kwargs, _build_page),
    "surveys:question-delete": _managers_post(_question_kwargs, _build_page),
    "surveys:question-move": _managers_post(_question_kwargs, _build_page),
}

ROWS["surveys:invitation-list"] = _managers(kwargs=_survey_kwargs)
ROWS["surveys:survey-delete"] = _managers(
    kwargs=_survey_kwargs, method="post", rh=Redirect("/enquetes/gestion/"), admin_user=Redirect("/enquetes/gestion/")
)
