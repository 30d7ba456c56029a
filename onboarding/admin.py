"""Onboarding: the arrivals and who accompanies them. Read-only in the admin: every change goes through the
app's pages (intranet.admin.ReadOnlyAdmin)."""

from django.contrib import admin

from intranet.admin import ReadOnlyAdmin
from onboarding.models import Arrival


@admin.register(Arrival)
class ArrivalAdmin(ReadOnlyAdmin):
    list_display = ["agent", "arrival_date", "manager", "buddy"]
    list_filter = ["arrival_date"]
    search_fields = ["agent__last_name", "agent__email"]
