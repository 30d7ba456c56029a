"""What concerns one agent: the self-assessments they have to write, their « À faire » groups
(self-assessments, decisions), their proposals, the export of their data (RGPD)."""

from collections import defaultdict

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from actions.models import ActionCard
from actions.reviews.models import CardSnapshot, Decision, Proposal, Review, SelfAssessment
from actions.reviews.permissions import can_read_reviews, can_run_reviews
from intranet.registry import TodoGroup, TodoItem
from intranet.selectors import todo_group_from_queryset


def my_self_assessments(*, user) -> list[dict]:
    """The self-assessments `user` has to write: for each review collecting them, the cards
    they pilot (named, or head of a pilot unit) with what they wrote so far."""
    if not can_read_reviews(user):
        return []
    reviews = list(Review.objects.filter(status=Review.Status.SELF_ASSESSMENT).select_related("plan").order_by("date"))
    if not reviews:
        return []
    piloted = ActionCard.objects.piloted_by(user).values("pk")
    snapshots = CardSnapshot.objects.filter(review__in=reviews, card_id__in=piloted).order_by(
        "objective_number", "position"
    )
    written = {
        (s.review_id, s.card_id): s for s in SelfAssessment.objects.filter(review__in=reviews, card_id__in=piloted)
    }
    by_review = defaultdict(list)
    for snapshot in snapshots:
        by_review[snapshot.review_id].append(
            {"snapshot": snapshot, "self_assessment": written.get((snapshot.review_id, snapshot.card_id))}
        )
    return [{"review": review, "items": by_review[review.pk]} for review in reviews if by_review[review.pk]]


def todo_self_assessments(*, user, today, limit: int) -> TodoGroup | None:
    """« À faire »: the self-assessments `user` still owes, read from `my_self_assessments` (the
    « Mes auto-évaluations » page's own list: the inbox and the page cannot disagree). Due on
    the day of the review's session."""
    missing = [
        (group["review"], item["snapshot"])
        for group in my_self_assessments(user=user)
        for item in group["items"]
        if item["self_assessment"] is None
    ]
    if not missing:
        return None
    items = [
        TodoItem(
            title=_("Action %(number)s – %(title)s") % {"number": snapshot.card_number, "title": snapshot.card_title},
            url=reverse("reviews:self-assessment-edit", args=[review.pk, snapshot.card_id]),
            due=review.date,
            late=review.date < today,
            detail=_("revue %(year)s") % {"year": review.year},
        )
        for review, snapshot in missing
    ]
    return TodoGroup(
        count=len(items),
        late=sum(item.late for item in items),
        items=items[:limit],
        url=reverse("reviews:my-self-assessments"),
    )


def todo_decisions(*, user, today, limit: int) -> TodoGroup | None:
    """« À faire »: for those who record the committee's decisions, the cards of a review in
    session that have no decision yet."""
    if not can_run_reviews(user):
        return None
    undecided = (
        CardSnapshot.objects.filter(review__status=Review.Status.IN_SESSION)
        .exclude(Exists(Decision.objects.filter(review=OuterRef("review"), card=OuterRef("card"))))
        .select_related("review")
        .order_by("review__date", "objective_number", "position")
    )
    return todo_group_from_queryset(
        undecided,
        limit=limit,
        late=Q(review__date__lt=today),
        item=lambda snapshot: TodoItem(
            title=_("Action %(number)s – %(title)s") % {"number": snapshot.card_number, "title": snapshot.card_title},
            url=reverse("reviews:review-card", args=[snapshot.review_id, snapshot.card_id]),
            due=snapshot.review.date,
            late=snapshot.review.date < today,
            detail=_("revue %(year)s") % {"year": snapshot.review.year},
        ),
    )


def proposals_by(*, user, plan) -> list[Proposal]:
    """The proposals `user` posted on `plan`'s cards, latest first."""
    if plan is None or not can_read_reviews(user):
        return []
    return list(
        Proposal.objects.filter(author=user, card__plan=plan)
        .select_related("card", "review")
        .order_by("-created_at", "-pk")[:50]
    )


def agent_data_export(agent) -> dict:
    """What the reviews hold on `agent`, for their "mes données" download."""
    return {
        "auto_evaluations": [
            {
                "revue": item.review.year,
                "fiche": item.card.number,
                "bilan": item.assessment,
                "difficultes": item.difficulties,
                "prochaines_etapes": item.next_steps,
            }
            for item in SelfAssessment.objects.filter(author=agent).select_related("review", "card")
        ],
        "decisions_enregistrees": [
            {"revue": item.review.year, "fiche": item.card.number, "decision": item.decision}
            for item in Decision.objects.filter(recorded_by=agent).select_related("review", "card")
        ],
        "propositions": [
            {"fiche": item.card.number, "date": item.created_at.isoformat(), "texte": item.text}
            for item in Proposal.objects.filter(author=agent).select_related("card")
        ],
        "groupe_de_suivi": list(agent.followup_memberships.values_list("plan__title", flat=True)),
    }
