"""A review's course, run by the steering committee: created, opened (the cards' snapshots taken),
its session started, a decision recorded per card, closed."""

from datetime import date as date_type

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from actions.models import ActionCard, Plan
from actions.progress import card_progress
from actions.reviews.models import CardSnapshot, Decision, Proposal, Review
from actions.reviews.permissions import can_record_decision
from actions.reviews.services.common import _check_card_in_review, _check_runner, _clean_text, _locked, _sync, _touch
from actions.selectors import indicators_with_latest
from intranet.models import OrgUnit
from intranet.services import audit_log_record


@transaction.atomic
def review_create(*, plan: Plan, year: int, date: date_type, user) -> Review:
    """A review of `plan` for `year`, in preparation: one per plan and year."""
    _check_runner(user)
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("Indiquez une année entre 2000 et 2100.")})
    if Review.objects.filter(plan=plan, year=year).exists():
        raise ValidationError({"year": _("Une revue existe déjà pour l'année %(year)s.") % {"year": year}})
    try:
        with transaction.atomic():
            review = Review.objects.create(plan=plan, year=year, date=date, created_by=user)
    except IntegrityError:  # created at the same moment by someone else
        raise ValidationError({"year": _("Une revue existe déjà pour l'année %(year)s.") % {"year": year}}) from None
    audit_log_record(actor=user, action="review.create", target=review)
    return review


def _pilots(card: ActionCard) -> list[dict]:
    pilots = [{"id": agent.pk, "name": agent.get_full_name() or agent.email} for agent in card.pilot_agents.all()]
    pilots += [{"id": None, "name": str(unit)} for unit in card.pilot_units.all()]
    return pilots or ([{"id": None, "name": card.pilot_label}] if card.pilot_label else [])


def _number(value) -> str:
    if value is None:
        return ""
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value:.2f}".rstrip("0")


def _snapshot_cards(plan: Plan) -> list[ActionCard]:
    return list(
        plan.cards.with_progress_data()
        .select_related("objective")
        .prefetch_related(
            "pilot_agents",
            Prefetch("pilot_units", queryset=OrgUnit.objects.order_by("name")),
            Prefetch("indicators", queryset=indicators_with_latest()),
        )
        .order_by("objective__number", "position")
    )


def _snapshot(review: Review, card: ActionCard, *, now) -> CardSnapshot:
    progress = card_progress(card)
    return CardSnapshot(
        review=review,
        card=card,
        objective_number=card.objective.number,
        objective_title=card.objective.title,
        card_number=card.number,
        card_title=card.title,
        position=card.position,
        status=card.status,
        progress=progress.percent,
        progress_method=progress.method[:500],
        steps_done=card.steps_done,
        steps_total=card.steps_total,
        indicators=[
            {
                "definition": indicator.definition,
                "unit": indicator.unit,
                "baseline": _number(indicator.baseline),
                "target": _number(indicator.target),
                "value": _number(indicator.latest_value),
                "date": indicator.latest_date.isoformat() if indicator.latest_date else "",
            }
            for indicator in card.indicators.all()
        ],
        card_updated_at=card.updated_at,
        pilots=_pilots(card),
        taken_at=now,
    )


@transaction.atomic
def review_open(*, review: Review, user, now=None) -> Review:
    """Open the review: freeze a snapshot of every card of the plan, attach the follow-up
    group's pending proposals, and let pilots write their self-assessments."""
    _check_runner(user)
    now = now or timezone.now()
    original, review = review, _locked(review)
    if review.status != Review.Status.PREPARATION:
        raise ValidationError(_("Cette revue est déjà ouverte."))
    if (
        Review.objects.filter(plan=review.plan)
        .exclude(pk=review.pk)
        .exclude(status__in=[Review.Status.PREPARATION, Review.Status.CLOSED])
        .exists()
    ):
        raise ValidationError(_("Une autre revue de ce plan est en cours : clôturez-la d'abord."))
    CardSnapshot.objects.bulk_create([_snapshot(review, card, now=now) for card in _snapshot_cards(review.plan)])
    Proposal.objects.filter(review__isnull=True, card__plan=review.plan).update(review=review)
    review.status, review.opened_at = Review.Status.SELF_ASSESSMENT, now
    review.save(update_fields=["status", "opened_at"])
    _touch(review, now=now)
    audit_log_record(actor=user, action="review.open", target=review)
    return _sync(original, review, ["status", "opened_at"])


@transaction.atomic
def review_session_start(*, review: Review, user) -> Review:
    """The committee meets: self-assessments are closed, decisions may be recorded."""
    _check_runner(user)
    original, review = review, _locked(review)
    if review.status != Review.Status.SELF_ASSESSMENT:
        raise ValidationError(_("La séance ne peut s'ouvrir qu'après la collecte des auto-évaluations."))
    review.status, review.session_started_at = Review.Status.IN_SESSION, timezone.now()
    review.save(update_fields=["status", "session_started_at"])
    _touch(review)
    audit_log_record(actor=user, action="review.session_start", target=review)
    return _sync(original, review, ["status", "session_started_at"])


@transaction.atomic
def review_close(*, review: Review, user, undecided_confirmed: bool = False) -> Review:
    """Close the review: from now on nothing of it changes (no service writes to a closed
    review), and every internal agent may read it. Cards left without a decision need
    `undecided_confirmed` (the person saw the list and confirmed). The pilots of the decided
    cards are told by e-mail (through the outbox, with the review's commit)."""
    from actions.reviews.emails import decisions_notify
    from actions.reviews.selectors.follow_up import review_undecided

    _check_runner(user)
    original, review = review, _locked(review)
    if review.status != Review.Status.IN_SESSION:
        raise ValidationError(_("Seule une revue en séance peut être clôturée."))
    undecided = review_undecided(review=review)
    if undecided and not undecided_confirmed:
        raise ValidationError(
            ngettext(
                "%(count)s fiche sans décision : confirmez la clôture après avoir relu la liste.",
                "%(count)s fiches sans décision : confirmez la clôture après avoir relu la liste.",
                len(undecided),
            )
            % {"count": len(undecided)},
            code="undecided",
        )
    review.status, review.closed_at, review.closed_by = Review.Status.CLOSED, timezone.now(), user
    review.save(update_fields=["status", "closed_at", "closed_by"])
    _touch(review)
    audit_log_record(
        actor=user, action="review.close", target=review, details={"undecided": [s.card_number for s in undecided]}
    )
    decisions_notify(review=review)
    return _sync(original, review, ["status", "closed_at", "closed_by"])


@transaction.atomic
def decision_record(*, review: Review, card: ActionCard, user, decision: str, comment: str = "") -> Decision:
    """Record (or change) the committee's decision on a card, during the session."""
    review = _locked(review)
    if not can_record_decision(user, review):
        if review.status != Review.Status.IN_SESSION:
            raise ValidationError(_("Les décisions s'enregistrent pendant la séance du comité."))
        raise PermissionDenied(_("Seuls le comité de pilotage, les RH et les administrateurs décident."))
    if decision not in Decision.Choice.values:
        raise ValidationError({"decision": _("Choisissez poursuivre, réajuster ou arrêter.")})
    _check_card_in_review(review, card)
    values = {
        "decision": decision,
        "comment": _clean_text(comment, field="comment"),
        "recorded_by": user,
        "recorded_by_label": (user.get_full_name() or user.email)[:255],
        "recorded_at": timezone.now(),
    }
    item, _created = Decision.objects.update_or_create(review=review, card=card, defaults=values)
    _touch(review)
    return item
