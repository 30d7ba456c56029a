"""Seed 003: the values belong in the job offer. HR writes a vacancy's « savoir-être et
valeurs »; agents read it on the offer and in the newsletter's vacancies block (its web page,
its e-mail and the e-mail's text part, its PDF)."""

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from intranet.audiences import AudienceSpec
from intranet.models import OutgoingEmail
from newsletters.services.blocks import block_create
from newsletters.services.issues import issue_create
from newsletters.services.sending import issue_send
from tests.factories import OrgUnitFactory, SiteFactory
from tests.html import text_of
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db

VALUES = "Le sens du service public : l'accueil de chaque usager.\nLa cohésion d'équipe et l'entraide."


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_values_of_a_post_reach_the_offer_and_every_edition_of_the_newsletter(client, rh, communication, agent):
    client.force_login(rh)
    response = client.post(
        reverse("vacancies:vacancy-create"),
        {
            "title": "Cuisinier en restauration scolaire",
            "org_unit": OrgUnitFactory(name="Restauration scolaire").pk,
            "site": SiteFactory(name="Lycée Fabert").pk,
            "category": "C",
            "description": "Préparer les repas des élèves.",
            "soft_skills": VALUES,
            "deadline": (timezone.localdate() + datetime.timedelta(days=40)).isoformat(),
            "contact_email": "rh@test.local",
        },
    )
    assert response.status_code == 302
    vacancy = Vacancy.objects.get()
    form = client.get(reverse("vacancies:vacancy-update", args=[vacancy.pk])).content.decode()
    assert "Savoir-être et valeurs" in form
    client.post(reverse("vacancies:vacancy-publish", args=[vacancy.pk]), {})
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.PUBLISHED

    client.force_login(agent)
    offer = client.get(vacancy.get_absolute_url())
    assert "Savoir-être et valeurs Le sens du service public : l'accueil de chaque usager." in text_of(offer)
    assert "usager.<br>La cohésion" in offer.content.decode()  # its line breaks kept

    issue = issue_create(title="Postes à pourvoir", edito="", user=communication, audience=AudienceSpec(everyone=True))
    block_create(issue=issue, kind="vacancies", title="Postes à pourvoir", user=communication)
    line = "Savoir-être et valeurs : Le sens du service public : l'accueil de chaque usager. La cohésion d'équipe"
    client.force_login(communication)
    assert line in text_of(client.get(reverse("newsletters:issue-detail", args=[issue.pk])))
    email_preview = client.get(reverse("newsletters:issue-email-preview", args=[issue.pk]))
    assert line in text_of(email_preview)
    client.post(reverse("newsletters:issue-send-test", args=[issue.pk]))
    sent = OutgoingEmail.objects.get(to=communication.email)
    assert line in _flat(sent.text)

    issue_send(issue=issue, user=communication, base_url="http://testserver")
    client.force_login(agent)
    assert line in text_of(client.get(reverse("newsletters:issue-detail", args=[issue.pk])))
    pdf = client.get(reverse("newsletters:issue-pdf", args=[issue.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert line in _flat(" ".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages))


def test_an_offer_without_values_shows_no_empty_heading(client, agent):
    from tests.vacancies.factories import VacancyFactory

    vacancy = VacancyFactory(status=Vacancy.Status.PUBLISHED, published_at=timezone.now())
    client.force_login(agent)
    assert "Savoir-être et valeurs" not in client.get(vacancy.get_absolute_url()).content.decode()
