"""`{% load home_slots %}{% home_slot item %}`: a home page slot — its HTML when it is kept
(intranet.home), else its template rendered inside the page's own context (its CSRF token,
messages, perms: a slot's form posts like any page's) with the slot's data as `context`.
Rendering each slot apart with the request ran every context processor, the menu's included,
once per slot; `{% include … with context=… %}` cannot name a variable `context`."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def home_slot(context, item):
    if "html" in item:
        return mark_safe(item["html"])  # noqa: S308 (rendered by our template, kept as rendered)
    slot_template = context.template.engine.get_template(item["slot"].template)
    with context.update({"context": item["context"]}):
        return slot_template.render(context)
