"""The plan in Django's admin, for administrators. A card's changes made here go into its
history like those made on the site (`CardChange`); the history itself is read-only."""

from django.contrib import admin

from actions.models import ActionCard, CardChange, Indicator, Measurement, Objective, Plan, Step, SubObjective
from actions.services.cards import CARD_EDITABLE_FIELDS, CARD_RELATION_FIELDS, card_relations_set
from actions.services.history import card_history_note


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0
    fields = ["number", "title"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "period_start", "period_end", "is_current"]
    list_filter = ["is_current"]
    search_fields = ["title", "organisation"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ObjectiveInline]


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "plan"]
    list_filter = ["plan"]
    search_fields = ["title"]
    list_select_related = ["plan"]


class SubObjectiveInline(admin.StackedInline):
    model = SubObjective
    extra = 0


class StepInline(admin.TabularInline):
    model = Step
    extra = 0
    fields = ["position", "title", "state", "due_date"]


class IndicatorInline(admin.StackedInline):
    model = Indicator
    extra = 0
    fields = ["position", "definition", "unit", "baseline", "target", "direction", "source"]
    show_change_link = True


@admin.register(ActionCard)
class ActionCardAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "objective", "status", "start_date", "end_date", "updated_at"]
    list_filter = ["plan", "status", "objective"]
    search_fields = ["number", "title", "pilot_label"]
    list_select_related = ["objective"]
    autocomplete_fields = ["pilot_agents", "pilot_units", "contributing_units", "related_cards"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [SubObjectiveInline, StepInline, IndicatorInline]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and "progress_indicator" in form.base_fields:
            form.base_fields["progress_indicator"].queryset = obj.indicators.all()
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        before = ActionCard.objects.get(pk=obj.pk)
        super().save_model(request, obj, form, change)
        for field in form.changed_data:
            if field in CARD_EDITABLE_FIELDS:
                card_history_note(
                    card=obj, user=request.user, field=field, old=getattr(before, field), new=getattr(obj, field)
                )

    def save_related(self, request, form, formsets, change):
        relations = {}
        if change:
            for field in CARD_RELATION_FIELDS:
                if field in form.changed_data:
                    relations[field] = form.cleaned_data[field]
        # Relations through the service (history), the rest (inlines) as the admin does.
        for field in relations:
            form.cleaned_data[field] = getattr(form.instance, field).all()
        super().save_related(request, form, formsets, change)
        if relations:
            card_relations_set(card=form.instance, user=request.user, **relations)


class MeasurementInline(admin.TabularInline):
    model = Measurement
    extra = 0
    fields = ["date", "value", "comment", "author"]
    readonly_fields = ["author"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["definition", "card", "unit", "target", "source"]
    list_filter = ["card__plan", "direction"]
    search_fields = ["definition", "card__number", "card__title"]
    list_select_related = ["card"]
    inlines = [MeasurementInline]
    raw_id_fields = ["card"]


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    list_display = ["date", "value", "indicator", "author"]
    list_filter = ["indicator__card__plan"]
    search_fields = ["indicator__definition", "indicator__card__number", "comment"]
    list_select_related = ["indicator", "author"]
    date_hierarchy = "date"
    raw_id_fields = ["indicator", "author"]


@admin.register(CardChange)
class CardChangeAdmin(admin.ModelAdmin):
    """Read-only: a card's history is written by `actions.services`, never edited."""

    list_display = ["at", "card", "author_label", "field", "old_value", "new_value"]
    list_filter = ["card__plan"]
    search_fields = ["card__number", "author_label", "field"]
    list_select_related = ["card"]
    date_hierarchy = "at"
    fields = ["card", "at", "author_label", "field", "old_value", "new_value"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
