"""What the steering committee's reviews do: functions that change state, one transaction
each. Every write locks the review row first (`_locked`), so a state checked here cannot
change under the write: a decision never lands in a review being closed."""

from datetime import date as date_type
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from actions.models import ActionCard, Plan
from actions.progress import card_progress
from actions.reviews.models import CardSnapshot, Decision, FollowUpMember, Proposal, Review, SelfAssessment
from actions.reviews.permissions import (
    can_manage_followup_group,
    can_post_proposal,
    can_record_decision,
    can_run_reviews,
    can_write_self_assessment,
)
from actions.selectors import indicators_with_latest
from intranet.models import OrgUnit
from intranet.services import audit_log_record

TEXT_MAX = 10_000


def _locked(review: Review) -> Review:
    return Review.objects.select_for_update().select_related("plan").get(pk=review.pk)


def _sync(original: Review, locked: Review, fields: list[str]) -> Review:
    """Give the caller's instance the new state too (the service wrote through a locked copy)."""
    for name in [*fields, "changed_at"]:
        setattr(original, name, getattr(locked, name))
    return locked


def _touch(review: Review, *, now=None) -> None:
    review.changed_at = now or timezone.now()
    Review.objects.filter(pk=review.pk).update(changed_at=review.changed_at)


def _check_runner(user) -> None:
    if not can_run_reviews(user):
        raise PermissionDenied(_("Seuls le comité de pilotage, les RH et les administrateurs conduisent les revues."))


def _clean_text(value: str, *, field: str, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("Ce champ est obligatoire.")})
    if len(value) > TEXT_MAX:
        raise ValidationError({field: _("Ce texte est trop long (%(max)s caractères au plus).") % {"max": TEXT_MAX}})
    return value


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
    from actions.reviews.selectors import review_undecided

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


def _check_card_in_review(review: Review, card: ActionCard) -> None:
    if not CardSnapshot.objects.filter(review=review, card=card).exists():
        raise ValidationError(_("Cette fiche ne fait pas partie de la revue."))


@transaction.atomic
def self_assessment_save(
    *, review: Review, card: ActionCard, user, assessment: str, difficulties: str = "", next_steps: str = ""
) -> SelfAssessment:
    """Write (or rewrite) a card's self-assessment: its pilots, while the review collects them."""
    review = _locked(review)
    if not can_write_self_assessment(user, review, card):
        if review.status != Review.Status.SELF_ASSESSMENT:
            raise ValidationError(_("Les auto-évaluations de cette revue ne sont plus modifiables."))
        raise PermissionDenied(_("Seuls les pilotes de la fiche rédigent son auto-évaluation."))
    _check_card_in_review(review, card)
    values = {
        "assessment": _clean_text(assessment, field="assessment", required=True),
        "difficulties": _clean_text(difficulties, field="difficulties"),
        "next_steps": _clean_text(next_steps, field="next_steps"),
        "author": user,
        "author_label": (user.get_full_name() or user.email)[:255],
        "updated_at": timezone.now(),
    }
    item, _created = SelfAssessment.objects.update_or_create(review=review, card=card, defaults=values)
    _touch(review)
    return item


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


@transaction.atomic
def proposal_post(*, card: ActionCard, user, text: str) -> Proposal:
    """A follow-up group member's proposal on a card: it goes to the review being prepared
    or held (the committee sees it in session), else waits for the next one."""
    if not can_post_proposal(user, card):
        raise PermissionDenied(_("Seuls les membres du groupe de suivi déposent des propositions."))
    text = _clean_text(text, field="text", required=True)
    review = (
        Review.objects.select_for_update()
        .filter(plan_id=card.plan_id)
        .not_closed()
        .exclude(status=Review.Status.PREPARATION)
        .order_by("-year")
        .first()
    )
    proposal = Proposal.objects.create(
        card=card, review=review, text=text, author=user, author_label=(user.get_full_name() or user.email)[:255]
    )
    if review is not None:
        _touch(review)
    return proposal


@transaction.atomic
def followup_join(*, plan: Plan, user) -> FollowUpMember:
    """An agent volunteers for the plan's follow-up group (joining twice changes nothing)."""
    from actions.permissions import can_read_plan

    if not can_read_plan(user):
        raise PermissionDenied(_("Le groupe de suivi est ouvert aux agents de la collectivité."))
    member, _created = FollowUpMember.objects.get_or_create(plan=plan, agent=user)
    user.__dict__.pop("_followup_plan_ids", None)
    return member


@transaction.atomic
def followup_leave(*, plan: Plan, agent, user) -> bool:
    """Leave the group (the volunteer), or remove a volunteer (the committee, HR, admins)."""
    if agent.pk != user.pk and not can_manage_followup_group(user):
        raise PermissionDenied(_("Vous ne pouvez pas retirer un autre membre du groupe de suivi."))
    deleted, _detail = FollowUpMember.objects.filter(plan=plan, agent=agent).delete()
    agent.__dict__.pop("_followup_plan_ids", None)
    return bool(deleted)


# --- Reminders ---------------------------------------------------------------------------

REMIND_DAYS_BEFORE = 30
REMINDER_KIND = "reviews.reminder"


def review_reminders_send(*, now=None) -> int:
    """E-mail the pilots whose cards need them before a review: cards not followed up for 90
    days, and (while the review collects them) missing self-assessments. Reviews due within
    REMIND_DAYS_BEFORE days and not closed. One e-mail per pilot and review, listing the
    cards; a Reminder row per (review, card, pilot, kind) makes it idempotent: a reminder
    already sent is never sent again. Returns the number of e-mails queued."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = Review.objects.not_closed().filter(date__gte=today, date__lte=today + timedelta(days=REMIND_DAYS_BEFORE))
    return sum(_review_reminders(review_id=pk, now=now) for pk in due.values_list("pk", flat=True))


@transaction.atomic
def _review_reminders(*, review_id: int, now) -> int:
    from actions.reviews.reminders import pending_reminders, reminder_email

    review = Review.objects.select_for_update().select_related("plan").filter(pk=review_id).first()
    if review is None or review.is_closed:
        return 0
    sent = 0
    for agent, items in pending_reminders(review=review, now=now).items():
        from actions.reviews.models import Reminder

        Reminder.objects.bulk_create(
            [Reminder(review=review, card=card, agent=agent, kind=kind, sent_at=now) for card, kind in items]
        )
        if agent.has_mailbox and agent.email:
            reminder_email(review=review, agent=agent, items=items)
            sent += 1
    return sent


# --- RGPD ----------------------------------------------------------------------------------


@transaction.atomic
def reviews_anonymise(*, agent, label: str) -> None:
    """A departed agent's name leaves the reviews: the self-assessments, decisions and
    proposals they wrote, and the snapshots where they were a pilot, show `label` instead."""
    SelfAssessment.objects.filter(author=agent).update(author_label=label)
    Decision.objects.filter(recorded_by=agent).update(recorded_by_label=label)
    Proposal.objects.filter(author=agent).update(author_label=label)
    for snapshot in CardSnapshot.objects.only("pk", "pilots").iterator():
        if any(pilot.get("id") == agent.pk for pilot in snapshot.pilots):
            pilots = [{**p, "name": label} if p.get("id") == agent.pk else p for p in snapshot.pilots]
            CardSnapshot.objects.filter(pk=snapshot.pk).update(pilots=pilots)
    FollowUpMember.objects.filter(agent=agent).delete()
