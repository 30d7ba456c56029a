"""Before and after sending: the e-mail previewed (HTML and text), a test sent, the issue sent, and
its report."""

from csp.decorators import csp
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from intranet.audiences import AudienceSpec, audience_agents, audience_describe
from intranet.shortcuts import form_add_service_error
from mailing.selectors import mailing_progress
from newsletters import selectors
from newsletters.forms import SendForm
from newsletters.services.sending import issue_render, issue_send, issue_send_test
from newsletters.views.editing import EditorMixin


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
        rendered = issue_render(issue=issue)
        # No favicon in a mail: tell the browser not to ask the site for /favicon.ico.
        return HttpResponse(rendered["html"].replace("<head>", '<head><link rel="icon" href="data:,">', 1))


class IssueEmailTextView(EditorMixin, View):
    """The e-mail's text part, as sent."""

    def get(self, request, pk):
        issue = self.get_issue()
        rendered = issue_render(issue=issue)
        return HttpResponse(rendered["text"], content_type="text/plain; charset=utf-8")


class IssueSendTestView(EditorMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        issue = self.get_issue()
        try:
            issue_send_test(issue=issue, user=request.user)
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
                mailing = issue_send(issue=issue, user=request.user, at=form.scheduled_at)
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
