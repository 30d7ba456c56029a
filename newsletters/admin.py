"""The newsletter's issues. Read-only in the admin: every change goes through the
app's pages (intranet.admin.ReadOnlyAdmin)."""

from django.contrib import admin

from intranet.admin import ReadOnlyAdmin
from newsletters.models import Issue


@admin.register(Issue)
class IssueAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "status", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["title"]
