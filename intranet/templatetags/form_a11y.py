"""Accessible forms (RGAA, after the DSFR's and GOV.UK's error pattern): the error summary's links,
the page title's « Erreur : » prefix."""

from django import template
from django.forms import BaseForm, BaseFormSet
from django.utils.translation import gettext as _

register = template.Library()


def form_failed(value) -> bool:
    """A bound form (or formset) that failed."""
    if isinstance(value, BaseForm):
        return value.is_bound and bool(value.errors)
    if isinstance(value, BaseFormSet):
        return value.is_bound and not value.is_valid()
    return False


@register.simple_tag(takes_context=True)
def error_title_prefix(context) -> str:
    """« Erreur : » when a bound form of the page failed (GOV.UK prefixes the title so that a screen
    reader says it first). Pages whose forms are not Django forms, or whose forms sit inside
    objects, set `form_errors` in their context."""
    flat = context.flatten()
    if flat.get("form_errors") or any(form_failed(value) for value in flat.values()):
        return _("Erreur : ")
    return ""


@register.filter
def error_anchor(bound_field) -> str:
    """The id a summary link points at: the control itself, or the first option of a group of
    radios or checkboxes (whose `id_for_label` is empty so that the legend labels the group)."""
    if bound_field.id_for_label:
        return bound_field.id_for_label
    subwidgets = bound_field.subwidgets
    if subwidgets and subwidgets[0].id_for_label:
        return subwidgets[0].id_for_label
    return bound_field.auto_id or ""


@register.filter
def first_field_anchor(form) -> str:
    """Where a form-wide error points: its first visible field."""
    for bound_field in form.visible_fields():
        return error_anchor(bound_field)
    return ""
