"""« Montre-moi ton job »: its campaigns. Read-only in the admin: every change goes through the
app's pages (intranet.admin.ReadOnlyAdmin)."""

from django.contrib import admin

from intranet.admin import ReadOnlyAdmin
from onboarding.shadowing.models import Campaign


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["title", "wishes_open_on", "wishes_close_on", "visits_end_on"]
    search_fields = ["title"]
