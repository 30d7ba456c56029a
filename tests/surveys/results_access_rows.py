"""The results side's rows of the access matrix (merged into tests/surveys/access_rows.py): the
survey's managers (its author rh, administrators) read the results, export them and ask for the PDF."""

from django.urls import reverse

from intranet.models import DocumentRequest
from surveys.models import Survey
from tests.access import Redirect
from tests.surveys.access_rows import _managers, _survey_kwargs


def _export_kwargs(ctx):
    return {**_survey_kwargs(ctx), "fmt": "csv"}


def _results_page(ctx):
    return reverse("surveys:survey-results", args=[Survey.objects.latest("pk").pk])


def _document_status(ctx):
    return reverse("intranet:document-status", args=[DocumentRequest.objects.latest("pk").pk])


ROWS = {
    "surveys:survey-results": _managers(kwargs=_survey_kwargs),
    # The matrix's survey has no answer: below the threshold, the anonymous export is refused (back to
    # the results page with the reason); tests/surveys/test_results.py downloads real exports.
    "surveys:survey-results-export": _managers(
        kwargs=_export_kwargs, rh=Redirect(_results_page), admin_user=Redirect(_results_page)
    ),
    "surveys:survey-results-pdf": _managers(
        kwargs=_survey_kwargs, method="post", rh=Redirect(_document_status), admin_user=Redirect(_document_status)
    ),
}
