"""An event's materials: its organisers add slides, a document or a recording's link; those
registered open them (a file: a sandboxed attachment, never rendered by the browser)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from events import selectors, services
from events.forms.materials import MaterialForm
from events.models import Material
from events.permissions import can_edit_event
from events.views.manage import _EventMixin
from intranet.permissions import InternalRequiredMixin
from intranet.shortcuts import form_add_service_error
from intranet.uploads import KINDS


class MaterialCreateView(_EventMixin, View):
    template_name = "events/material_form.html"

    def get(self, request, pk):
        event = self.get_event(pk)
        return render(request, self.template_name, {"event": event, "form": MaterialForm(event=event)})

    def post(self, request, pk):
        event = self.get_event(pk)
        form = MaterialForm(request.POST, request.FILES, event=event)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.material_add(
                    event=event,
                    user=request.user,
                    title=data["title"],
                    kind=data["kind"],
                    file=data.get("file"),
                    url=data.get("url") or "",
                    session=data.get("session"),
                )
            except ValidationError as error:
                form_add_service_error(form, error)
            else:
                messages.success(request, _("Support partagé avec les personnes inscrites."))
                return redirect(event.get_absolute_url() + "#supports")
        return render(request, self.template_name, {"event": event, "form": form}, status=400)


class MaterialDeleteView(InternalRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        material = get_object_or_404(Material.objects.select_related("event"), pk=pk)
        if not can_edit_event(request.user, material.event):
            raise Http404
        services.material_delete(material=material, user=request.user)
        messages.success(request, _("Support retiré."))
        return redirect(material.event)


class MaterialDownloadView(LoginRequiredMixin, View):
    """The file, for those registered to its session (or the event) and those who run the event."""

    def get(self, request, pk):
        material = selectors.material_for(user=request.user, pk=pk)
        if material is None or not material.file:
            raise Http404
        kind = KINDS.get(material.file_kind)
        response = FileResponse(
            material.file.open("rb"),
            as_attachment=True,
            filename=material.filename or material.file.name.rsplit("/", 1)[-1],
            content_type=kind.content_type if kind else "application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cross-Origin-Resource-Policy"] = "same-origin"
        response["Cache-Control"] = "private, no-store"
        return response
