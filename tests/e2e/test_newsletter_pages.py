"""Every newsletter page an editor or a reader opens, in the browser: zero axe violations and no
console error or CSP refusal — the block forms of every kind, a sent issue with a team, an image,
agenda, arrivals, vacancies and a survey, its PDF link, the audience report, the e-mail preview."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from intranet.audiences import AudienceSpec
from newsletters.models import Block
from newsletters.services.blocks import block_create
from newsletters.services.issues import issue_create
from newsletters.services.sending import issue_send
from tests.e2e.conftest import assert_no_axe_violations, assert_no_console_errors, login_as
from tests.factories import AgentFactory, SiteFactory
from tests.intranet.directory.images import image_bytes
from tests.surveys.factories import SurveyFactory
from tests.vacancies.factories import VacancyFactory

pytestmark = pytest.mark.browser


def test_editor_and_reader_pages_pass_axe(page, axe, live_server, communication, manager, agent, unit):
    lycee = SiteFactory(name="Lycée Fabert")
    AgentFactory(
        first_name="Paul",
        last_name="Papier",
        site=lycee,
        has_mailbox=False,
        org_unit=unit,
        arrival_date=timezone.localdate(),
    )
    VacancyFactory(title="Agent d'entretien")
    survey = SurveyFactory(title="Votre avis sur la lettre")
    issue = issue_create(
        title="L'équipe du mois",
        edito="Une équipe se présente.",
        user=communication,
        audience=AudienceSpec(everyone=True),
    )
    image = SimpleUploadedFile("x.png", image_bytes("PNG"), content_type="image/png")
    for kind, values in [
        ("team", {"org_unit": unit, "body": "<p>Elle fait vivre nos valeurs.</p>"}),
        ("image", {"alt": "L'équipe réunie dans la cour", "caption": "Photo de groupe", "image": image}),
        ("agenda", {"agenda": "03/12/2026 Réunion d'information"}),
        ("arrivals", {}),
        ("vacancies", {}),
        ("survey", {"survey": survey, "body": "<p>Cinq minutes.</p>"}),
    ]:
        block_create(issue=issue, kind=kind, user=communication, **values)

    login_as(page, live_server, communication)
    for kind, _label in Block.Kind.choices:
        page.goto(live_server.url + reverse("newsletters:block-create", args=[issue.pk, kind]))
        assert_no_axe_violations(page, axe)
    block = issue.blocks.get(kind="image")
    page.goto(live_server.url + reverse("newsletters:block-update", args=[issue.pk, block.pk]))
    page.get_by_role("img", name="L'équipe réunie dans la cour").wait_for(state="visible", timeout=5000)
    assert_no_axe_violations(page, axe)
    page.goto(live_server.url + reverse("newsletters:block-delete", args=[issue.pk, block.pk]))
    assert_no_axe_violations(page, axe)
    page.goto(live_server.url + reverse("newsletters:issue-detail", args=[issue.pk]))
    assert page.get_by_text("Aperçu d'un brouillon").is_visible()
    assert_no_axe_violations(page, axe)
    page.goto(live_server.url + reverse("newsletters:issue-email-preview", args=[issue.pk]))
    assert page.get_by_role("link", name="Lire ce numéro sur l'intranet").is_visible()
    assert_no_console_errors(page)

    issue_send(issue=issue, user=communication, base_url=live_server.url)
    page.goto(live_server.url + reverse("newsletters:issue-manage"))
    assert_no_axe_violations(page, axe)
    page.goto(live_server.url + reverse("newsletters:issue-report", args=[issue.pk]))
    assert page.get_by_role("heading", name="Lycée Fabert").is_visible()
    assert page.get_by_role("cell", name="Paul Papier").is_visible()
    assert_no_axe_violations(page, axe)

    page.goto(live_server.url + reverse("newsletters:issue-detail", args=[issue.pk]))
    assert page.get_by_role("link", name="Suivi de l'envoi").is_visible()
    assert page.get_by_role("link", name=manager.get_full_name()).is_visible()
    assert page.get_by_role("link", name="Agent d'entretien").is_visible()
    # The communication officer is not invited to the survey: no link that would answer 404, a note instead.
    assert page.get_by_role("link", name="Répondre au questionnaire « Votre avis sur la lettre »").count() == 0
    assert page.get_by_text(
        "Le questionnaire « Votre avis sur la lettre » est envoyé aux personnes invitées"
    ).is_visible()
    assert page.get_by_role("img", name="L'équipe réunie dans la cour").evaluate("img => img.naturalWidth") > 0
    assert_no_axe_violations(page, axe)
    assert_no_console_errors(page)
