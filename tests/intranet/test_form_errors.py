"""Forms meet the RGAA, after the DSFR's and GOV.UK's error pattern: every error tied to its field,
an error summary at the top whose links lead to the fields, the title prefixed « Erreur : »."""

import pytest
from django.urls import reverse

from tests.html import Page

pytestmark = pytest.mark.django_db


def _summary_targets(page: Page) -> list[str]:
    return [link.get("href")[1:] for link in page.all("[data-error-summary] li a")]


def test_a_field_in_error_is_invalid_and_described_by_its_message_and_help(client, agent):
    client.force_login(agent)
    response = client.post(reverse("shadowing:visit-create"), {"wished_job": "  ", "duration": "journee"})
    page = Page(response.text)
    field = page.by_id("id_wished_job")
    assert field.get("aria-invalid") == "true"
    described = field.get("aria-describedby").split()
    assert "id_wished_job_error" in described
    assert "Choisissez une offre ou décrivez" in " ".join(page.by_id("id_wished_job_error").itertext())


def test_the_error_summary_lists_each_error_as_a_link_to_its_field(client, agent):
    client.force_login(agent)
    response = client.post(reverse("shadowing:visit-create"), {"wished_job": "  ", "duration": "pas-une-duree"})
    page = Page(response.text)
    summary = page.one("form [data-error-summary]")
    assert summary.get("tabindex") == "-1"
    assert page.text("[data-error-summary] h2") == "Le formulaire contient des erreurs"
    targets = _summary_targets(page)
    assert targets == ["id_wished_job", "id_duration"]
    for target in targets:
        assert page.by_id(target).get("aria-invalid") == "true"


def test_the_page_title_says_erreur_only_when_a_form_failed(client, agent):
    client.force_login(agent)
    url = reverse("shadowing:visit-create")
    assert not Page(client.get(url).text).title().startswith("Erreur")
    page = Page(client.post(url, {"wished_job": "", "duration": "journee"}).text)
    assert page.title().startswith("Erreur : Formuler un souhait")


def test_a_wrong_password_is_tied_to_the_email_field_and_summarised(client, agent):
    response = client.post(reverse("account_login"), {"login": "agent@test.local", "password": "pas-le-bon"})
    page = Page(response.text)
    assert page.title().startswith("Erreur : ")
    assert _summary_targets(page) == ["id_login"]
    login = page.by_id("id_login")
    assert login.get("aria-invalid") == "true"
    assert "id_login_error" in login.get("aria-describedby").split()


def test_a_group_of_radios_in_error_links_to_its_first_option(client, rh):
    client.force_login(rh)
    response = client.post(reverse("vacancies:vacancy-create"), {})
    page = Page(response.text)
    assert page.title().startswith("Erreur : ")
    targets = _summary_targets(page)
    assert targets, "the summary lists the missing fields"
    for target in targets:
        assert page.by_id(target).get("aria-invalid") == "true"


def test_the_script_that_moves_the_focus_is_ours_and_not_inline(client, agent):
    client.force_login(agent)
    page = Page(client.post(reverse("shadowing:visit-create"), {"wished_job": ""}).text)
    sources = [script.get("src") for script in page.all("script")]
    assert all(sources), "no inline script under the CSP"
    assert any(src.endswith("js/forms.js") for src in sources)
