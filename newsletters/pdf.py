"""The printable issue (PDF) to post at each site, for the agents without a mailbox.

Rendered directly in the request, not through a DocumentRequest: an issue is a few pages of
simple blocks (no table spanning pages) with at most a dozen 160 px JPEG thumbnails and the
1200 px re-encoded images, read from the media storage — about a second with WeasyPrint. A
rendered PDF is cached by the content it was made from (the HTML and the image files), and a sent
issue never changes, so each issue is rendered once.
"""

import hashlib

from django.core.cache import cache
from django.template.loader import render_to_string

from intranet.pdf import pdf_from_html
from newsletters.content import issue_view
from newsletters.models import Issue

PDF_CACHE_SECONDS = 7 * 24 * 3600


def issue_pdf_filename(issue: Issue) -> str:
    return f"bienvenue-{issue.number}.pdf"


def issue_pdf_render(*, issue: Issue, base_url: str = "") -> bytes:
    view = issue_view(issue, base_url=base_url)
    html = render_to_string("newsletters/pdf/issue.html", view)
    files = [item["image_name"] for item in view["blocks"] if item["image_name"]]
    key = "newsletter-pdf:" + hashlib.sha256("\n".join([html, *files]).encode()).hexdigest()
    pdf = cache.get(key)
    if pdf is None:
        pdf = pdf_from_html(html)
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf
