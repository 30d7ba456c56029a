"""The steering committee in the browser: copil@ records a decision in the session (htmx, in
place), closes nothing yet, downloads the review as a PDF rendered by a real worker; zero axe
violations on the review's pages."""

import datetime
from io import BytesIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from pypdf import PdfReader

from actions.reviews.models import Decision
from actions.reviews.services.committee import review_open, review_session_start
from actions.reviews.services.pilots import proposal_post, self_assessment_save
from tests.actions.factories import ActionCardFactory, ObjectiveFactory, PlanFactory
from tests.e2e.conftest import assert_no_axe_violations, assert_no_console_errors, login_as, nav_go
from tests.reviews.factories import FollowUpMemberFactory, ReviewFactory

pytestmark = [pytest.mark.browser, pytest.mark.services]


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """A transactional test before this one flushed the content types the process still has
    in its cache (the audit log of the review's services points to one): forget them."""
    ContentType.objects.clear_cache()


@pytest.fixture
def review_in_session(copil, pilote, agent):
    plan = PlanFactory(title="Projet d'administration Mad & Moselle")
    objective = ObjectiveFactory(plan=plan, number=1, title="Co-construire les politiques")
    card = ActionCardFactory(objective=objective, position=1, title="Développer les échanges avec les communes")
    card.pilot_agents.add(pilote)
    ActionCardFactory(objective=objective, position=2, title="Créer une charte des services communs")
    review = ReviewFactory(plan=plan, year=2026, date=datetime.date(2026, 12, 10))
    review_open(review=review, user=copil)
    self_assessment_save(
        review=review,
        card=card,
        user=pilote,
        assessment="Trois rencontres tenues",
        difficulties="Calendrier des élus",
        next_steps="Une rencontre par trimestre",
    )
    FollowUpMemberFactory(plan=plan, agent=agent)
    proposal_post(card=card, user=agent, text="Inviter les secrétaires de mairie")
    review_session_start(review=review, user=copil)
    return review, card


def test_copil_records_a_decision_and_downloads_the_review_pdf(
    page, axe, live_server, copil, review_in_session, settings, tmp_path, celery_worker_process
):
    settings.MEDIA_ROOT = tmp_path / "media"  # the worker's (tests/harness.py)
    review, card = review_in_session
    login_as(page, live_server, copil)

    nav_go(page, "Projet d'administration", "Revues annuelles")
    page.wait_for_url(live_server.url + reverse("reviews:review-list"))
    assert_no_axe_violations(page, axe)
    page.get_by_role("link", name="Revue 2026").click()
    page.wait_for_url(live_server.url + reverse("reviews:review-detail", args=[review.pk]))
    assert_no_axe_violations(page, axe)

    page.get_by_role("link", name="1.1 – Développer les échanges avec les communes").click()
    page.wait_for_url(live_server.url + reverse("reviews:review-card", args=[review.pk, card.pk]))
    assert page.get_by_text("Trois rencontres tenues").is_visible()
    assert page.get_by_text("Inviter les secrétaires de mairie").is_visible()
    assert_no_axe_violations(page, axe)

    page.get_by_label("Réajuster").check()
    page.get_by_label("Commentaire du comité").fill("Élargir aux secrétaires de mairie dès janvier")
    with page.expect_response(lambda r: reverse("reviews:decision-record", args=[review.pk, card.pk]) in r.url):
        page.get_by_role("button", name="Enregistrer la décision").click()
    page.get_by_text("La décision est enregistrée.").wait_for()
    decision = Decision.objects.get(review=review, card=card)
    assert (decision.decision, decision.comment) == ("reajuster", "Élargir aux secrétaires de mairie dès janvier")
    assert page.url == live_server.url + reverse("reviews:review-card", args=[review.pk, card.pk])  # in place
    page.mouse.move(0, 0)
    page.wait_for_timeout(400)
    assert_no_axe_violations(page, axe)

    page.get_by_role("link", name="Revue 2026").click()
    page.get_by_role("button", name="Télécharger la revue (PDF)").click()
    download_link = page.get_by_role("link", name="Télécharger revue-2026")
    download_link.wait_for(timeout=90_000)  # the status page polls until the worker is done
    assert_no_axe_violations(page, axe)
    with page.expect_download() as info:
        download_link.click()
    pdf = info.value.path().read_bytes()
    text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    assert "Action 1.1" in text
    assert "Réajuster" in text
    assert "Élargir aux secrétaires de mairie dès janvier" in text
    assert_no_console_errors(page)
