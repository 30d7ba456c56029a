"""The review as a PDF: rendered by WeasyPrint (directly, then by a real worker through the
DocumentRequest machinery) and read back with pypdf."""

from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from actions.reviews.pdf import review_pdf_render
from actions.reviews.services.committee import decision_record, review_close, review_open, review_session_start
from actions.reviews.services.pilots import proposal_post, self_assessment_save
from intranet.models import DocumentRequest
from tests.harness import wait_until
from tests.intranet.test_outbox import WORKER_DB
from tests.reviews.factories import FollowUpMemberFactory


def _text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def _held_review(review, cards, copil, pilote, agent):
    review_open(review=review, user=copil)
    self_assessment_save(
        review=review,
        card=cards[0],
        user=pilote,
        assessment="Quatre réunions tenues",
        difficulties="Agendas chargés",
        next_steps="Ouvrir aux communes",
    )
    FollowUpMemberFactory(plan=review.plan, agent=agent)
    proposal_post(card=cards[1], user=agent, text="Consulter les maires")
    review_session_start(review=review, user=copil)
    decision_record(
        review=review, card=cards[0], user=copil, decision="poursuivre", comment="Le comité félicite le pilote"
    )
    decision_record(review=review, card=cards[1], user=copil, decision="reajuster", comment="Resserrer le périmètre")
    decision_record(review=review, card=cards[2], user=copil, decision="arreter", comment="Objectif repris")
    review_close(review=review, user=copil, undecided_confirmed=True)
    return review


def test_review_pdf_holds_every_card_decision_and_comment(review, cards, copil, pilote, agent):
    text = _text(review_pdf_render(review=_held_review(review, cards, copil, pilote, agent)))
    for expected in (
        "Revue 2026 du comité de pilotage",
        "Action 1.1",
        "Action 1.2",
        "Action 2.1",
        "Poursuivre",
        "Réajuster",
        "Arrêter",
        "Le comité félicite le pilote",
        "Resserrer le périmètre",
        "Objectif repris",
        "Quatre réunions tenues",
        "Agendas chargés",
        "Consulter les maires",
        "50 %",
    ):
        assert expected in text, expected


def test_document_params_change_with_the_review(review, cards, copil):
    from actions.reviews.pdf import review_document_params

    review_open(review=review, user=copil)
    before = review_document_params(review)
    review_session_start(review=review, user=copil)
    decision_record(review=review, card=cards[0], user=copil, decision="poursuivre")
    review.refresh_from_db()
    assert review_document_params(review) != before  # a new decision is never served from the old PDF


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the worker's MEDIA_ROOT (tests/harness.py)


@WORKER_DB
@pytest.mark.services
@pytest.mark.usefixtures("_media")
def test_worker_renders_the_review_pdf_asked_for_on_the_page(
    client, review, cards, copil, pilote, agent, celery_worker_process
):
    _held_review(review, cards, copil, pilote, agent)
    client.force_login(agent)
    response = client.post(reverse("reviews:review-pdf", args=[review.pk]))
    document = DocumentRequest.objects.get()
    assert response["Location"] == reverse("intranet:document-status", args=[document.pk])

    def done():
        document.refresh_from_db()
        return document.status != DocumentRequest.Status.PENDING

    try:
        wait_until(done, timeout=90, message="the review PDF rendered")
    except AssertionError as error:
        raise AssertionError(f"{error}\n--- worker log ---\n{celery_worker_process.log()[-4000:]}") from None
    assert document.status == DocumentRequest.Status.DONE, document.error
    assert document.filename == f"revue-2026-{review.plan.slug}.pdf"
    download = client.get(reverse("intranet:document-download", args=[document.pk]))
    text = _text(b"".join(download.streaming_content))
    assert "Resserrer le périmètre" in text
    assert "Action 2.1" in text
