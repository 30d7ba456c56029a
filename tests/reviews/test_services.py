import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from actions.models import ActionCard, Step
from actions.reviews.models import CardSnapshot, Decision, Proposal, Review, SelfAssessment
from actions.reviews.selectors.committee import review_comparison, review_session
from actions.reviews.services.committee import (
    decision_record,
    review_close,
    review_create,
    review_open,
    review_session_start,
)
from actions.reviews.services.pilots import followup_join, followup_leave, proposal_post, self_assessment_save
from actions.services.cards import card_update
from actions.services.steps import card_step_set_state
from intranet.models import AuditLogEntry
from tests.reviews.factories import FollowUpMemberFactory, ReviewFactory


def test_review_create_refuses_a_second_review_for_the_same_year(plan, copil):
    review_create(plan=plan, year=2026, date=datetime.date(2026, 12, 1), user=copil)
    with pytest.raises(ValidationError) as error:
        review_create(plan=plan, year=2026, date=datetime.date(2026, 12, 2), user=copil)
    assert "existe déjà" in str(error.value)
    assert Review.objects.count() == 1


def test_review_create_is_refused_to_an_agent(plan, agent):
    with pytest.raises(PermissionDenied):
        review_create(plan=plan, year=2026, date=datetime.date(2026, 12, 1), user=agent)


def test_review_open_freezes_a_snapshot_of_every_card(review, cards, copil, pilote):
    review_open(review=review, user=copil)
    review.refresh_from_db()
    assert review.status == Review.Status.SELF_ASSESSMENT
    snapshots = {s.card_number: s for s in review.snapshots.all()}
    assert set(snapshots) == {"1.1", "1.2", "2.1"}
    first = snapshots["1.1"]
    assert (first.status, first.progress, first.steps_done, first.steps_total) == ("en_cours", 50, 2, 4)
    assert first.indicators[0]["definition"] == "Nombre de réunions"
    assert first.indicators[0]["value"] == "30"  # the latest value, not the first
    assert first.indicators[0]["date"] == "2025-06-01"
    assert first.pilots == [{"id": pilote.pk, "name": pilote.get_full_name()}]  # copied, not linked
    assert AuditLogEntry.objects.filter(action="review.open").exists()


def test_snapshot_does_not_follow_later_changes_of_the_card(open_review, cards, pilote):
    card = cards[0]
    card_update(card=card, user=pilote, data={"status": ActionCard.Status.DONE})
    card_step_set_state(step=card.steps.get(position=3), user=pilote, state=Step.State.DONE)
    snapshot = CardSnapshot.objects.get(review=open_review, card=card)
    assert (snapshot.status, snapshot.progress, snapshot.steps_done) == ("en_cours", 50, 2)


def test_review_cannot_be_opened_twice(open_review, copil):
    with pytest.raises(ValidationError):
        review_open(review=open_review, user=copil)
    assert open_review.snapshots.count() == 3


def test_pilot_writes_the_self_assessment_of_their_card_only(open_review, cards, pilote):
    self_assessment_save(
        review=open_review,
        card=cards[0],
        user=pilote,
        assessment="Bonne année",
        difficulties="Le temps",
        next_steps="Continuer",
    )
    with pytest.raises(PermissionDenied):
        self_assessment_save(review=open_review, card=cards[1], user=pilote, assessment="Pas la mienne")
    assert list(SelfAssessment.objects.values_list("card__number", "assessment")) == [("1.1", "Bonne année")]


def test_self_assessment_rewritten_keeps_one_row(open_review, cards, pilote):
    self_assessment_save(review=open_review, card=cards[0], user=pilote, assessment="Premier jet")
    self_assessment_save(review=open_review, card=cards[0], user=pilote, assessment="Version finale")
    assert list(SelfAssessment.objects.values_list("assessment", flat=True)) == ["Version finale"]


def test_empty_self_assessment_is_refused_with_a_french_message(open_review, cards, pilote):
    with pytest.raises(ValidationError) as error:
        self_assessment_save(review=open_review, card=cards[0], user=pilote, assessment="   ")
    assert "obligatoire" in str(error.value)
    assert not SelfAssessment.objects.exists()


def test_self_assessments_close_when_the_session_starts(open_review, cards, pilote, copil):
    review_session_start(review=open_review, user=copil)
    with pytest.raises(ValidationError):
        self_assessment_save(review=open_review, card=cards[0], user=pilote, assessment="Trop tard")


def test_decisions_only_in_session_and_by_runners(open_review, cards, copil, rh, agent):
    with pytest.raises(ValidationError):
        decision_record(review=open_review, card=cards[0], user=copil, decision="poursuivre")
    review_session_start(review=open_review, user=copil)
    with pytest.raises(PermissionDenied):
        decision_record(review=open_review, card=cards[0], user=agent, decision="poursuivre")
    decision_record(review=open_review, card=cards[0], user=copil, decision="poursuivre", comment="Bien")
    decision_record(review=open_review, card=cards[0], user=rh, decision="reajuster", comment="Revoir")
    decision = Decision.objects.get()
    assert (decision.decision, decision.comment, decision.recorded_by) == ("reajuster", "Revoir", rh)


def test_unknown_decision_is_refused(open_review, cards, copil):
    review_session_start(review=open_review, user=copil)
    with pytest.raises(ValidationError):
        decision_record(review=open_review, card=cards[0], user=copil, decision="oublier")
    assert not Decision.objects.exists()


def test_closed_review_is_frozen(open_review, cards, copil, pilote):
    review_session_start(review=open_review, user=copil)
    decision_record(review=open_review, card=cards[0], user=copil, decision="arreter")
    review_close(review=open_review, user=copil, undecided_confirmed=True)
    with pytest.raises(ValidationError):
        decision_record(review=open_review, card=cards[0], user=copil, decision="poursuivre")
    with pytest.raises(ValidationError):
        self_assessment_save(review=open_review, card=cards[0], user=pilote, assessment="Après coup")
    with pytest.raises(ValidationError):
        review_open(review=open_review, user=copil)
    assert Decision.objects.get().decision == "arreter"


def test_proposals_wait_for_the_next_review_then_join_it(plan, cards, agent, copil, review):
    FollowUpMemberFactory(plan=plan, agent=agent)
    early = proposal_post(card=cards[1], user=agent, text="Associer les communes")
    assert early.review is None
    review_open(review=review, user=copil)
    late = proposal_post(card=cards[1], user=agent, text="Et les usagers")
    early.refresh_from_db()
    assert early.review == review
    assert late.review == review
    rows = {row.snapshot.card_number: row for row in review_session(review=review)}
    assert [p.text for p in rows["1.2"].proposals] == ["Associer les communes", "Et les usagers"]


def test_only_followup_members_post_proposals(cards, agent):
    with pytest.raises(PermissionDenied):
        proposal_post(card=cards[0], user=agent, text="Une idée")
    assert not Proposal.objects.exists()


def test_followup_join_and_leave(plan, agent, copil, manager):
    followup_join(plan=plan, user=agent)
    followup_join(plan=plan, user=agent)  # twice: still one membership
    assert plan.followup_members.count() == 1
    with pytest.raises(PermissionDenied):
        followup_leave(plan=plan, agent=agent, user=manager)
    assert followup_leave(plan=plan, agent=agent, user=copil)
    assert not plan.followup_members.exists()


def test_year_over_year_comparison(plan, cards, copil, pilote):
    last = ReviewFactory(plan=plan, year=2025, date=datetime.date(2025, 12, 1))
    review_open(review=last, user=copil)
    review_session_start(review=last, user=copil)
    decision_record(review=last, card=cards[0], user=copil, decision="reajuster", comment="Trop lent")
    review_close(review=last, user=copil, undecided_confirmed=True)
    card_step_set_state(step=cards[0].steps.get(position=3), user=pilote, state=Step.State.DONE)
    this = ReviewFactory(plan=plan, year=2026, date=datetime.date(2026, 12, 1))
    review_open(review=this, user=copil)
    review_session_start(review=this, user=copil)
    decision_record(review=this, card=cards[0], user=copil, decision="poursuivre")

    comparison = review_comparison(review=this)
    assert comparison["previous"] == last
    row = next(r for r in comparison["rows"] if r.snapshot.card_number == "1.1")
    assert (row.previous.progress, row.snapshot.progress, row.delta) == (50, 75, 25)
    assert [(d.review.year, d.decision) for d in row.history] == [(2025, "reajuster"), (2026, "poursuivre")]


def test_another_review_in_progress_blocks_opening(plan, cards, copil):
    first = ReviewFactory(plan=plan, year=2025)
    review_open(review=first, user=copil)
    second = ReviewFactory(plan=plan, year=2026)
    with pytest.raises(ValidationError) as error:
        review_open(review=second, user=copil)
    assert "en cours" in str(error.value)
    assert not second.snapshots.exists()


def test_snapshots_are_immutable_in_the_database(open_review, cards):
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the immutability trigger is PostgreSQL's")
    snapshot = CardSnapshot.objects.get(review=open_review, card=cards[0])
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        CardSnapshot.objects.filter(pk=snapshot.pk).update(progress=99)
    cards[0].delete()  # SET NULL is still allowed: the snapshot survives its card
    snapshot.refresh_from_db()
    assert (snapshot.card_id, snapshot.progress, snapshot.card_number) == (None, 50, "1.1")


def test_anonymising_a_pilot_removes_their_name_from_the_reviews(open_review, cards, pilote, copil):
    from intranet.registry import registry

    self_assessment_save(review=open_review, card=cards[0], user=pilote, assessment="Bilan")
    registry.anonymisers["reviews"].anonymise(pilote, "Agent parti 12")
    assert SelfAssessment.objects.get().author_label == "Agent parti 12"
    snapshot = CardSnapshot.objects.get(review=open_review, card=cards[0])
    assert snapshot.pilots == [{"id": pilote.pk, "name": "Agent parti 12"}]


def test_my_data_lists_what_the_reviews_hold_on_an_agent(open_review, cards, pilote):
    from actions.reviews.selectors.agents import agent_data_export

    self_assessment_save(review=open_review, card=cards[0], user=pilote, assessment="Mon bilan")
    data = agent_data_export(pilote)
    assert data["auto_evaluations"][0]["bilan"] == "Mon bilan"
    assert data["auto_evaluations"][0]["fiche"] == "1.1"
