"""Permission-aware reads of the reviews, each page's data in a fixed number of queries
(the session page reads frozen snapshots: its count does not grow with measurements)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from actions.models import ActionCard, CardChange
from actions.reviews.models import CardSnapshot, Decision, Proposal, Review, SelfAssessment
from actions.reviews.permissions import can_read_reviews, can_run_reviews
from intranet.registry import TodoGroup, TodoItem
from intranet.selectors import todo_group_from_queryset


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


# --- After the session: the decisions reach the live cards and their pilots ---------------------

CLOSED_CARD_STATES = [ActionCard.Status.DONE, ActionCard.Status.ABANDONED]
FOLLOW_UP_DAYS = 30  # a pilot's answer to a decision (a new schedule, the card closed) is due within a month


def review_undecided(*, review: Review) -> list[CardSnapshot]:
    """The cards of the review without a decision yet (what closing it would leave undecided)."""
    decided = Decision.objects.filter(review=review, card=OuterRef("card"))
    return list(review.snapshots.exclude(Exists(decided)).order_by("objective_number", "position"))


def _schedule_changed_since_closing():
    """A due date of the card (a step's, or the card's own dates) changed after its review closed."""
    return CardChange.objects.filter(card=OuterRef("card"), at__gt=OuterRef("review__closed_at")).filter(
        Q(field__endswith=":due_date") | Q(field__in=["start_date", "end_date"])
    )


def _decisions_with_follow_up():
    later_closed = Review.objects.closed().filter(plan=OuterRef("review__plan"), year__gt=OuterRef("review__year"))
    return Decision.objects.filter(review__status=Review.Status.CLOSED).annotate(
        superseded=Exists(later_closed), schedule_updated=Exists(_schedule_changed_since_closing())
    )


def card_decisions(*, card: ActionCard) -> list[Decision]:
    """The committee's decisions on `card` in closed reviews, latest first, each with its review and
    (`schedule_updated_at`) when its pilots gave a new schedule after a « réajuster »: what the live
    card shows. Decisions of a review in progress stay on the review's pages until it closes."""
    decisions = list(
        _decisions_with_follow_up()
        .filter(card=card)
        .select_related("review")
        .annotate(
            schedule_updated_at=Subquery(
                _schedule_changed_since_closing().order_by("at").values("at")[:1],
            )
        )
        .order_by("-review__year", "-pk")
    )
    return decisions


def decisions_to_follow_up(*, user):
    """The decisions of the latest closed review of each plan that wait for `user` as a pilot of
    their card: « réajuster » until a due date of the card changes, « arrêter » until the card is
    closed (réalisée or abandonnée). « Poursuivre » asks nothing."""
    piloted = ActionCard.objects.piloted_by(user).values("pk")
    return (
        _decisions_with_follow_up()
        .filter(card_id__in=piloted, superseded=False)
        .filter(
            Q(decision=Decision.Choice.ADJUST, schedule_updated=False)
            | Q(decision=Decision.Choice.STOP) & ~Q(card__status__in=CLOSED_CARD_STATES)
        )
        .select_related("review", "card", "card__objective")
        .order_by("review__closed_at", "card__objective__number", "card__position")
    )


def todo_decision_follow_ups(*, user, today, limit: int) -> TodoGroup | None:
    """« À faire », for pilots: what the committee's last decisions ask of them (`decisions_to_follow_up`),
    due FOLLOW_UP_DAYS after the review closed."""

    def due(decision):
        return timezone.localdate(decision.review.closed_at) + timedelta(days=FOLLOW_UP_DAYS)

    def item(decision):
        card = decision.card
        if decision.decision == Decision.Choice.ADJUST:
            title = _("Proposer un nouveau calendrier pour l'action %(number)s – %(title)s")
            url = reverse("actions:card-steps", args=[card.pk])
        else:
            title = _("Clore l'action %(number)s – %(title)s")
            url = reverse("actions:my-cards") + f"#fiche-{card.pk}"
        detail = _("%(decision)s, revue %(year)s") % {
            "decision": decision.get_decision_display(),
            "year": decision.review.year,
        }
        if decision.comment:
            detail += " : " + Truncator(decision.comment).chars(120)
        return TodoItem(
            title=title % {"number": card.number, "title": card.title},
            url=url,
            due=due(decision),
            late=due(decision) < today,
            detail=detail,
        )

    late_before = timezone.make_aware(datetime.combine(today - timedelta(days=FOLLOW_UP_DAYS), time.min))
    return todo_group_from_queryset(
        decisions_to_follow_up(user=user),
        limit=limit,
        late=Q(review__closed_at__lt=late_before),
        item=item,
        url=reverse("actions:my-cards"),
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
