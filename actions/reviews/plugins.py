"""The reviews app's entries in the core's registry: navigation, the PDF renderer, demo data."""

from django.utils.translation import gettext_lazy as _

from actions.permissions import can_follow_my_cards
from actions.reviews.permissions import can_read_reviews, can_run_reviews
from intranet.registry import (
    Anonymiser,
    DataExporter,
    DemoSeed,
    DocumentRenderer,
    NavItem,
    PeriodicTask,
    TodoSource,
    register,
)


def _self_assessments(*, user, today, limit):
    from actions.reviews.selectors.agents import todo_self_assessments

    return todo_self_assessments(user=user, today=today, limit=limit)


def _decisions(*, user, today, limit):
    from actions.reviews.selectors.agents import todo_decisions

    return todo_decisions(user=user, today=today, limit=limit)


def _decision_follow_ups(*, user, today, limit):
    from actions.reviews.selectors.follow_up import todo_decision_follow_ups

    return todo_decision_follow_ups(user=user, today=today, limit=limit)


def _render_review(**params):
    from actions.reviews.pdf import review_document_render  # WeasyPrint, loaded when printing

    return review_document_render(**params)


def _demo_seed(*, stdout):
    from actions.reviews.demo import demo_seed

    demo_seed(stdout=stdout)


def _anonymise(agent, label):
    from actions.reviews.services.upkeep import reviews_anonymise

    reviews_anonymise(agent=agent, label=label)


def _export(agent):
    from actions.reviews.selectors.agents import agent_data_export

    return agent_data_export(agent)


register(
    # « À faire »: pilots' self-assessments while a review collects them; the committee's decisions in session.
    TodoSource(
        key="reviews-self-assessments",
        label=_("Auto-évaluations à rédiger"),
        items=_self_assessments,
        order=30,
        visible=can_follow_my_cards,
    ),
    TodoSource(
        key="reviews-decisions",
        label=_("Décisions du comité de pilotage à enregistrer"),
        items=_decisions,
        order=31,
        visible=can_run_reviews,
    ),
    # Pilots: what the last closed review's decisions ask of them (a new schedule, a card to close).
    TodoSource(
        key="reviews-decision-follow-ups",
        label=_("Décisions du comité de pilotage à mettre en œuvre"),
        items=_decision_follow_ups,
        order=32,
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
