"""After the session: the decisions reach the live cards and their pilots (a card's decisions, the
follow-ups due, their « À faire » group)."""

from datetime import datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from actions.models import ActionCard, CardChange
from actions.reviews.models import CardSnapshot, Decision, Review
from intranet.registry import TodoGroup, TodoItem
from intranet.selectors import todo_group_from_queryset

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
