"""HR's pages: the agents' import (upload → preview → apply), the org chart's edits and the
directory's export. Thin: parse, call a service, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from intranet.client_ip import client_ip
from intranet.directory import exports, importer
from intranet.directory.forms.hr import ImportApplyForm, ImportUploadForm, UnitForm, UnitMergeForm
from intranet.directory.permissions import can_manage_directory
from intranet.directory.services import orgchart as services_orgchart_edit
from intranet.models import Agent, OrgUnit
from intranet.permissions import RuleRequiredMixin
from intranet.shortcuts import form_add_service_error, paginate

SESSION_KEY = "hr_imports"  # {token: file name} of the files this user uploaded
PREVIEW_ORDER = {"error": 0, "changed": 1, "new": 2}
PREVIEW_PAGE_SIZE = 200
PREVIEW_UNCHANGED_LISTED = 1000


class HrMixin(RuleRequiredMixin):
    rule = staticmethod(can_manage_directory)


class HrHomeView(HrMixin, TemplateView):
    template_name = "intranet/directory/hr_home.html"

    def get_context_data(self, **kwargs):
        units = importer.UnitIndex(OrgUnit.objects.only("pk", "name", "short_name", "parent_id"))
        rows = sorted(
            ((" / ".join(path), pk, len(path) - 1) for pk, path in units.paths.items()), key=lambda row: row[0].lower()
        )
        counts = dict(
            Agent.objects.active()
            .internal()
            .exclude(org_unit=None)
            .values("org_unit")
            .annotate(members=Count("pk"))
            .values_list("org_unit", "members")
        )
        units = [{"pk": pk, "path": path, "depth": depth, "members": counts.get(pk, 0)} for path, pk, depth in rows]
        return super().get_context_data(units=units, **kwargs)


# --- Import -------------------------------------------------------------------------------


class ImportUploadView(HrMixin, FormView):
    template_name = "intranet/directory/hr_import.html"
    form_class = ImportUploadForm

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        token = importer.import_file_store(content=upload.read(), filename=upload.name)
        self.request.session[SESSION_KEY] = {**self.request.session.get(SESSION_KEY, {}), token: upload.name}
        return redirect("directory:hr-import-preview", token=token)


class _StoredImportMixin(HrMixin):
    def load(self, token: str) -> tuple[bytes, str]:
        filename = self.request.session.get(SESSION_KEY, {}).get(token)
        content = importer.import_file_read(token=token) if filename else None
        if content is None:
            raise Http404(_("Cet import a déjà été appliqué ou a expiré : déposez le fichier à nouveau."))
        return content, filename


class ImportPreviewView(_StoredImportMixin, TemplateView):
    template_name = "intranet/directory/hr_import_preview.html"

    def get_context_data(self, token, **kwargs):
        content, filename = self.load(token)
        create_units = self.request.GET.get("creer") == "1"
        preview = importer.import_preview(content=content, filename=filename, create_units=create_units)
        form = ImportApplyForm(initial={"create_units": create_units})
        # Errors first, then changes, then new agents; a 10,000-row file is read page by page.
        listed = sorted(
            (row for row in preview.rows if row.status != "unchanged"),
            key=lambda row: (PREVIEW_ORDER[row.status], row.line),
        )
        page_obj = paginate(self.request, listed, PREVIEW_PAGE_SIZE)
        unchanged = [row for row in preview.rows if row.status == "unchanged"]
        return super().get_context_data(
            preview=preview,
            token=token,
            form=form,
            page_obj=page_obj,
            unchanged=unchanged[:PREVIEW_UNCHANGED_LISTED],
            unchanged_more=max(0, len(unchanged) - PREVIEW_UNCHANGED_LISTED),
            create_query="creer=1&" if create_units else "",
            **kwargs,
        )


class ImportApplyView(_StoredImportMixin, View):
    def post(self, request, token):
        content, filename = self.load(token)
        form = ImportApplyForm(request.POST)
        create_units = form.is_valid() and form.cleaned_data["create_units"]
        try:
            result = importer.import_apply(
                content=content,
                filename=filename,
                user=request.user,
                create_units=create_units,
                ip_address=client_ip(request),
            )
        except importer.ImportFileError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("directory:hr-import-preview", token=token)
        importer.import_file_discard(token=token)
        request.session[SESSION_KEY] = {k: v for k, v in request.session.get(SESSION_KEY, {}).items() if k != token}
        return render(request, "intranet/directory/hr_import_result.html", {"result": result})


# --- Org chart ----------------------------------------------------------------------------


class UnitCreateView(HrMixin, FormView):
    template_name = "intranet/directory/hr_unit_form.html"
    form_class = UnitForm

    def get_initial(self):
        return {"parent": self.request.GET.get("parent")}

    def form_valid(self, form):
        data = {key: form.cleaned_data.get(key) for key in ("name", "short_name", "kind", "parent", "site")}
        try:
            unit = services_orgchart_edit.orgunit_create(user=self.request.user, **data)
        except ValidationError as error:
            form_add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("L'unité « %(unit)s » est créée.") % {"unit": unit})
        return redirect("directory:hr-home")


class UnitEditView(HrMixin, FormView):
    template_name = "intranet/directory/hr_unit_form.html"
    form_class = UnitForm

    def dispatch(self, request, *args, **kwargs):
        self.unit = get_object_or_404(OrgUnit, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": OrgUnit.objects.get(pk=self.unit.pk)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(unit=self.unit, **kwargs)

    def form_valid(self, form):
        data = {key: form.cleaned_data.get(key) for key in form.fields}
        try:
            unit = services_orgchart_edit.orgunit_update(user=self.request.user, unit=self.unit, data=data)
        except ValidationError as error:
            form_add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("L'unité « %(unit)s » est enregistrée.") % {"unit": unit})
        return redirect("directory:hr-home")


class UnitMergeView(HrMixin, FormView):
    template_name = "intranet/directory/hr_unit_merge.html"
    form_class = UnitMergeForm

    def dispatch(self, request, *args, **kwargs):
        self.unit = get_object_or_404(OrgUnit, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "unit": self.unit}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            unit=self.unit, members=self.unit.members.count(), children=self.unit.children.count(), **kwargs
        )

    def form_valid(self, form):
        target = form.cleaned_data["target"]
        try:
            services_orgchart_edit.orgunit_merge(user=self.request.user, source=self.unit, target=target)
        except ValidationError as error:
            form_add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("« %(source)s » est fusionnée dans « %(target)s ».") % {"source": self.unit, "target": target},
        )
        return redirect("directory:hr-home")


# --- Export -------------------------------------------------------------------------------


class _ExportView(HrMixin, View):
    extension = ""
    content_type = ""

    def render(self, unit):
        raise NotImplementedError

    def get(self, request):
        unit, wanted = None, request.GET.get("unite", "")
        if wanted:
            if not wanted.isdigit():
                raise Http404
            unit = get_object_or_404(OrgUnit, pk=wanted)
        response = HttpResponse(self.render(unit), content_type=self.content_type)
        name = f"annuaire-{unit.pk if unit else 'complet'}-{timezone.localdate():%Y-%m-%d}.{self.extension}"
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response


class ExportCsvView(_ExportView):
    extension, content_type = "csv", "text/csv; charset=utf-8"

    def render(self, unit):
        return exports.export_csv(unit=unit)


class ExportXlsxView(_ExportView):
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def render(self, unit):
        return exports.export_xlsx(unit=unit)
