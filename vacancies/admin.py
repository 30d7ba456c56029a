"""The vacancies board. Read-only in the admin: every change goes through the
app's pages (intranet.admin.ReadOnlyAdmin)."""

from django.contrib import admin

from intranet.admin import ReadOnlyAdmin
from vacancies.models import Vacancy


@admin.register(Vacancy)
class VacancyAdmin(ReadOnlyAdmin):
    list_display = ["reference", "title", "org_unit", "site"]
    list_filter = ["category"]
    search_fields = ["reference", "title"]
