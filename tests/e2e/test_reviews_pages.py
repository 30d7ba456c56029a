"""The reviews' other pages in the browser, zero axe violations on each: a pilot writes a
self-assessment, a volunteer joins the follow-up group and posts a proposal, the committee
prepares a review and compares the year with the previous one."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from actions.reviews.models import Proposal, Review, SelfAssessment
from actions.reviews.services.committee import decision_record, review_close, review_open, review_session_start
from tests.actions.factories import ActionCardFactory, ObjectiveFactory, PlanFactory
from tests.e2e.conftest import assert_no_axe_violations, assert_no_console_errors, console_errors, login_as
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """A transactional test before this one flushed the content types the process still has
    in its cache (the audit log of the review's services points to one): forget them."""
    ContentType.objects.clear_cache()


@pytest.fixture
def plan_with_card(pilote):
    plan = PlanFactory(title="Projet d'administration Mad & Moselle")
    objective = ObjectiveFactory(plan=plan, number=5, title="Développer une culture Mad&Moselle")
    card = ActionCardFactory(objective=objective, position=3, title="Développer des temps « vis ma vie »")
    card.pilot_agents.add(pilote)
    return plan, card


def test_pilot_writes_a_self_assessment(page, axe, live_server, pilote, copil, plan_with_card):
    plan, card = plan_with_card
    review = ReviewFactory(plan=plan, year=2026, date=datetime.date(2026, 12, 10))
    review_open(review=review, user=copil)
    login_as(page, live_server, pilote)
    page.goto(live_server.url + reverse("reviews:my-self-assessments"))
    assert_no_axe_violations(page, axe)
    page.get_by_role("link", name="Rédiger l'auto-évaluation de l'action 5.3").click()
    assert_no_axe_violations(page, axe)
    page.get_by_role("button", name="Enregistrer mon auto-évaluation").click()  # empty: refused, says why
    assert page.get_by_text("Ce champ est obligatoire").first.is_visible()
    assert all("status of 400" in error for error in console_errors(page))  # the refused form's answer
    assert_no_axe_violations(page, axe)
    page.get_by_label("Comment l'action s'est-elle déroulée cette année ?").fill("Douze immersions organisées")
    page.get_by_label("Difficultés rencontrées").fill("Remplacer les agents absents")
    page.get_by_role("button", name="Enregistrer mon auto-évaluation").click()
    page.wait_for_url(live_server.url + reverse("reviews:my-self-assessments"))
    assert SelfAssessment.objects.get(review=review, card=card).assessment == "Douze immersions organisées"
    assert_no_console_errors(page)


def test_volunteer_joins_the_followup_group_and_posts_a_proposal(page, axe, live_server, agent, plan_with_card):
    _plan, card = plan_with_card
    login_as(page, live_server, agent)
    page.goto(live_server.url + reverse("reviews:followup-group"))
    assert_no_axe_violations(page, axe)
    page.get_by_role("button", name="Je me porte volontaire").click()
    page.get_by_label("Fiche action").select_option(str(card.pk))
    page.get_by_label("Votre proposition").fill("Ouvrir les immersions aux communes")
    page.get_by_role("button", name="Transmettre au comité").click()
    page.get_by_text("Votre proposition est transmise au comité de pilotage.").wait_for()
    assert Proposal.objects.get().text == "Ouvrir les immersions aux communes"
    assert_no_axe_violations(page, axe)
    assert_no_console_errors(page)


def test_committee_prepares_a_review_and_compares_years(page, axe, live_server, copil, plan_with_card):
    plan, card = plan_with_card
    last = ReviewFactory(plan=plan, year=2025, date=datetime.date(2025, 12, 10))
    review_open(review=last, user=copil)
    review_session_start(review=last, user=copil)
    decision_record(review=last, card=card, user=copil, decision="reajuster", comment="Recentrer")
    review_close(review=last, user=copil, undecided_confirmed=True)
    login_as(page, live_server, copil)
    page.goto(live_server.url + reverse("reviews:review-create"))
    assert_no_axe_violations(page, axe)
    page.get_by_label("Année évaluée").fill("2026")
    page.get_by_label("Date de la séance du comité").fill("2026-12-10")
    page.get_by_role("button", name="Créer la revue").click()
    review = Review.objects.get(year=2026)
    page.wait_for_url(live_server.url + reverse("reviews:review-detail", args=[review.pk]))
    page.get_by_role("button", name="Ouvrir la revue (photographier les fiches)").click()
    page.get_by_role("link", name="Comparer avec l'année précédente").click()
    page.wait_for_url(live_server.url + reverse("reviews:review-compare", args=[review.pk]))
    assert page.get_by_text("2025 : Réajuster").is_visible()
    assert_no_axe_violations(page, axe)
    assert_no_console_errors(page)
