"""One way to print: `pdf_render(template, context)` renders a template of `templates/…/pdf/` to
PDF bytes with WeasyPrint (imported when printing only).

A PDF reads only our own files: `media:<name>` from the media storage (photos, images),
`static:<path>` from the static files, and `data:` URLs written into the page (an inline QR
code). Any other URL a template or a user's text names — `http:`, `file:`… — is refused:
WeasyPrint logs a warning and leaves the resource out, and nothing is fetched.

Render after the commit, never under a row lock: a service that mails a PDF queues the mail
with `transaction.on_commit`, and renders it there.
"""

import mimetypes

from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.template.loader import render_to_string

MEDIA_SCHEME = "media:"
STATIC_SCHEME = "static:"


def _own_files_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class OwnFilesFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)  # decoded in memory (urllib's data: handler)
            if url.startswith(MEDIA_SCHEME):
                with default_storage.open(url.removeprefix(MEDIA_SCHEME), "rb") as stored:
                    data = stored.read()
            elif url.startswith(STATIC_SCHEME) and (path := finders.find(url.removeprefix(STATIC_SCHEME))):
                with open(path, "rb") as stored:
                    data = stored.read()
            else:
                raise ValueError(f"a PDF reads only {MEDIA_SCHEME}, {STATIC_SCHEME} and data: URLs: {url[:100]}")
            content_type = mimetypes.guess_type(url.split(":", 1)[1])[0] or "application/octet-stream"
            return URLFetcherResponse(url, data, {"Content-Type": content_type})

    return OwnFilesFetcher()


def pdf_document(html: str):
    """WeasyPrint's laid-out document of `html` (`.pages`, `.write_pdf()`)."""
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_own_files_fetcher()).render()


def pdf_from_html(html: str) -> bytes:
    return pdf_document(html).write_pdf()


def pdf_render(template: str, context: dict) -> bytes:
    """The template rendered with `context`, as PDF bytes."""
    return pdf_from_html(render_to_string(template, context))
