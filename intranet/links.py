"""Absolute links for what leaves the site (e-mails, PDFs): SITE_URL, then the path."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` on this site as a full address, for an e-mail or a printed page."""
    return getattr(settings, "SITE_URL", "").rstrip("/") + path
