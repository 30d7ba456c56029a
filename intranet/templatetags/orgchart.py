"""`{% load orgchart %}`: small display helpers of the org chart and trombinoscope pages."""

from django import template
from django.urls import reverse

register = template.Library()


@register.filter
def agent_url(agent) -> str:
    """The agent's directory page."""
    return reverse("directory:agent-detail", kwargs={"pk": agent.pk})
