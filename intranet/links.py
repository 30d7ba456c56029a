"""Absolute links for what leaves the site (e-mails, PDFs, calendar invitations): one setting,
SITE_URL, then the path. Nothing else builds an absolute address: not the request's host (a
mail sent by the worker has no request, and `make run PORT=…` must not mail another port)."""

from urllib.parse import urlsplit

from django.conf import settings


def site_url() -> str:
    """The site's address without a trailing slash, e.g. https://intranet.mairie.fr."""
    return (getattr(settings, "SITE_URL", "") or "").rstrip("/")


def absolute_url(path: str) -> str:
    """`path` on this site as a full address, for an e-mail or a printed page."""
    return site_url() + path


def site_domain(default: str = "maison-commune.local") -> str:
    """The site's host name (calendar UIDs, message ids)."""
    return urlsplit(site_url()).hostname or default
