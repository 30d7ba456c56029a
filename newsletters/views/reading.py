"""The readers' pages: the archive of sent issues, an issue's web version, its PDF."""

from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.views import View
from django.views.generic import TemplateView

from intranet.permissions import RuleRequiredMixin
from intranet.services import document_request
from newsletters import selectors
from newsletters.content.view import issue_view, reader_of
from newsletters.forms import ArchiveSearchForm
from newsletters.pdf import ISSUE_PDF_DOCUMENT, IssuePdfTooLarge, issue_pdf_filename, issue_pdf_render
from newsletters.permissions import can_edit_newsletter, can_read_archive


class IssueListView(RuleRequiredMixin, TemplateView):
    """The archive of sent issues the user may read, searchable (htmx: results only)."""

    rule = staticmethod(can_read_archive)
    template_name = "newsletters/issue_list.html"

    def get_template_names(self):
        if self.request.htmx:
            return ["newsletters/issue_list.html#results"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        form = ArchiveSearchForm(self.request.GET or None)
        query = form.cleaned_data["q"] if form.is_valid() else ""
        issues = selectors.issue_list_archive(user=self.request.user, query=query)
        return super().get_context_data(
            form=form, query=query, issues=issues, can_edit=can_edit_newsletter(self.request.user), **kwargs
        )


class IssueDetailView(RuleRequiredMixin, TemplateView):
    """The web version of an issue (and the editors' preview of a draft)."""

    rule = staticmethod(can_read_archive)
    template_name = "newsletters/issue_detail.html"

    def get_context_data(self, **kwargs):
        issue = selectors.issue_get_readable(user=self.request.user, pk=self.kwargs["pk"])
        reader = reader_of(self.request.user, surveys=issue.has_survey)

        def article():
            return render_to_string(f"{self.template_name}#article", issue_view(issue, reader=reader))

        # a draft is the editors' preview, drawn from its blocks' live data
        html = article() if issue.is_draft else selectors.ISSUE_ARTICLE.html(issue.pk, *reader.vary(), render=article)
        can_edit = can_edit_newsletter(self.request.user)
        mailing = selectors.issue_mailing(issue) if can_edit and not issue.is_draft else None
        return super().get_context_data(issue=issue, article=html, can_edit=can_edit, mailing=mailing, **kwargs)


class IssuePdfView(RuleRequiredMixin, View):
    rule = staticmethod(can_read_archive)

    def get(self, request, pk):
        issue = selectors.issue_get_readable(user=request.user, pk=pk)
        try:
            pdf = issue_pdf_render(issue=issue)
        except IssuePdfTooLarge:  # a long issue not rendered yet: a worker renders it
            document = document_request(kind=ISSUE_PDF_DOCUMENT, params={"issue_id": issue.pk}, user=request.user)
            return redirect("intranet:document-status", pk=document.pk)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(False, issue_pdf_filename(issue))
        return response
