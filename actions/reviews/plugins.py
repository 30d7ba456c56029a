"""The reviews app's entries in the core's registry: navigation, the PDF renderer, demo data."""

from django.utils.translation import gettext_lazy as _

from actions.permissions import can_follow_my_cards
from actions.reviews.permissions import can_read_reviews
from intranet.registry import (
    Anonymiser,
    DataExporter,
    DemoSeed,
    DocumentRenderer,
    HomeSlot,
    NavItem,
    PeriodicTask,
    register,
)


def _self_assessments_slot(request):
    """Pilots, while a review collects them: how many self-assessments they still owe."""
    from actions.reviews.selectors import my_self_assessments

    groups = []
    for group in my_self_assessments(user=request.user):
        missing = sum(1 for item in group["items"] if item["self_assessment"] is None)
        if missing:
            groups.append({"review": group["review"], "missing": missing})
    return {"groups": groups} if groups else None


def _render_review(**params):
    from actions.reviews.pdf import review_document_render  # WeasyPrint, loaded when printing

    return review_document_render(**params)


def _demo_seed(*, stdout):
    from actions.reviews.demo import demo_seed

    demo_seed(stdout=stdout)


def _anonymise(agent, label):
    from actions.reviews.services import reviews_anonymise

    reviews_anonymise(agent=agent, label=label)


def _export(agent):
    from actions.reviews.selectors import agent_data_export

    return agent_data_export(agent)


register(
    HomeSlot(
        key="reviews-self-assessments",
        title=_("Revue annuelle : vos auto-évaluations"),
        template="reviews/slots/self_assessments.html",
        context=_self_assessments_slot,
        order=31,
        visible=can_follow_my_cards,
    ),
    NavItem(
        key="reviews",
        label=_("Revues annuelles"),
        url_name="reviews:review-list",
        order=42,
        visible=can_read_reviews,
        group="plan",
    ),
    DocumentRenderer(key="reviews.review", render=_render_review),  # pdf.REVIEW_DOCUMENT
    DemoSeed(key="reviews", seed=_demo_seed),
    Anonymiser(key="reviews", anonymise=_anonymise),
    DataExporter(key="reviews", export=_export),
    # Reminders to pilots of stale cards and missing self-assessments before a review (idempotent).
    PeriodicTask(key="reviews-reminders", task="actions.reviews.tasks.review_reminders_task", schedule=3600.0),
)
