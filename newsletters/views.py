"""The newsletter's pages: the archive and the web version for readers; the editor's pages for
communication, HR and administrators. Thin: parse, call a service or a selector, render."""

from csp.decorators import csp
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from intranet.audiences import AudienceForm, AudienceSpec, audience_agents, audience_describe
from intranet.permissions import RuleRequiredMixin
from intranet.services import document_request
from intranet.shortcuts import form_add_service_error
from mailing.selectors import mailing_progress
from newsletters import selectors, services
from newsletters.content import issue_view, reader_of
from newsletters.forms import ArchiveSearchForm, BlockForm, IssueForm, SendForm
from newsletters.models import Block, Issue
from newsletters.pdf import ISSUE_PDF_DOCUMENT, IssuePdfTooLarge, issue_pdf_filename, issue_pdf_render
from newsletters.permissions import can_edit_newsletter, can_read_archive

# --- Reading -----------------------------------------------------------------------------------


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
        view = issue_view(issue, reader=reader_of(self.request.user))
        can_edit = can_edit_newsletter(self.request.user)
        mailing = selectors.issue_mailing(issue) if can_edit and not issue.is_draft else None
        return super().get_context_data(**view, can_edit=can_edit, mailing=mailing, **kwargs)


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


# --- Writing -----------------------------------------------------------------------------------


class EditorMixin(RuleRequiredMixin):
    rule = staticmethod(can_edit_newsletter)

    def get_issue(self) -> Issue:
        return get_object_or_404(Issue, pk=self.kwargs["pk"])

    def get_draft(self) -> Issue:
        issue = self.get_issue()
        if not issue.is_draft:
            raise Http404
        return issue


class IssueManageView(EditorMixin, TemplateView):
    template_name = "newsletters/issue_manage.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(issues=selectors.issue_list_manage(), **kwargs)


class IssueCreateView(EditorMixin, View):
    template_name = "newsletters/issue_create.html"

    def get(self, request):
        form = IssueForm(initial={"number": services.issue_next_number()})
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = IssueForm(request.POST)
        if form.is_valid():
            try:
                issue = services.issue_create(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form_add_service_error(form, error)
            else:
                messages.success(request, _("Le numéro est créé. Ajoutez maintenant ses blocs."))
                return redirect("newsletters:issue-edit", pk=issue.pk)
        return render(request, self.template_name, {"form": form}, status=400)


def _edit_context(issue: Issue, form=None) -> dict:
    blocks = list(issue.blocks.select_related("org_unit", "survey"))
    spec = AudienceSpec.from_json(issue.audience)
    return {
        "issue": issue,
        "form": form or IssueForm(instance=issue),
        "blocks": blocks,
        "kinds": Block.Kind.choices,
        "audience": audience_describe(spec=spec),
        "audience_count": audience_agents(spec=spec).count() if not spec.is_empty else 0,
    }


class IssueEditView(EditorMixin, View):
    """A draft's page: its title and edito, its blocks (add, edit, move, delete), its audience,
    the previews, the test mail and the send."""

    template_name = "newsletters/issue_edit.html"

    def get(self, request, pk):
        issue = self.get_issue()
        if not issue.is_draft:
            return redirect(issue)
        return render(request, self.template_name, _edit_context(issue))

    def post(self, request, pk):
        issue = self.get_draft()
        form = IssueForm(request.POST, instance=Issue.objects.get(pk=issue.pk))
        if form.is_valid():
            try:
                services.issue_update(issue=issue, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form_add_service_error(form, error)
            else:
                messages.success(request, _("Le numéro est enregistré."))
                return redirect("newsletters:issue-edit", pk=issue.pk)
        return render(request, self.template_name, _edit_context(issue, form), status=400)


class IssueAudienceView(EditorMixin, View):
    template_name = "newsletters/issue_audience.html"

    def get(self, request, pk):
        issue = self.get_draft()
        form = AudienceForm(initial=AudienceForm.initial_from(AudienceSpec.from_json(issue.audience)))
        return render(request, self.template_name, {"issue": issue, "form": form})

    def post(self, request, pk):
        issue = self.get_draft()
        form = AudienceForm(request.POST)
        if form.is_valid():
            services.issue_set_audience(issue=issue, spec=form.spec, user=request.user)
            messages.success(
                request, _("Le public est enregistré : %(audience)s.") % {"audience": audience_describe(spec=form.spec)}
            )
            return redirect("newsletters:issue-edit", pk=issue.pk)
        return render(request, self.template_name, {"issue": issue, "form": form}, status=400)


class BlockFormView(EditorMixin, View):
    template_name = "newsletters/block_form.html"

    def _block(self, issue):
        if "block_pk" not in self.kwargs:
            return None
        return get_object_or_404(Block, pk=self.kwargs["block_pk"], issue=issue)

    def _kind(self, block):
        kind = block.kind if block else self.kwargs.get("kind")
        if kind not in Block.Kind.values:
            raise Http404
        return kind

    def _initial(self, block):
        if block is None:
            return {}
        return {
            "title": block.title,
            "body": block.body,
            "alt": block.alt,
            "caption": block.caption,
            "org_unit": block.org_unit_id,
            "survey": block.survey_id,
            "agenda": services.agenda_format(block),
            "news": block.data.get("news", []),
        }

    def _render(self, request, issue, block, form, status=200):
        return render(
            request,
            self.template_name,
            {
                "issue": issue,
                "edited": block,
                "form": form,
                "kind_label": Block.Kind(form.kind).label,
            },
            status=status,
        )

    def get(self, request, pk, **kwargs):
        issue = self.get_draft()
        block = self._block(issue)
        form = BlockForm(kind=self._kind(block), block=block, initial=self._initial(block))
        return self._render(request, issue, block, form)

    def post(self, request, pk, **kwargs):
        issue = self.get_draft()
        block = self._block(issue)
        form = BlockForm(request.POST, request.FILES, kind=self._kind(block), block=block)
        if form.is_valid():
            try:
                if block is None:
                    services.block_create(issue=issue, kind=form.kind, user=request.user, **form.values())
                else:
                    services.block_update(block=block, user=request.user, **form.values())
            except ValidationError as error:
                form_add_service_error(form, error)
            else:
                messages.success(request, _("Le bloc est enregistré."))
                return redirect("newsletters:issue-edit", pk=issue.pk)
        return self._render(request, issue, block, form, status=400)


class BlockDeleteView(EditorMixin, View):
    template_name = "newsletters/block_delete.html"

    def get(self, request, pk, block_pk):
        issue = self.get_draft()
        block = get_object_or_404(Block, pk=block_pk, issue=issue)
        return render(request, self.template_name, {"issue": issue, "edited": block})

    def post(self, request, pk, block_pk):
        issue = self.get_draft()
        block = get_object_or_404(Block, pk=block_pk, issue=issue)
        services.block_delete(block=block, user=request.user)
        messages.success(request, _("Le bloc est supprimé."))
        return redirect("newsletters:issue-edit", pk=issue.pk)


class BlockMoveView(EditorMixin, View):
    """Move a block up or down; with htmx, answers the list of blocks only."""

    http_method_names = ["post"]

    def post(self, request, pk, block_pk):
        issue = self.get_draft()
        block = get_object_or_404(Block, pk=block_pk, issue=issue)
        try:
            services.block_move(block=block, direction=request.POST.get("direction", ""), user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        if request.htmx:
            return render(request, "newsletters/issue_edit.html#blocks", _edit_context(issue))
        return redirect("newsletters:issue-edit", pk=issue.pk)


@method_decorator(
    csp(
        {
            "default-src": ["'none'"],
            "img-src": ["'self'", "data:"],
            "style-src": ["'unsafe-inline'"],
            "frame-ancestors": ["'self'"],
            "base-uri": ["'none'"],
            "form-action": ["'none'"],
        }
    ),
    name="dispatch",
)
class IssueEmailPreviewView(EditorMixin, View):
    """The e-mail's HTML exactly as sent (its CSS inlined): no script may run, styles only."""

    def get(self, request, pk):
        issue = self.get_issue()
        rendered = services.issue_render(issue=issue)
        # No favicon in a mail: tell the browser not to ask the site for /favicon.ico.
        return HttpResponse(rendered["html"].replace("<head>", '<head><link rel="icon" href="data:,">', 1))


class IssueEmailTextView(EditorMixin, View):
    """The e-mail's text part, as sent."""

    def get(self, request, pk):
        issue = self.get_issue()
        rendered = services.issue_render(issue=issue)
        return HttpResponse(rendered["text"], content_type="text/plain; charset=utf-8")


class IssueSendTestView(EditorMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        issue = self.get_issue()
        try:
            services.issue_send_test(issue=issue, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Un envoi de test part vers %(email)s.") % {"email": request.user.email})
        return redirect("newsletters:issue-edit" if issue.is_draft else "newsletters:issue-detail", pk=issue.pk)


class IssueSendView(EditorMixin, View):
    template_name = "newsletters/issue_send.html"

    def _context(self, issue, form):
        spec = AudienceSpec.from_json(issue.audience)
        counts = {"agents": 0, "partners": 0, "paper": 0}
        if not spec.is_empty:
            counts = audience_agents(spec=spec).aggregate(
                agents=Count("pk", filter=Q(is_external=False)),
                partners=Count("pk", filter=Q(is_external=True)),
                paper=Count("pk", filter=Q(has_mailbox=False)),
            )
        return {
            "issue": issue,
            "form": form,
            "audience": audience_describe(spec=spec),
            "agent_count": counts["agents"],
            "partner_count": counts["partners"],
            "paper_count": counts["paper"],
        }

    def get(self, request, pk):
        issue = self.get_draft()
        return render(request, self.template_name, self._context(issue, SendForm()))

    def post(self, request, pk):
        issue = self.get_draft()
        form = SendForm(request.POST)
        if form.is_valid():
            try:
                mailing = services.issue_send(issue=issue, user=request.user, at=form.scheduled_at)
            except ValidationError as error:
                form_add_service_error(form, error)
            else:
                messages.success(
                    request, _("L'envoi est lancé.") if form.scheduled_at is None else _("L'envoi est programmé.")
                )
                return redirect(mailing)
        return render(request, self.template_name, self._context(issue, form), status=400)


class IssueReportView(EditorMixin, TemplateView):
    """Who the send reached by e-mail and who gets the issue on paper, by site; printable."""

    template_name = "newsletters/issue_report.html"

    def get_context_data(self, **kwargs):
        issue = self.get_issue()
        report = selectors.issue_audience_report(issue=issue)
        progress = mailing_progress(report["mailing"]) if report["mailing"] else None
        return super().get_context_data(issue=issue, progress=progress, **report, **kwargs)


class IssueDeleteView(EditorMixin, View):
    """Delete a draft (a sent issue stays: it is the record of what was sent)."""

    template_name = "newsletters/issue_delete.html"

    def get(self, request, pk):
        return render(request, self.template_name, {"issue": self.get_draft()})

    def post(self, request, pk):
        issue = self.get_draft()
        services.issue_delete(issue=issue, user=request.user)
        messages.success(request, _("Le brouillon est supprimé."))
        return redirect("newsletters:issue-manage")
