"""Template helpers of the welcome guide."""

from django import template
from django.core.files.storage import default_storage
from django.utils.safestring import mark_safe

from intranet.pdf import MEDIA_SCHEME

register = template.Library()


@register.simple_tag
def guide_photo_src(name: str, for_pdf: bool) -> str:
    """A photo's address: read from the media storage by WeasyPrint, its URL in a page."""
    return f"{MEDIA_SCHEME}{name}" if for_pdf else default_storage.url(name)


@register.filter
def css_string(value) -> str:
    """`value` safe inside a double-quoted CSS string (the PDF's running headers)."""
    text = str(value)
    for char in ("\\", '"', "'", "<", ">", "&"):
        text = text.replace(char, f"\\{ord(char):x} ")
    return mark_safe(" ".join(text.split()))  # noqa: S308 (every character HTML or CSS reads is escaped above)
