"""`{% load orgchart %}`: small display helpers of the org chart and trombinoscope pages."""

from functools import cache

from django import template
from django.urls import get_script_prefix, reverse

register = template.Library()

_MARKER = 987654321


@cache
def _agent_url_pattern(script_prefix: str) -> tuple[str, str]:
    """The agent page's address around its id, reversed once (a page of 48 cards reversed 48)."""
    before, _, after = reverse("directory:agent-detail", kwargs={"pk": _MARKER}).partition(str(_MARKER))
    return before, after


@register.filter
def agent_url(agent) -> str:
    """The agent's directory page."""
    before, after = _agent_url_pattern(get_script_prefix())
    return f"{before}{int(agent.pk)}{after}"
