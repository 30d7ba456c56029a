"""What pilots and the follow-up group write: a card's self-assessment, a member's proposal, joining
or leaving the group."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.models import ActionCard, Plan
from actions.reviews.models import FollowUpMember, Proposal, Review, SelfAssessment
from actions.reviews.permissions import can_manage_followup_group, can_post_proposal, can_write_self_assessment
from actions.reviews.services.common import _check_card_in_review, _clean_text, _locked, _touch


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
