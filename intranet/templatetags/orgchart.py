"""`{% load orgchart %}`: small display helpers of the org chart and trombinoscope pages."""

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.filter
def agent_url(agent) -> str:
    """The agent's directory page, or "" when the directory's agent page is not installed
    (the org chart then shows names without links)."""
    try:
        return reverse("directory:agent-detail", kwargs={"pk": agent.pk})
    except NoReverseMatch:
        return ""
