"""The editor's pages (communication, HR, administrators): the issues to manage, an issue created,
edited, given its audience or deleted, and its blocks."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from intranet.audiences import AudienceForm, AudienceSpec, audience_agents, audience_describe
from intranet.permissions import RuleRequiredMixin
from intranet.shortcuts import form_add_service_error
from newsletters import selectors
from newsletters.forms import BlockForm, IssueForm
from newsletters.models import Block, Issue
from newsletters.permissions import can_edit_newsletter
from newsletters.services.blocks import agenda_format, block_create, block_delete, block_move, block_update
from newsletters.services.issues import issue_create, issue_delete, issue_next_number, issue_set_audience, issue_update


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
        form = IssueForm(initial={"number": issue_next_number()})
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = IssueForm(request.POST)
        if form.is_valid():
            try:
                issue = issue_create(user=request.user, **form.cleaned_data)
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
                issue_update(issue=issue, user=request.user, **form.cleaned_data)
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
            issue_set_audience(issue=issue, spec=form.spec, user=request.user)
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
            "agenda": agenda_format(block),
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
                    block_create(issue=issue, kind=form.kind, user=request.user, **form.values())
                else:
                    block_update(block=block, user=request.user, **form.values())
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
        block_delete(block=block, user=request.user)
        messages.success(request, _("Le bloc est supprimé."))
        return redirect("newsletters:issue-edit", pk=issue.pk)


class BlockMoveView(EditorMixin, View):
    """Move a block up or down; with htmx, answers the list of blocks only."""

    http_method_names = ["post"]

    def post(self, request, pk, block_pk):
        issue = self.get_draft()
        block = get_object_or_404(Block, pk=block_pk, issue=issue)
        try:
            block_move(block=block, direction=request.POST.get("direction", ""), user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        if request.htmx:
            return render(request, "newsletters/issue_edit.html#blocks", _edit_context(issue))
        return redirect("newsletters:issue-edit", pk=issue.pk)


class IssueDeleteView(EditorMixin, View):
    """Delete a draft (a sent issue stays: it is the record of what was sent)."""

    template_name = "newsletters/issue_delete.html"

    def get(self, request, pk):
        return render(request, self.template_name, {"issue": self.get_draft()})

    def post(self, request, pk):
        issue = self.get_draft()
        issue_delete(issue=issue, user=request.user)
        messages.success(request, _("Le brouillon est supprimé."))
        return redirect("newsletters:issue-manage")
