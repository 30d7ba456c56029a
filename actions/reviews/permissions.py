"""Who may do what with the steering committee's reviews. Views and services ask these
rules; templates receive their answers.

- every internal agent reads CLOSED reviews (snapshots, self-assessments, decisions,
  comments and the PDF): the plan is read by every agent, and the committee's decisions
  are how it changes, so they are published once the review is closed. External partners
  never see them;
- a review in progress (preparation, self-assessment, session) is read by those who run
  it — the steering committee, HR and administrators — and by the follow-up group, who
  prepare proposals for it;
- the committee, HR and administrators create, open, run and close reviews and record
  decisions (the issue: "the steering committee runs reviews"; HR manages the plan);
- a card's pilots (named on it, or head of a pilot unit) write that card's self-assessment,
  only while the review collects them;
- members of the plan's follow-up group (volunteers; administrators too) post proposals.
"""

from actions.permissions import can_read_plan, is_card_pilot
from intranet.roles import Role, has_role, is_internal


def can_read_reviews(user) -> bool:
    return can_read_plan(user)


def can_run_reviews(user) -> bool:
    return is_internal(user) and has_role(user, Role.COPIL, Role.HR, Role.ADMIN)


def is_followup_member(user, plan_id: int) -> bool:
    """Volunteer of the follow-up group of plan `plan_id` (memberships cached on the user)."""
    if not is_internal(user):
        return False
    memberships = getattr(user, "_followup_plan_ids", None)
    if memberships is None:
        memberships = set(user.followup_memberships.values_list("plan_id", flat=True))
        user._followup_plan_ids = memberships
    return plan_id in memberships


def can_read_review(user, review) -> bool:
    if not can_read_reviews(user):
        return False
    if review.is_closed:
        return True
    return can_run_reviews(user) or is_followup_member(user, review.plan_id)


def can_write_self_assessment(user, review, card) -> bool:
    from actions.reviews.models import Review

    return review.status == Review.Status.SELF_ASSESSMENT and is_card_pilot(user, card)


def can_record_decision(user, review) -> bool:
    from actions.reviews.models import Review

    return review.status == Review.Status.IN_SESSION and can_run_reviews(user)


def can_post_proposal(user, card) -> bool:
    if not is_internal(user):
        return False
    return has_role(user, Role.ADMIN) or is_followup_member(user, card.plan_id)


def can_manage_followup_group(user) -> bool:
    return can_run_reviews(user)
