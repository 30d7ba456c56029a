from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from intranet.directory.selectors.orgchart import orgchart_changed
from intranet.models import Agent, AuditLogEntry, OrgUnit, OutgoingEmail, Site, Skill


@admin.register(Agent)
class AgentAdmin(UserAdmin):
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        orgchart_changed()  # groups, unit, manager: the cached roles and org chart go (roles too)

    ordering = ["last_name", "first_name"]
    list_display = ["email", "last_name", "first_name", "job_title", "org_unit", "site", "is_active"]
    list_filter = ["is_active", "is_external", "category", "status", "groups", "site"]
    search_fields = ["email", "first_name", "last_name", "matricule", "job_title"]
    list_select_related = ["org_unit", "site"]
    autocomplete_fields = ["org_unit", "site", "manager", "skills"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Identité"), {"fields": ["first_name", "last_name", "matricule", "photo"]}),
        (
            _("Poste"),
            {
                "fields": [
                    "job_title",
                    "org_unit",
                    "site",
                    "manager",
                    "status",
                    "category",
                    "filiere",
                    "arrival_date",
                    "departure_date",
                    "missions",
                    "skills",
                ]
            },
        ),
        (_("Coordonnées"), {"fields": ["phone", "mobile", "show_phone", "show_mobile", "show_photo"]}),
        (_("Partenaire externe"), {"fields": ["is_external", "organisation"]}),
        (_("Droits"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined", "details_confirmed_at", "anonymised_at"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "first_name", "last_name", "password1", "password2"]})
    ]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        orgchart_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        orgchart_changed()

    list_display = ["name", "kind", "parent", "head"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent", "head", "site"]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "city"]
    list_filter = ["kind"]
    search_fields = ["name", "city"]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is written by the services, never edited."""

    list_display = ["at", "actor_label", "action", "target_label", "ip_address"]
    list_filter = ["action"]
    search_fields = ["actor_label", "target_label", "action"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """Read-only: the outbox is written by `intranet.services.email_*`. The bodies are not
    shown: a password-reset mail carries a working link."""

    list_display = ["created_at", "to", "subject", "kind", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    fields = ["to", "subject", "kind", "status", "attempts", "created_at", "next_attempt_at", "sent_at", "last_error"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """A feature app's rows shown to administrators to look something up; every change goes
    through the app's own pages (its services: permissions, history, mails), never the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
