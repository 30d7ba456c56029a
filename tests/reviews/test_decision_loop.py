"""The steering committee's decisions walked to their end through the pages: a decision reaches
the live card (with the review it came from) and the card's pilots (an e-mail through the
outbox, an « À faire » item); « réajuster » asks the pilots for an updated schedule, done once
a due date is changed; closing a review lists the cards without a decision and asks first."""

import datetime

from django.urls import reverse

from actions.reviews.models import Review
from actions.reviews.services.committee import decision_record, review_close, review_open, review_session_start
from intranet.models import OutgoingEmail
from tests.html import text_of

ADJUST_COMMENT = "Le calendrier de l'étape 3 n'est plus tenable : proposez de nouvelles échéances."


def _in_session(review, copil):
    review_open(review=review, user=copil)
    review_session_start(review=review, user=copil)
    return review


def _todo_page(client, user):
    client.force_login(user)
    return text_of(client.get(reverse("intranet:todo")))


def test_closing_lists_the_cards_without_a_decision_and_asks_first(client, copil, review, cards):
    _in_session(review, copil)
    client.force_login(copil)
    client.post(
        reverse("reviews:decision-record", args=[review.pk, cards[0].pk]), {"decision": "poursuivre", "comment": ""}
    )
    detail = client.get(reverse("reviews:review-detail", args=[review.pk])).content.decode()
    assert f'href="{reverse("reviews:review-close", args=[review.pk])}"' in detail  # a link to the confirmation

    page = client.get(reverse("reviews:review-close", args=[review.pk]))
    assert page.status_code == 200
    text = text_of(page)
    assert "2 fiches sans décision" in text
    assert "Améliorer le lien avec les communes" in text
    assert "Mieux connaître les services" in text
    assert "Co-construire les politiques" not in text  # decided
    assert "définitive" in text

    # A POST that skips the confirmation (the old button) closes nothing.
    response = client.post(reverse("reviews:review-close", args=[review.pk]), follow=True)
    review.refresh_from_db()
    assert review.status == Review.Status.IN_SESSION
    assert "2 fiches sans décision" in text_of(response)

    response = client.post(reverse("reviews:review-close", args=[review.pk]), {"confirm": "on"}, follow=True)
    review.refresh_from_db()
    assert review.status == Review.Status.CLOSED
    assert "La revue est clôturée" in text_of(response)


def test_closing_page_is_for_those_who_run_reviews(client, copil, agent, review, cards):
    _in_session(review, copil)
    client.force_login(agent)
    assert client.get(reverse("reviews:review-close", args=[review.pk])).status_code in (403, 404)


def test_adjust_decision_reaches_the_card_and_its_pilot_who_updates_the_schedule(
    client, copil, pilote, agent, review, cards
):
    card = cards[0]
    _in_session(review, copil)
    client.force_login(copil)
    decide = reverse("reviews:decision-record", args=[review.pk, card.pk])
    client.post(decide, {"decision": "reajuster", "comment": ADJUST_COMMENT})
    # Before the review closes, the live card says nothing yet (the session may still change it).
    client.force_login(agent)
    assert ADJUST_COMMENT not in text_of(client.get(reverse("actions:card-detail", args=[card.pk])))
    client.force_login(copil)
    client.post(reverse("reviews:review-close", args=[review.pk]), {"confirm": "on"})

    # The live card, read by any agent: the decision, its comment and the review it came from.
    client.force_login(agent)
    page = client.get(reverse("actions:card-detail", args=[card.pk]))
    text = text_of(page)
    assert "Décisions du comité de pilotage" in text
    assert "Réajuster" in text
    assert ADJUST_COMMENT in text
    assert "Revue 2026" in text
    assert reverse("reviews:review-card", args=[review.pk, card.pk]) in page.content.decode()
    assert "Nouveau calendrier attendu des pilotes" in text

    # The pilot's e-mail, through the outbox, with the comment and the link to the steps.
    email = OutgoingEmail.objects.get(to=pilote.email, kind="reviews.decisions")
    assert "Revue 2026" in email.subject
    assert "Réajuster" in email.text
    assert ADJUST_COMMENT in email.text
    steps_url = reverse("actions:card-steps", args=[card.pk])
    assert steps_url in email.text
    assert not OutgoingEmail.objects.filter(kind="reviews.decisions").exclude(to=pilote.email).exists()

    # The pilot's « À faire »: a new schedule to give, linking to the steps' due dates.
    todo = _todo_page(client, pilote)
    assert "Décisions du comité de pilotage à mettre en œuvre" in todo
    assert "Proposer un nouveau calendrier pour l'action 1.1" in todo
    assert steps_url in client.get(reverse("intranet:todo")).content.decode()

    # The pilot moves a due date on the steps page: the item is done, the card says so.
    step = card.steps.order_by("position")[2]
    response = client.post(
        reverse("actions:step-edit", args=[card.pk, step.pk]), {f"etape-{step.pk}-due_date": "2027-06-30"}
    )
    assert response.status_code in (200, 302)
    step.refresh_from_db()
    assert step.due_date == datetime.date(2027, 6, 30)
    assert "Proposer un nouveau calendrier" not in _todo_page(client, pilote)
    text = text_of(client.get(reverse("actions:card-detail", args=[card.pk])))
    assert "Nouveau calendrier donné le" in text


def test_stop_decision_asks_the_pilot_to_close_the_card(client, copil, pilote, review, cards):
    card = cards[0]
    _in_session(review, copil)
    decision_record(review=review, card=card, user=copil, decision="arreter", comment="Objectif atteint")
    review_close(review=review, user=copil, undecided_confirmed=True)
    todo = _todo_page(client, pilote)
    assert "Clore l'action 1.1" in todo
    email = OutgoingEmail.objects.get(to=pilote.email, kind="reviews.decisions")
    assert "Arrêter" in email.text
    assert "Objectif atteint" in email.text
    client.force_login(pilote)
    client.post(reverse("actions:card-status", args=[card.pk]), {"status": "abandonnee"})
    card.refresh_from_db()
    assert card.status == "abandonnee"
    assert "Clore l'action 1.1" not in _todo_page(client, pilote)


def test_continue_decision_is_told_but_asks_nothing(client, copil, pilote, review, cards):
    _in_session(review, copil)
    decision_record(review=review, card=cards[0], user=copil, decision="poursuivre", comment="Bravo")
    review_close(review=review, user=copil, undecided_confirmed=True)
    email = OutgoingEmail.objects.get(to=pilote.email, kind="reviews.decisions")
    assert "Poursuivre" in email.text
    assert "Bravo" in email.text
    assert "Décisions du comité de pilotage à mettre en œuvre" not in _todo_page(client, pilote)
    client.force_login(pilote)
    text = text_of(client.get(reverse("actions:card-detail", args=[cards[0].pk])))
    assert "Poursuivre" in text
    assert "Bravo" in text


def test_only_the_latest_closed_review_asks_for_follow_up(client, copil, pilote, plan, cards):
    from tests.reviews.factories import ReviewFactory

    first = _in_session(ReviewFactory(plan=plan, year=2025, date=datetime.date(2025, 12, 10)), copil)
    decision_record(review=first, card=cards[0], user=copil, decision="reajuster", comment="Ancien")
    review_close(review=first, user=copil, undecided_confirmed=True)
    assert "Proposer un nouveau calendrier pour l'action 1.1" in _todo_page(client, pilote)
    second = _in_session(ReviewFactory(plan=plan, year=2026, date=datetime.date(2026, 12, 10)), copil)
    decision_record(review=second, card=cards[0], user=copil, decision="poursuivre")
    review_close(review=second, user=copil, undecided_confirmed=True)
    assert "Proposer un nouveau calendrier" not in _todo_page(client, pilote)
    client.force_login(pilote)
    text = text_of(client.get(reverse("actions:card-detail", args=[cards[0].pk])))
    assert text.index("Revue 2026") < text.index("Revue 2025")  # latest first, both kept
