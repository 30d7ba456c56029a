"""The one sub-navigation of the site: a module's pages under its title (GOV.UK's service
navigation, DSFR's tabs look without their script). A template writes

    <nav class="mc-subnav" aria-label="…"><ul class="mc-subnav-list">
      {% subnav_link "actions:plan-overview" label=_("Vue d'ensemble") key="overview" current=active %}
      {% subnav_link "surveys:survey-build" survey.pk label=_("Questions") %}
      {% subnav_link "?repondu=oui" label=_("Ont répondu") key="oui" current=state %}
    </ul></nav>

The link is the current page when `key == current` (when a key is given, "" included), else when its
address is the request's path."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def subnav_link(context, target: str, *args, label, key=None, current=None) -> str:
    url = target if target.startswith(("?", "/", "#")) else reverse(target, args=args)
    if key is not None:
        is_current = str(current) == str(key)
    else:
        request = context.get("request")
        is_current = request is not None and request.path == url
    if is_current:
        return format_html('<li><a class="mc-subnav-link active" href="{}" aria-current="page">{}</a></li>', url, label)
    return format_html('<li><a class="mc-subnav-link" href="{}">{}</a></li>', url, label)
