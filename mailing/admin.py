"""The mailing engine: the mailings and their state. Read-only in the admin: every change goes through the
app's pages (intranet.admin.ReadOnlyAdmin)."""

from django.contrib import admin

from intranet.admin import ReadOnlyAdmin
from mailing.models import Mailing


@admin.register(Mailing)
class MailingAdmin(ReadOnlyAdmin):
    list_display = ["subject", "kind", "status", "created_at", "scheduled_at"]
    list_filter = ["status", "kind"]
    search_fields = ["subject"]
