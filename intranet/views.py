"""The core's pages: home, global search, the footer's public pages, the audit log."""

import posixpath
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpResponse
from django.views.generic import ListView, TemplateView
from django.views.static import serve

from intranet import selectors
from intranet.permissions import RuleRequiredMixin, can_read_audit_log, can_read_mail_outbox
from intranet.registry import registry
from intranet.roles import is_internal

SEARCH_MIN_LENGTH = 2
# Folders of MEDIA_ROOT that are never served: files waiting for a service (HR imports).
# documents: their requester only (directory:document-download); private/: files an app serves through its own
# view with its own rule (vacancies: CVs, HR only).
PRIVATE_MEDIA_FOLDERS = ("imports/", "documents/", "private/")
SEARCH_LIMIT_PER_PROVIDER = 8


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "intranet/home.html"

    def get_context_data(self, **kwargs):
        slots = []
        for slot in registry.home_slots_for(self.request.user):
            context = slot.context(self.request)
            if context is not None:
                slots.append({"slot": slot, "context": context})
        return super().get_context_data(slots=slots, **kwargs)


class SearchView(LoginRequiredMixin, TemplateView):
    template_name = "intranet/search.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()[:100]
        sections = []
        if len(query) >= SEARCH_MIN_LENGTH:
            for provider in registry.search_providers_for(self.request.user):
                results = provider.search(user=self.request.user, query=query, limit=SEARCH_LIMIT_PER_PROVIDER)
                sections.append({"provider": provider, "results": results})
        return super().get_context_data(
            query=query, sections=sections, too_short=0 < len(query) < SEARCH_MIN_LENGTH, **kwargs
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
    """For the container's health check: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@login_required
def media(request, path):
    """Uploaded files (agents' photos) are personal data: served to the administration's
    own agents only, not to external partners."""
    if not is_internal(request.user):
        raise PermissionDenied
    if posixpath.normpath(path).lstrip("/").startswith(PRIVATE_MEDIA_FOLDERS):
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)
