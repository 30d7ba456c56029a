"""The reviews' rules, role by role (the URLs are in the access matrix: tests/reviews/access_rows.py)."""

from actions.reviews.permissions import (
    can_post_proposal,
    can_read_review,
    can_record_decision,
    can_run_reviews,
    can_write_self_assessment,
)
from actions.reviews.services.committee import review_close, review_session_start
from tests.reviews.factories import FollowUpMemberFactory


def test_committee_hr_and_admins_run_reviews(db, users_by_role):
    runners = {name for name, user in users_by_role.items() if user is not None and can_run_reviews(user)}
    assert runners == {"copil", "rh", "admin_user"}


def test_review_in_progress_is_read_by_runners_and_followup_group_then_by_all_once_closed(
    users_by_role, open_review, copil, agent
):
    readers = {name for name, user in users_by_role.items() if user is not None and can_read_review(user, open_review)}
    assert readers == {"copil", "rh", "admin_user"}
    FollowUpMemberFactory(plan=open_review.plan, agent=agent)
    agent.__dict__.pop("_followup_plan_ids", None)
    assert can_read_review(agent, open_review)
    review_session_start(review=open_review, user=copil)
    review_close(review=open_review, user=copil, undecided_confirmed=True)
    readers = {name for name, user in users_by_role.items() if user is not None and can_read_review(user, open_review)}
    assert readers == set(users_by_role) - {"anonymous", "partenaire"}


def test_only_the_cards_pilots_write_its_self_assessment_while_collected(users_by_role, open_review, cards, copil):
    writers = {
        name
        for name, user in users_by_role.items()
        if user is not None and can_write_self_assessment(user, open_review, cards[0])
    }
    assert writers == {"pilote"}
    review_session_start(review=open_review, user=copil)
    assert not can_write_self_assessment(users_by_role["pilote"], open_review, cards[0])


def test_decisions_by_runners_during_the_session_only(users_by_role, open_review, copil):
    assert not can_record_decision(copil, open_review)
    review_session_start(review=open_review, user=copil)
    deciders = {
        name for name, user in users_by_role.items() if user is not None and can_record_decision(user, open_review)
    }
    assert deciders == {"copil", "rh", "admin_user"}


def test_followup_members_and_admins_post_proposals(users_by_role, cards, plan):
    FollowUpMemberFactory(plan=plan, agent=users_by_role["manager"])
    posters = {name for name, user in users_by_role.items() if user is not None and can_post_proposal(user, cards[0])}
    assert posters == {"manager", "admin_user"}


def test_review_list_applies_the_same_rule_as_can_read_review(users_by_role, plan, cards, copil, agent):
    """The list filters in SQL what `can_read_review` decides for one review: they must agree."""
    from actions.reviews.models import Review
    from actions.reviews.selectors.committee import review_list
    from tests.reviews.factories import ReviewFactory

    FollowUpMemberFactory(plan=plan, agent=agent)
    reviews = [ReviewFactory(plan=plan, year=year) for year in (2023, 2024, 2025, 2026)]
    for review, status in zip(
        reviews,
        [Review.Status.CLOSED, Review.Status.CLOSED, Review.Status.PREPARATION, Review.Status.IN_SESSION],
        strict=True,
    ):
        Review.objects.filter(pk=review.pk).update(status=status)
        review.status = status
    for name, user in users_by_role.items():
        if user is None:
            continue
        user.__dict__.pop("_followup_plan_ids", None)
        listed = set(review_list(user=user).values_list("pk", flat=True))
        assert listed == {r.pk for r in reviews if can_read_review(user, r)}, name
