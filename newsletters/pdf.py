"""The printable issue (PDF) to post at each site, for the agents without a mailbox.

An issue is simple blocks (no table spanning pages) with 160 px JPEG thumbnails and the 1200 px
re-encoded images, read from the media storage. A rendered PDF is cached by the content it was
made from (the HTML and the image files), and a sent issue never changes, so each issue is
rendered once. A short issue (ISSUE_SYNC_MAX_PARTS blocks and people at most: a page or two) is
rendered in the request; a longer one by a worker (a DocumentRequest of kind
ISSUE_PDF_DOCUMENT), after which the request serves it from the cache.
"""

import hashlib

from django.core.cache import cache
from django.template.loader import render_to_string

from intranet.pdf import pdf_from_html
from newsletters.content.view import issue_view
from newsletters.models import Issue

PDF_CACHE_SECONDS = 7 * 24 * 3600
ISSUE_SYNC_MAX_PARTS = 24
ISSUE_PDF_DOCUMENT = "newsletters.issue"


class IssuePdfTooLarge(Exception):
    """An issue too long to render in a request, not rendered yet."""


def issue_pdf_filename(issue: Issue) -> str:
    return f"bienvenue-{issue.number}.pdf"


def issue_pdf_render(*, issue: Issue, base_url: str = "", max_parts: int | None = -1) -> bytes:
    """The issue's PDF, from the cache or rendered; raises IssuePdfTooLarge when it is not in the
    cache and has more than `max_parts` blocks and people (ISSUE_SYNC_MAX_PARTS unless given; None:
    no limit, in a worker)."""
    view = issue_view(issue, base_url=base_url)
    html = render_to_string("newsletters/pdf/issue.html", view)
    files = [item["image_name"] for item in view["blocks"] if item["image_name"]]
    key = "newsletter-pdf:" + hashlib.sha256("\n".join([html, *files]).encode()).hexdigest()
    pdf = cache.get(key)
    if pdf is None:
        limit = ISSUE_SYNC_MAX_PARTS if max_parts == -1 else max_parts
        parts = sum(1 + len(item.get("items") or ()) for item in view["blocks"])
        if limit is not None and parts > limit:
            raise IssuePdfTooLarge
        pdf = pdf_from_html(html)
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf


def issue_pdf_document_render(*, issue_id: int) -> tuple[str, bytes]:
    """The renderer of ISSUE_PDF_DOCUMENT, run by a worker."""
    issue = Issue.objects.get(pk=issue_id)
    return issue_pdf_filename(issue), issue_pdf_render(issue=issue, max_parts=None)
