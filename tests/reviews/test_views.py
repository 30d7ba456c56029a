import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Measurement
from actions.reviews.models import Decision, Review, SelfAssessment
from actions.reviews.selectors.committee import review_list
from actions.reviews.services.committee import decision_record, review_close, review_open, review_session_start
from actions.reviews.services.pilots import followup_join, proposal_post, self_assessment_save
from intranet.models import DocumentRequest
from tests.actions.factories import ActionCardFactory, IndicatorFactory, ObjectiveFactory, PlanFactory
from tests.reviews.factories import FollowUpMemberFactory, ReviewFactory


def _session(review, copil):
    review_session_start(review=review, user=copil)
    return review


def test_copil_creates_a_review_of_the_current_plan(client, copil, plan):
    client.force_login(copil)
    response = client.post(reverse("reviews:review-create"), {"year": "2026", "date": "2026-12-10"})
    review = Review.objects.get()
    assert response.status_code == 302
    assert (review.plan, review.year, review.status) == (plan, 2026, Review.Status.PREPARATION)


def test_review_create_with_bad_input_says_why_in_french(client, copil, plan):
    client.force_login(copil)
    ReviewFactory(plan=plan, year=2026)
    response = client.post(reverse("reviews:review-create"), {"year": "2026", "date": "pas une date"})
    assert response.status_code == 400
    assert "Saisissez une date valide" in response.content.decode()
    response = client.post(reverse("reviews:review-create"), {"year": "2026", "date": "2026-12-10"})
    assert response.status_code == 400
    assert "Une revue existe déjà pour l&#x27;année 2026" in response.content.decode()
    assert Review.objects.count() == 1


def test_open_session_close_through_the_pages(client, copil, review):
    client.force_login(copil)
    client.post(reverse("reviews:review-open", args=[review.pk]))
    client.post(reverse("reviews:review-session-start", args=[review.pk]))
    response = client.post(reverse("reviews:review-close", args=[review.pk]), {"confirm": "on"}, follow=True)
    review.refresh_from_db()
    assert review.status == Review.Status.CLOSED
    assert "La revue est clôturée" in response.content.decode()
    response = client.post(reverse("reviews:review-close", args=[review.pk]), {"confirm": "on"}, follow=True)
    assert "Seule une revue en séance peut être clôturée" in response.content.decode()


def test_pilot_sees_and_writes_only_their_self_assessments(client, pilote, open_review, cards):
    client.force_login(pilote)
    page = client.get(reverse("reviews:my-self-assessments")).content.decode()
    assert "Co-construire les politiques" in page
    assert "Améliorer le lien avec les communes" not in page
    url = reverse("reviews:self-assessment-edit", args=[open_review.pk, cards[0].pk])
    response = client.post(url, {"assessment": "Une bonne année", "difficulties": "", "next_steps": "Continuer"})
    assert response.status_code == 302
    assert SelfAssessment.objects.get().assessment == "Une bonne année"
    other = reverse("reviews:self-assessment-edit", args=[open_review.pk, cards[1].pk])
    assert client.post(other, {"assessment": "Pas la mienne"}).status_code == 403
    assert client.post(url, {"assessment": ""}).status_code == 400
    assert SelfAssessment.objects.get().assessment == "Une bonne année"


def test_session_page_shows_snapshot_self_assessment_and_proposals(client, copil, open_review, cards, pilote, agent):
    self_assessment_save(
        review=open_review,
        card=cards[0],
        user=pilote,
        assessment="Bilan du pilote",
        difficulties="Manque de temps",
        next_steps="Former les agents",
    )
    FollowUpMemberFactory(plan=open_review.plan, agent=agent)
    proposal_post(card=cards[0], user=agent, text="Associer les secrétaires de mairie")
    _session(open_review, copil)
    client.force_login(copil)
    page = client.get(reverse("reviews:review-card", args=[open_review.pk, cards[0].pk])).content.decode()
    for text in (
        "Bilan du pilote",
        "Manque de temps",
        "Former les agents",
        "Associer les secrétaires de mairie",
        "50 %",
        "Nombre de réunions",
        "Enregistrer la décision",
    ):
        assert text in page


def test_copil_records_a_decision_in_place_with_htmx(client, copil, open_review, cards):
    _session(open_review, copil)
    client.force_login(copil)
    url = reverse("reviews:decision-record", args=[open_review.pk, cards[0].pk])
    response = client.post(url, {"decision": "reajuster", "comment": "Revoir le calendrier"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "La décision est enregistrée" in response.content.decode()
    assert "<html" not in response.content.decode()
    decision = Decision.objects.get()
    assert (decision.decision, decision.comment) == ("reajuster", "Revoir le calendrier")
    response = client.post(url, {"decision": "", "comment": "x"}, HTTP_HX_REQUEST="true")
    assert "Ce champ est obligatoire" in response.content.decode()
    assert Decision.objects.get().decision == "reajuster"


def test_agent_reads_a_closed_review_but_not_one_in_progress(client, agent, copil, open_review, cards):
    client.force_login(agent)
    assert client.get(reverse("reviews:review-detail", args=[open_review.pk])).status_code == 404
    assert "Revue 2026" not in client.get(reverse("reviews:review-list")).content.decode()
    _session(open_review, copil)
    decision_record(review=open_review, card=cards[0], user=copil, decision="arreter", comment="Fini")
    review_close(review=open_review, user=copil, undecided_confirmed=True)
    page = client.get(reverse("reviews:review-detail", args=[open_review.pk])).content.decode()
    assert "Arrêter" in page
    assert "Revue 2026" in client.get(reverse("reviews:review-list")).content.decode()
    card_page = client.get(reverse("reviews:review-card", args=[open_review.pk, cards[0].pk])).content.decode()
    assert "Fini" in card_page
    assert "Enregistrer la décision" not in card_page


def test_followup_member_sees_the_review_in_progress(client, agent, open_review):
    FollowUpMemberFactory(plan=open_review.plan, agent=agent)
    client.force_login(agent)
    assert client.get(reverse("reviews:review-detail", args=[open_review.pk])).status_code == 200


def test_followup_volunteer_joins_and_posts_a_proposal(client, agent, plan, cards):
    client.force_login(agent)
    page = client.get(reverse("reviews:followup-group")).content.decode()
    assert "Je me porte volontaire" in page
    assert "Faire une proposition" not in page
    client.post(reverse("reviews:followup-join"))
    page = client.get(reverse("reviews:followup-group")).content.decode()
    assert "Faire une proposition" in page
    response = client.post(reverse("reviews:proposal-create"), {"card": cards[2].pk, "text": "Une idée"})
    assert response.status_code == 302
    assert cards[2].proposals.get().text == "Une idée"
    response = client.post(reverse("reviews:proposal-create"), {"card": cards[2].pk, "text": ""})
    assert response.status_code == 400
    assert cards[2].proposals.count() == 1


def test_pdf_request_goes_to_the_document_status_page(client, agent, copil, open_review, cards):
    _session(open_review, copil)
    review_close(review=open_review, user=copil, undecided_confirmed=True)
    client.force_login(agent)
    response = client.post(reverse("reviews:review-pdf", args=[open_review.pk]))
    document = DocumentRequest.objects.get()
    assert response["Location"] == reverse("intranet:document-status", args=[document.pk])
    assert document.kind == "reviews.review"
    assert document.params["review_id"] == open_review.pk


# --- Query counts: the session pages do not grow with cards, measurements or decisions --------


def _big_review(copil, pilote, agent, *, cards: int, years: int) -> tuple[Review, list]:
    plan = PlanFactory()
    objectives = [ObjectiveFactory(plan=plan, number=n) for n in range(1, 6)]
    created = []
    for i in range(cards):
        card = ActionCardFactory(
            objective=objectives[i % 5],
            position=i // 5 + 1,
            updated_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        )
        card.pilot_agents.add(pilote)
        for position in (1, 2):
            indicator = IndicatorFactory(card=card, position=position, target=100)
            Measurement.objects.bulk_create(
                [
                    Measurement(indicator=indicator, date=datetime.date(2021 + m // 12, m % 12 + 1, 1), value=m)
                    for m in range(12 * years)
                ]
            )
        created.append(card)
    followup_join(plan=plan, user=agent)
    last = ReviewFactory(plan=plan, year=2025)
    for review in (last, ReviewFactory(plan=plan, year=2026)):
        review_open(review=review, user=copil)
        for card in created:
            self_assessment_save(review=review, card=card, user=pilote, assessment="Bilan")
            proposal_post(card=card, user=agent, text="Idée")
        review_session_start(review=review, user=copil)
        for card in created:
            decision_record(review=review, card=card, user=copil, decision="poursuivre", comment="Ok")
        if review == last:
            review_close(review=review, user=copil, undecided_confirmed=True)
    return review, created


def _count(client, url) -> int:
    client.get(url)  # warm-up
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["review-detail", "review-compare", "review-card", "review-list"])
def test_session_pages_issue_the_same_queries_at_1_and_26_cards(client, copil, pilote, agent, page):
    small, small_cards = _big_review(copil, pilote, agent, cards=1, years=1)
    big, big_cards = _big_review(copil, pilote, agent, cards=26, years=5)
    client.force_login(copil)

    def url(review, cards):
        if page == "review-list":
            return reverse("reviews:review-list")
        args = [review.pk, cards[0].pk] if page == "review-card" else [review.pk]
        return reverse(f"reviews:{page}", args=args)

    assert _count(client, url(small, small_cards)) == _count(client, url(big, big_cards))


def test_self_assessments_page_queries_do_not_grow(client, copil, pilote, agent):
    small, _cards = _big_review(copil, pilote, agent, cards=1, years=1)
    Review.objects.filter(pk=small.pk).update(status=Review.Status.SELF_ASSESSMENT)
    client.force_login(pilote)
    url = reverse("reviews:my-self-assessments")
    before = _count(client, url)
    big, _cards = _big_review(copil, pilote, agent, cards=26, years=1)
    Review.objects.filter(pk=big.pk).update(status=Review.Status.SELF_ASSESSMENT)
    page = client.get(url).content.decode()
    assert page.count("Modifier<span") == 27
    assert _count(client, url) == before


def test_a_card_deleted_after_the_review_stays_in_its_pages(client, copil, open_review, cards):
    cards[2].delete()
    client.force_login(copil)
    for name in ("reviews:review-detail", "reviews:review-compare"):
        response = client.get(reverse(name, args=[open_review.pk]))
        assert response.status_code == 200
        assert "Mieux connaître les services" in response.content.decode()


def test_review_list_counts_each_reviews_cards_assessments_and_decisions(client, copil, pilote, open_review, cards):
    self_assessment_save(review=open_review, card=cards[0], user=pilote, assessment="Bilan")
    review_session_start(review=open_review, user=copil)
    for card in cards[:2]:
        decision_record(review=open_review, card=card, user=copil, decision="poursuivre")
    review = review_list(user=copil).get(pk=open_review.pk)
    assert (review.card_count, review.self_assessment_count, review.decision_count) == (3, 1, 2)


def test_home_tells_a_pilot_which_self_assessments_they_owe_as_their_page_does(client, pilote, open_review, cards):
    """The home page's « À faire » and « Mes auto-évaluations » read one rule: what one lists as
    owed, the other lists « à rédiger » (issue 15: « 2 à rédiger » at home, « Aucune » on the page)."""
    client.force_login(pilote)
    edit = reverse("reviews:self-assessment-edit", args=[open_review.pk, cards[0].pk])
    home = client.get(reverse("intranet:home")).content.decode()
    mine = client.get(reverse("reviews:my-self-assessments")).content.decode()
    assert "Auto-évaluations à rédiger" in home
    assert f'href="{edit}"' in home
    assert f'href="{edit}"' in mine
    assert mine.count(">à rédiger<") == 1
    client.post(edit, {"assessment": "Bilan"})  # the pilot's own change: their home page follows at once
    assert "Auto-évaluations à rédiger" not in client.get(reverse("intranet:home")).content.decode()
    assert ">à rédiger<" not in client.get(reverse("reviews:my-self-assessments")).content.decode()
