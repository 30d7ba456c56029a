"""The steering committee's annual reviews. Read-only in the admin: every change goes through the
app's pages (intranet.admin.ReadOnlyAdmin)."""

from django.contrib import admin

from actions.reviews.models import Review
from intranet.admin import ReadOnlyAdmin


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["year", "plan", "date", "status"]
    list_filter = ["status", "plan"]
    search_fields = ["year"]
