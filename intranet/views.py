"""The core's pages: home, global search, the footer's public pages, the audit log, the status
and download of documents rendered by the worker."""

import ipaddress
import mimetypes
import posixpath
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView
from django.views.static import serve
from django_prometheus.exports import ExportToDjangoView

from intranet import health as health_checks
from intranet import home, retention, selectors, services
from intranet.client_ip import client_ip
from intranet.forms import RetentionForm, SearchForm, TodoDigestForm
from intranet.models import DocumentRequest
from intranet.permissions import (
    RuleRequiredMixin,
    can_manage_retention,
    can_read_audit_log,
    can_read_every_document,
    can_read_health,
    can_read_mail_outbox,
)
from intranet.registry import registry
from intranet.roles import is_internal
from intranet.shortcuts import form_add_service_error

SEARCH_MIN_LENGTH = 2
# Folders of MEDIA_ROOT that are never served: files waiting for a service (HR imports).
# documents: their requester only (intranet:document-download); private/: files an app serves through its own
# view with its own rule (vacancies: CVs, HR only).
PRIVATE_MEDIA_FOLDERS = ("imports/", "documents/", "private/")
SEARCH_LIMIT_PER_PROVIDER = 8
SEARCH_LIMIT_ONE_KIND = 50  # one kind chosen: up to this many results


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "intranet/home.html"

    def get_context_data(self, **kwargs):
        slots = home.home_slots(self.request)

        def draw(todo) -> str:  # the box draws no form: kept as drawn (selectors.todo_home_box)
            return render_to_string("intranet/todo/_home.html", {"todo": todo, "todo_url": reverse("intranet:todo")})

        todo_box = mark_safe(selectors.todo_home_box(user=self.request.user, render=draw))  # noqa: S308 - our template
        return super().get_context_data(slots=slots, todo_box=todo_box, **kwargs)


class TodoView(LoginRequiredMixin, TemplateView):
    """« À faire »: everything that waits for the signed-in person, app by app, and the choice
    of the weekly e-mail."""

    template_name = "intranet/todo.html"

    def get_context_data(self, **kwargs):
        todo = selectors.todo_inbox(user=self.request.user, limit=selectors.TODO_PAGE_LIMIT)
        selectors.todo_inbox_remember(user=self.request.user, inbox=todo)
        form = TodoDigestForm(instance=self.request.user)
        return super().get_context_data(todo=todo, form=form, **kwargs)


class TodoDigestView(LoginRequiredMixin, View):
    """POST: the weekly « À faire » e-mail on or off."""

    http_method_names = ["post"]

    def post(self, request):
        form = TodoDigestForm(request.POST, instance=request.user)
        enabled = form.is_valid() and form.cleaned_data["todo_digest"]  # one checkbox: always valid
        services.agent_todo_digest_set(agent=request.user, enabled=enabled)
        if enabled:
            messages.success(request, _("Vous recevrez le récapitulatif le lundi, quand quelque chose vous attend."))
        else:
            messages.success(request, _("Vous ne recevrez plus le récapitulatif par courriel."))
        return redirect("intranet:todo")


class SearchView(LoginRequiredMixin, TemplateView):
    """One search over everything the person may see: every registered source answers (a few
    results each, the kind of each result shown), or only the kind chosen (`?type=`, more results)."""

    template_name = "intranet/search.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()[:100]
        providers = registry.search_providers_for(self.request.user)
        kind = self.request.GET.get("type", "")
        chosen = [provider for provider in providers if provider.key == kind]
        limit = SEARCH_LIMIT_ONE_KIND if chosen else SEARCH_LIMIT_PER_PROVIDER
        sections = []
        if len(query) >= SEARCH_MIN_LENGTH:
            for provider in chosen or providers:
                # One more than shown: whether this kind has more results than the page lists.
                results = provider.search(user=self.request.user, query=query, limit=limit + 1)
                sections.append({"provider": provider, "results": results[:limit], "more": len(results) > limit})
        form = SearchForm(initial={"q": query, "type": chosen[0].key if chosen else ""}, kinds=providers)
        return super().get_context_data(
            form=form,
            query=query,
            kind=chosen[0] if chosen else None,
            sections=sections,
            found=[section for section in sections if section["results"]],
            too_short=0 < len(query) < SEARCH_MIN_LENGTH,
            **kwargs,
        )


class PublicPageView(TemplateView):
    """The footer's pages, readable without logging in."""


class AuditLogView(RuleRequiredMixin, ListView):
    rule = staticmethod(can_read_audit_log)
    template_name = "intranet/auditlog_list.html"
    context_object_name = "entries"
    paginate_by = 50

    def get_queryset(self):
        return selectors.audit_log_list()


class MailOutboxView(RuleRequiredMixin, TemplateView):
    """In DEBUG, the mails written to var/mail/ instead of being sent."""

    rule = staticmethod(can_read_mail_outbox)
    template_name = "intranet/mail_outbox.html"

    def dispatch(self, request, *args, **kwargs):
        if not settings.DEBUG or not hasattr(settings, "EMAIL_FILE_PATH"):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        folder = Path(settings.EMAIL_FILE_PATH)
        files = sorted(folder.glob("*.log"), reverse=True)[:50] if folder.exists() else []
        mails = [{"name": f.name, "text": f.read_text(errors="replace")} for f in files]
        return super().get_context_data(mails=mails, **kwargs)


def health(request):
    """For monitors and the container's health check: each part's status as JSON (no error
    message: they may name hosts); 503 when the database does not answer."""
    result = health_checks.report()
    return JsonResponse(health_checks.public_json(result), status=503 if result["status"] == "down" else 200)


class RetentionView(RuleRequiredMixin, TemplateView):
    """HR's periods of retention, and what the last nightly purge removed."""

    rule = staticmethod(can_manage_retention)
    template_name = "intranet/retention.html"

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form", None) or RetentionForm(rules=retention.rules(), periods=retention.periods())
        return super().get_context_data(form=form, last_purge=selectors.retention_last_purge(), **kwargs)

    def post(self, request):
        form = RetentionForm(request.POST, rules=retention.rules(), periods=retention.periods())
        if form.is_valid():
            try:
                retention.retention_periods_set(days=form.cleaned_data, user=request.user)
            except ValidationError as error:
                form_add_service_error(form, error)
            else:
                messages.success(request, _("Les durées de conservation sont enregistrées."))
                return redirect("intranet:retention")
        return self.render_to_response(self.get_context_data(form=form))


def metrics(request):
    """Prometheus's scrape (django-prometheus and intranet/metrics.py), for the monitoring server's
    addresses (settings.METRICS_ALLOWED_NETWORKS) only; nobody else learns it exists."""
    address = client_ip(request)
    networks = [ipaddress.ip_network(entry, strict=False) for entry in settings.METRICS_ALLOWED_NETWORKS]
    if address is None or not any(ipaddress.ip_address(address) in network for network in networks):
        raise Http404
    return ExportToDjangoView(request)


class HealthDetailView(RuleRequiredMixin, TemplateView):
    """The same checks for administrators, with what went wrong."""

    rule = staticmethod(can_read_health)
    template_name = "intranet/health.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(health=health_checks.report(), **kwargs)


@login_required
def media(request, path):
    """Uploaded files (agents' photos) are personal data: served to the administration's
    own agents only, not to external partners."""
    if not is_internal(request.user):
        raise PermissionDenied
    if posixpath.normpath(path).lstrip("/").startswith(PRIVATE_MEDIA_FOLDERS):
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)


# The document pipeline: PDFs rendered by a worker for whoever asked (any app's exports).
def _own_document(request, pk: int) -> DocumentRequest:
    """The requester's document (any document for an administrator); 404 for everyone else."""
    documents = DocumentRequest.objects.all()
    if not can_read_every_document(request.user):
        documents = documents.filter(requested_by=request.user)
    return get_object_or_404(documents, pk=pk)


class DocumentStatusView(LoginRequiredMixin, TemplateView):
    """A document rendered by a worker: "en préparation" (the page asks again every 2 s with
    htmx, or with the "Actualiser" link), then its download link, or why it failed."""

    template_name = "intranet/document_status.html"

    def get_template_names(self):
        return [self.template_name + "#status"] if self.request.htmx else [self.template_name]

    def get_context_data(self, **kwargs):
        document = _own_document(self.request, self.kwargs["pk"])
        pending = document.status == DocumentRequest.Status.PENDING
        progress = services.document_progress(document.pk) if pending else None
        return super().get_context_data(document=document, progress=progress, **kwargs)


class DocumentDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        document = _own_document(request, pk)
        if document.status != DocumentRequest.Status.DONE or not document.file:
            raise Http404
        content_type = mimetypes.guess_type(document.filename)[0] or "application/pdf"  # a PDF, or a ZIP of them
        return FileResponse(
            document.file.open("rb"), as_attachment=True, filename=document.filename, content_type=content_type
        )


class DocumentRetryView(LoginRequiredMixin, View):
    """POST: render a failed document again, then back to its status page."""

    http_method_names = ["post"]

    def post(self, request, pk):
        services.document_retry(document=_own_document(request, pk))
        return redirect("intranet:document-status", pk=pk)
