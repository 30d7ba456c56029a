"""Surveys: the questionnaires (never their responses: anonymity). Read-only in the admin: every change goes through the
app's pages (intranet.admin.ReadOnlyAdmin)."""

from django.contrib import admin

from intranet.admin import ReadOnlyAdmin
from surveys.models import Survey


@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdmin):
    list_display = ["title", "status", "anonymous", "opens_on", "closes_on"]
    list_filter = ["status", "anonymous"]
    search_fields = ["title"]
