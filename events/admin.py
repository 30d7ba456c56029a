"""Events: read-only in the admin (intranet.admin.ReadOnlyAdmin): every change goes through the app's
pages and services (seats are counted under a lock there)."""

from django.contrib import admin

from events.models import Event
from intranet.admin import ReadOnlyAdmin


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "status", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title"]
