"""The review as a PDF (WeasyPrint, rendered by a worker through the core's DocumentRequest):
every card's snapshot, self-assessment, proposals and the committee's decision and comment.

The document's parameters carry the review's `changed_at`, so a PDF asked for after a new
decision is rendered again instead of handing back the hour-old one (the core reuses a
document of the same kind and parameters for an hour)."""

from django.utils import timezone

from actions.reviews.models import Review
from intranet.pdf import pdf_render

REVIEW_DOCUMENT = "reviews.review"


def review_document_params(review: Review) -> dict:
    return {"review_id": review.pk, "version": review.changed_at.isoformat()}


def review_pdf_render(*, review: Review) -> bytes:
    from actions.reviews.selectors.committee import review_comparison, review_session

    comparison = review_comparison(review=review)
    history = {row.snapshot.card_id: row for row in comparison["rows"]}
    rows = review_session(review=review)
    for row in rows:
        row.comparison = history.get(row.snapshot.card_id)
    return pdf_render(
        "reviews/pdf/review.html",
        {
            "review": review,
            "rows": rows,
            "previous": comparison["previous"],
            "printed_at": timezone.now(),
            "decided": sum(1 for row in rows if row.decision),
        },
    )


def review_filename(review: Review) -> str:
    return f"revue-{review.year}-{review.plan.slug}.pdf"


def review_document_render(*, review_id: int, version: str = "") -> tuple[str, bytes]:
    """The renderer of REVIEW_DOCUMENT (see intranet.registry.DocumentRenderer)."""
    review = Review.objects.select_related("plan").get(pk=review_id)
    return review_filename(review), review_pdf_render(review=review)
