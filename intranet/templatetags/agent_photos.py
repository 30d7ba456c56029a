"""`{% load agent_photos %}{% agent_photo agent 160 %}`: the site's one avatar — an agent's photo
in a circle, or their initials in the same circle when there is no photo or the viewer may not
see it. `{{ name|initials }}` gives the initials of a name held as text (a newsletter's frozen data)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from intranet.directory.permissions import can_see_photo
from intranet.images import THUMBNAIL_SIZES, photo_thumbnail_url

register = template.Library()


@register.simple_tag(takes_context=True)
def agent_photo(context, agent, size=160, css_class=""):
    """`size` is one of intranet.images.THUMBNAIL_SIZES (64, 160, 320). The initials are
    decorative (the name is always next to them), so hidden from screen readers."""
    size = int(size)
    if size not in THUMBNAIL_SIZES:
        raise template.TemplateSyntaxError(f"agent_photo: size {size} is not one of {THUMBNAIL_SIZES}")
    request = context.get("request")
    viewer = getattr(request, "user", None) or context.get("user")
    url = photo_thumbnail_url(agent, size) if viewer is not None and can_see_photo(viewer, agent) else None
    if url:
        return format_html(
            '<img src="{}" alt="{}" width="{}" height="{}" class="agent-avatar agent-photo {}" loading="lazy">',
            url,
            _("Photo de %(name)s") % {"name": agent},
            size,
            size,
            css_class,
        )
    return format_html(
        '<span class="agent-avatar agent-initials agent-initials-{} {}" aria-hidden="true">{}</span>',
        size,
        css_class,
        agent.initials or "?",
    )


@register.filter
def initials(name) -> str:
    """ "Hélène Dupont" → "HD" (the first letters of the first and last words)."""
    words = str(name or "").split()
    if not words:
        return "?"
    return (words[0][0] + (words[-1][0] if len(words) > 1 else "")).upper()
