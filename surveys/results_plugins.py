"""The results side's registrations: the PDF report's renderer and the indicator sources that let a
survey's headline figure feed an action-plan indicator."""

from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from intranet.models import OrgUnit, Site
from intranet.pdf import pdf_render
from intranet.registry import DocumentRenderer, IndicatorSource, register
from surveys.models import Question, Survey, SurveySession
from surveys.results import ResultFilters, survey_response_rate, survey_satisfaction_rate
from surveys.results_views import RESULTS_PDF_DOCUMENT, results_context


def results_pdf_render(*, survey: int, session=None, unit=None, site=None) -> tuple[str, bytes]:
    """The results report as a PDF (the same figures and charts as the page; every free text)."""
    survey = Survey.objects.get(pk=survey)
    filters = ResultFilters(
        session=SurveySession.objects.filter(pk=session, survey=survey).first() if session else None,
        unit=OrgUnit.objects.filter(pk=unit).first() if unit and not survey.anonymous else None,
        site=Site.objects.filter(pk=site).first() if site and not survey.anonymous else None,
    )
    context = results_context(survey=survey, filters=filters, texts_limit=100_000)
    today = timezone.localdate()
    context.update(filters=filters, printed_on=date_format(today, "j F Y"))
    pdf = pdf_render("surveys/pdf/results.html", context)
    return f"resultats-{slugify(survey.title)[:60] or 'enquete'}.pdf", pdf


def _survey(argument: str) -> Survey | None:
    return Survey.objects.filter(pk=int(argument)).first() if argument.isdigit() else None


def _satisfaction(argument: str) -> Decimal | None:
    survey = _survey(argument)
    return survey_satisfaction_rate(survey) if survey else None


def _response_rate(argument: str) -> Decimal | None:
    survey = _survey(argument)
    return survey_response_rate(survey) if survey else None


def _surveys_with_scale():
    surveys = Survey.objects.exclude(status=Survey.Status.DRAFT).filter(questions__kind=Question.Kind.SCALE)
    return [(str(pk), title) for pk, title in surveys.distinct().order_by("-created_at").values_list("pk", "title")]


def _published_surveys():
    surveys = Survey.objects.exclude(status=Survey.Status.DRAFT)
    return [(str(pk), title) for pk, title in surveys.order_by("-created_at").values_list("pk", "title")]


register(
    DocumentRenderer(key=RESULTS_PDF_DOCUMENT, render=results_pdf_render),
    IndicatorSource(
        key="surveys.satisfaction",
        label=_("Enquête : taux de satisfaction (%)"),
        compute=_satisfaction,
        choices=_surveys_with_scale,
    ),
    IndicatorSource(
        key="surveys.response_rate",
        label=_("Enquête : taux de réponse (%)"),
        compute=_response_rate,
        choices=_published_surveys,
    ),
)
