"""The import of a plan from a spreadsheet (HR and administrators): upload, preview, apply, and the
blank templates."""

import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from actions import importer as plan_importer
from actions.forms import PlanImportForm
from actions.permissions import can_manage_plan
from actions.views.plan import plan_nav
from intranet.directory import importer as dir_importer
from intranet.permissions import RuleRequiredMixin

# --- Import of a plan from a spreadsheet (HR and administrators) ------------------------------

IMPORT_SESSION_KEY = "plan_imports"  # {token: {filename, title, organisation, period_start, period_end}}


class _PlanManageMixin(RuleRequiredMixin):
    rule = staticmethod(can_manage_plan)


class PlanImportView(_PlanManageMixin, View):
    template_name = "actions/plan_import.html"

    def get(self, request):
        return self.render(PlanImportForm())

    def post(self, request):
        form = PlanImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form, status=400)
        upload, data = form.cleaned_data["file"], form.cleaned_data
        token = dir_importer.import_file_store(content=upload.read(), filename=upload.name)
        request.session[IMPORT_SESSION_KEY] = {
            **request.session.get(IMPORT_SESSION_KEY, {}),
            token: {
                "filename": upload.name,
                "title": data["title"],
                "organisation": data["organisation"],
                "period_start": data["period_start"].isoformat() if data["period_start"] else "",
                "period_end": data["period_end"].isoformat() if data["period_end"] else "",
            },
        }
        return redirect("actions:plan-import-preview", token=token)

    def render(self, form, status=200):
        context = {"form": form, **plan_nav(self.request.user, "import")}
        return render(self.request, self.template_name, context, status=status)


class _StoredPlanImportMixin(_PlanManageMixin):
    def load(self, token: str) -> tuple[bytes, dict]:
        stored = self.request.session.get(IMPORT_SESSION_KEY, {}).get(token)
        content = dir_importer.import_file_read(token=token) if stored else None
        if content is None:
            raise Http404(_("Cet import a déjà été appliqué ou a expiré : déposez le fichier à nouveau."))
        return content, stored


class PlanImportPreviewView(_StoredPlanImportMixin, TemplateView):
    template_name = "actions/plan_import_preview.html"

    def get_context_data(self, token, **kwargs):
        content, stored = self.load(token)
        preview = plan_importer.plan_import_preview(content=content, filename=stored["filename"], title=stored["title"])
        return super().get_context_data(
            preview=preview, token=token, stored=stored, **plan_nav(self.request.user, "import"), **kwargs
        )


class PlanImportApplyView(_StoredPlanImportMixin, View):
    http_method_names = ["post"]

    def post(self, request, token):
        content, stored = self.load(token)
        dates = {
            key: datetime.date.fromisoformat(stored[key]) if stored[key] else None
            for key in ("period_start", "period_end")
        }
        try:
            result = plan_importer.plan_import_apply(
                content=content,
                filename=stored["filename"],
                user=request.user,
                title=stored["title"],
                organisation=stored["organisation"],
                **dates,
            )
        except dir_importer.ImportFileError as error:
            for message in error.messages[:20]:
                messages.error(request, message)
            return redirect("actions:plan-import-preview", token=token)
        dir_importer.import_file_discard(token=token)
        request.session[IMPORT_SESSION_KEY] = {
            k: v for k, v in request.session.get(IMPORT_SESSION_KEY, {}).items() if k != token
        }
        messages.success(
            request,
            _(
                "Plan « %(title)s » importé : %(created)s fiche(s) créée(s), %(changed)s modifiée(s), "
                "%(unchanged)s inchangée(s), %(removed)s supprimée(s)."
            )
            % {
                "title": result.plan.title,
                "created": result.created,
                "changed": result.changed,
                "unchanged": result.unchanged,
                "removed": result.removed,
            },
        )
        return redirect("actions:plan-overview")


class _TemplateFileView(_PlanManageMixin, View):
    def get(self, request):
        response = HttpResponse(self.render(), content_type=self.content_type)
        response["Content-Disposition"] = content_disposition_header(True, f"modele-projet-administration.{self.ext}")
        return response


class PlanImportTemplateXlsxView(_TemplateFileView):
    content_type, ext = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"

    def render(self):
        return plan_importer.plan_import_template_xlsx()


class PlanImportTemplateCsvView(_TemplateFileView):
    content_type, ext = "text/csv; charset=utf-8", "csv"

    def render(self):
        return plan_importer.plan_import_template_csv()
