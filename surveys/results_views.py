"""The results side of a survey: the results page, its exports and its PDF (for the survey's managers)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from intranet.kept import KeptFragment
from intranet.models import OrgUnit, Site
from intranet.pickers import PickerChoiceField
from intranet.services import document_request
from intranet.shortcuts import ReaderSlot, kept_partial, query_digest
from intranet.text_policy import TextPolicyMixin
from surveys import exports
from surveys.charts import bars_svg
from surveys.models import SurveySession
from surveys.results import MIN_RESPONDENTS, ResultFilters, filters_allowed, session_overview, survey_results
from surveys.views.building import _ManageMixin

RESULTS_PDF_DOCUMENT = "surveys.results"


class ResultFilterForm(TextPolicyMixin, forms.Form):
    session = forms.ModelChoiceField(
        label=gettext_lazy("Session"),
        queryset=SurveySession.objects.none(),
        required=False,
        empty_label=gettext_lazy("Toutes les sessions"),
    )
    unit = PickerChoiceField(
        picker="services",
        kind="unit",
        label=gettext_lazy("Unité (et ses sous-unités)"),
        queryset=OrgUnit.objects.all(),
        required=False,
        empty_label=gettext_lazy("Toutes les unités"),
    )
    site = PickerChoiceField(
        picker="sites",
        kind="site",
        label=gettext_lazy("Site"),
        queryset=Site.objects.all(),
        required=False,
        empty_label=gettext_lazy("Tous les sites"),
    )

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        sessions = survey.sessions.order_by("order", "held_on", "pk")
        field = self.fields["session"]
        field.queryset = sessions
        field.choices = [("", field.empty_label), *((s.pk, field.label_from_instance(s)) for s in sessions)]  # one read
        if len(field.choices) == 1:
            del self.fields["session"]
        if not filters_allowed(survey):  # anonymous: no path to a unit or a site, by design
            del self.fields["unit"], self.fields["site"]

    def filters(self) -> ResultFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return ResultFilters(session=data.get("session"), unit=data.get("unit"), site=data.get("site"))


def results_context(*, survey, filters: ResultFilters, texts_limit=None) -> dict:
    """What the page and the PDF show: the figures, a chart per question, the sessions' table."""
    kwargs = {} if texts_limit is None else {"texts_limit": texts_limit}
    results = survey_results(survey=survey, filters=filters, **kwargs)
    for index, result in enumerate(results.questions, start=1):
        result.chart = (
            bars_svg(bars=result.bars, title=result.question.label, chart_id=f"graphique-{index}")
            if result.bars and not result.hidden
            else ""
        )
    headline = results.headline
    return {
        "survey": survey,
        "results": results,
        "threshold": MIN_RESPONDENTS,
        "sessions": session_overview(
            survey=survey,
            headline=headline.question if headline else None,
            respondents=results.respondent_counts,
            answers=results.answer_counts,
        )
        if not filters.is_group
        else [],
    }


# The figures below the filters: the same for every manager of the survey, for each group asked for
# (the filters as validated: an anonymous survey has no unit nor site). Their counts, thresholds and
# suppressions are computed from these models, so a change to one of them renews the page (this
# module is imported when the app is ready: surveys.plugins).
RESULTS_PAGE = KeptFragment(
    "surveys:results",
    changes_with=(
        "surveys.Survey",
        "surveys.SurveySession",
        "surveys.Section",
        "surveys.Question",
        "surveys.Choice",
        "surveys.Invitation",
        "surveys.Response",
        "surveys.ResponseIdentity",
        "surveys.Answer",
        "intranet.Agent",  # a respondent's unit and site
        "intranet.OrgUnit",
        "intranet.Site",
    ),
)


PDF_FORM = ReaderSlot("the reader's PDF form")


class SurveyResultsView(_ManageMixin, View):
    """The results: the survey read and its manager checked at each visit; the page below the header
    kept per address (the filters as typed) and its figures per group asked for (RESULTS_PAGE); the
    « Rapport PDF » form (the reader's CSRF token) drawn at each visit into the kept page."""

    def get(self, request, pk):
        survey = self.get_survey(pk)

        def context() -> dict:
            form = ResultFilterForm(request.GET or None, survey=survey)
            filters = form.filters()

            def render_body():
                values = results_context(survey=survey, filters=filters)
                return render_to_string("surveys/_results_body.html", {**values, "filters": filters})

            body = RESULTS_PAGE.html(survey.pk, *filters.params().values(), render=render_body)
            return {
                "survey": survey,
                "form": form,
                "threshold": MIN_RESPONDENTS,
                "body": body,
                "pdf_form_slot": PDF_FORM.marker,
            }

        page, form_errors = kept_partial(
            RESULTS_PAGE,
            "page",
            survey.pk,
            query_digest(request),
            request=request,
            template_name="surveys/results.html#page",
            context=context,
        )
        names = ["session", "unit", "site"] if filters_allowed(survey) else ["session"]
        pdf_form = render_to_string(
            "surveys/_results_pdf_form.html",
            {"survey": survey, "filters": [(name, request.GET[name]) for name in names if request.GET.get(name)]},
            request,
        )
        page = PDF_FORM.fill(page, pdf_form)
        return render(request, "surveys/results.html", {"survey": survey, "page": page, "form_errors": form_errors})


class SurveyResultsExportView(_ManageMixin, View):
    FORMATS = {
        "csv": ("text/csv; charset=utf-8", exports.export_csv),
        "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports.export_xlsx),
    }

    def get(self, request, pk, fmt):
        survey = self.get_survey(pk)
        content_type, export = self.FORMATS[fmt]
        try:
            content = export(survey=survey)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("surveys:survey-results", pk=survey.pk)
        response = HttpResponse(content, content_type=content_type)
        name = slugify(survey.title)[:60] or "enquete"
        response["Content-Disposition"] = content_disposition_header(True, f"reponses-{name}.{fmt}")
        return response


class SurveyResultsPdfView(_ManageMixin, View):
    def post(self, request, pk):
        survey = self.get_survey(pk)
        form = ResultFilterForm(request.POST, survey=survey)
        params = {"survey": survey.pk, **form.filters().params()}
        document = document_request(kind=RESULTS_PDF_DOCUMENT, params=params, user=request.user)
        messages.info(request, _("Le rapport est en préparation : il sera téléchargeable sur cette page."))
        return redirect("intranet:document-status", pk=document.pk)
