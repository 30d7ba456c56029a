"""What the committee reads: the reviews a user may read, one review's session, a card in it with
its past decisions, the comparison with the previous review."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from actions.models import ActionCard
from actions.reviews.models import CardSnapshot, Decision, Review, SelfAssessment
from actions.reviews.permissions import can_read_reviews, can_run_reviews


def review_list(*, user) -> QuerySet[Review]:
    """The reviews `user` may read: closed ones for every internal agent; all of them for
    those who run reviews; the ones in progress of their plan for the follow-up group."""
    if not can_read_reviews(user):
        return Review.objects.none()

    def count(model):  # a subquery each: joining the three would multiply their rows
        rows = model.objects.filter(review=OuterRef("pk")).order_by().values("review")
        return Subquery(rows.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField())

    reviews = (
        Review.objects.select_related("plan")
        .annotate(
            card_count=Coalesce(count(CardSnapshot), 0),
            decision_count=Coalesce(count(Decision), 0),
            self_assessment_count=Coalesce(count(SelfAssessment), 0),
        )
        .order_by("-year", "-pk")
    )
    if can_run_reviews(user):
        return reviews
    member_plans = user.followup_memberships.values("plan_id")
    return reviews.filter(Q(status=Review.Status.CLOSED) | Q(plan_id__in=member_plans))


def review_get(*, user, pk: int) -> Review | None:
    return review_list(user=user).filter(pk=pk).first()


@dataclass
class SessionRow:
    snapshot: CardSnapshot
    self_assessment: SelfAssessment | None = None
    decision: Decision | None = None
    proposals: list = field(default_factory=list)


def review_session(*, review: Review) -> list[SessionRow]:
    """One row per card of the review: its snapshot, self-assessment, decision and proposals
    (four queries whatever the number of cards)."""
    snapshots = list(review.snapshots.order_by("objective_number", "position"))
    assessments = {item.card_id: item for item in review.self_assessments.all()}
    decisions = {item.card_id: item for item in review.decisions.all()}
    proposals = defaultdict(list)
    for proposal in review.proposals.order_by("created_at", "pk"):
        proposals[proposal.card_id].append(proposal)
    return [
        SessionRow(
            snapshot=s,
            self_assessment=assessments.get(s.card_id),
            decision=decisions.get(s.card_id),
            proposals=proposals.get(s.card_id, []),
        )
        for s in snapshots
    ]


def review_previous(*, review: Review) -> Review | None:
    """Last year's review of the same plan (the closest earlier one)."""
    return Review.objects.filter(plan_id=review.plan_id, year__lt=review.year).order_by("-year").first()


def decision_history(*, review: Review, card_ids) -> dict[int, list[Decision]]:
    """Each card's decisions in the reviews of the plan up to this one, oldest first."""
    history = defaultdict(list)
    decisions = (
        Decision.objects.filter(review__plan_id=review.plan_id, review__year__lte=review.year, card_id__in=card_ids)
        .select_related("review")
        .order_by("review__year")
    )
    for decision in decisions:
        history[decision.card_id].append(decision)
    return history


def review_card(*, review: Review, card_pk: int) -> dict | None:
    """The session page of one card: this year's snapshot, last year's, the self-assessment,
    the proposals, the decision and the card's decision history."""
    snapshot = review.snapshots.filter(card_id=card_pk).first()
    if snapshot is None:
        return None
    card = ActionCard.objects.prefetch_related("pilot_agents", "pilot_units").get(pk=card_pk)
    previous = review_previous(review=review)
    previous_snapshot = previous.snapshots.filter(card_id=card_pk).first() if previous else None
    neighbours = list(review.snapshots.order_by("objective_number", "position").values_list("card_id", flat=True))
    index = neighbours.index(card_pk)
    return {
        "card": card,
        "snapshot": snapshot,
        "previous": previous,
        "previous_snapshot": previous_snapshot,
        "delta": _delta(snapshot, previous_snapshot),
        "self_assessment": review.self_assessments.filter(card_id=card_pk).first(),
        "decision": review.decisions.filter(card_id=card_pk).first(),
        "proposals": list(review.proposals.filter(card_id=card_pk).order_by("created_at", "pk")),
        "history": [
            d for d in decision_history(review=review, card_ids=[card_pk]).get(card_pk, []) if d.review_id != review.pk
        ],
        "previous_card_id": neighbours[index - 1] if index > 0 else None,
        "next_card_id": neighbours[index + 1] if index + 1 < len(neighbours) else None,
    }


def _delta(snapshot: CardSnapshot, previous: CardSnapshot | None) -> int | None:
    if previous is None or snapshot.progress is None or previous.progress is None:
        return None
    return snapshot.progress - previous.progress


@dataclass
class ComparisonRow:
    snapshot: CardSnapshot
    previous: CardSnapshot | None
    delta: int | None
    history: list


def review_comparison(*, review: Review) -> dict:
    """This year's snapshot against last year's, card by card: progress delta, status then
    and now, and the decisions taken on the card review after review."""
    previous = review_previous(review=review)
    snapshots = list(review.snapshots.order_by("objective_number", "position"))
    before = {s.card_id: s for s in previous.snapshots.all()} if previous else {}
    history = decision_history(review=review, card_ids=[s.card_id for s in snapshots])
    rows = [
        ComparisonRow(
            snapshot=s,
            previous=before.get(s.card_id),
            delta=_delta(s, before.get(s.card_id)),
            history=history.get(s.card_id, []),
        )
        for s in snapshots
    ]
    return {"previous": previous, "rows": rows}
