"""Onboarding's HR and communication pages in the browser: confirm a suggested buddy, plan a
journée d'intégration and record a cancellation, edit a template and a chapter. Zero axe
violations on each page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Registration
from onboarding import content
from onboarding.models import GuideChapter
from tests.e2e.conftest import (
    assert_no_axe_violations,
    assert_no_console_errors,
    login_as,
    paste_html,
    rich_text_editor,
)
from tests.factories import AgentFactory, OrgUnitFactory
from tests.onboarding.factories import ArrivalFactory, BuddyVolunteerFactory

pytestmark = pytest.mark.browser


def test_hr_confirms_a_buddy_and_runs_an_integration_day(page, axe, live_server, rh, agent, manager):
    today = timezone.localdate()
    content.journey_template_seed()
    arrival = ArrivalFactory(agent=agent, manager=manager, arrival_date=today - timedelta(days=3))
    late = ArrivalFactory(agent=AgentFactory(first_name="Léo", last_name="Tardif"), arrival_date=today)
    BuddyVolunteerFactory(
        agent=AgentFactory(first_name="Paul", last_name="Parrain", org_unit=OrgUnitFactory(name="Service des sports")),
        capacity=2,
    )
    login_as(page, live_server, rh)

    page.goto(live_server.url + reverse("onboarding:arrival-list"))
    assert_no_axe_violations(page, axe)
    page.get_by_role("row", name=str(agent)).get_by_role("link", name="Choisir").click()
    assert page.get_by_text("+3 : un autre service (Service des sports)").is_visible()
    assert_no_axe_violations(page, axe)
    page.get_by_role("button", name="Confirmer Paul Parrain").click()
    page.wait_for_selector("text=Le parrainage est confirmé")
    arrival.refresh_from_db()
    assert arrival.buddy.last_name == "Parrain"

    page.goto(live_server.url + reverse("onboarding:session-create"))
    assert_no_axe_violations(page, axe)
    page.locator("#id_date").fill((today + timedelta(days=20)).isoformat())
    page.get_by_label("Lieu").fill("Salle du conseil")
    page.get_by_label("Nombre de places").fill("1")
    page.get_by_label("Arrivés à partir du").fill((today - timedelta(days=30)).isoformat())
    page.get_by_label("Arrivés jusqu'au").fill((today + timedelta(days=5)).isoformat())
    page.get_by_role("button", name="Enregistrer et inviter").click()
    page.wait_for_selector("text=2 nouvelle(s) invitation(s)")
    assert_no_axe_violations(page, axe)
    page.get_by_role("button", name=f"Désistement de {agent}").click()
    page.wait_for_selector("text=passe de la liste d'attente aux invités")
    assert Registration.objects.get(agent=late.agent).status == Registration.Status.CONFIRMED
    assert_no_axe_violations(page, axe)

    for name in (
        "onboarding:template-list",
        "onboarding:volunteer-list",
        "onboarding:session-list",
        "onboarding:my-journey",
    ):
        page.goto(live_server.url + reverse(name))
        assert_no_axe_violations(page, axe)
    page.goto(live_server.url + reverse("onboarding:template-list"))
    page.get_by_role("link", name="Parcours d'intégration").click()
    assert_no_axe_violations(page, axe)
    assert_no_console_errors(page)


def test_communication_edits_a_chapter_of_the_guide(page, axe, live_server, communication):
    content.chapters_seed()
    login_as(page, live_server, communication)
    page.goto(live_server.url + reverse("onboarding:chapter-list"))
    assert_no_axe_violations(page, axe)
    page.get_by_role("link", name="Nos valeurs").click()
    assert_no_axe_violations(page, axe)
    editor = rich_text_editor(page)
    editor.get_by_role("heading").first.wait_for()  # the editor shows the chapter as it reads
    editor.click()
    page.keyboard.press("Control+A")
    paste_html(editor, "<p>Nos valeurs : <strong>l'intérêt général</strong>.</p><script>x()</script>")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_selector("text=Le chapitre « Nos valeurs » est enregistré.")
    assert GuideChapter.objects.get(title="Nos valeurs").body == (
        "<p>Nos valeurs : <strong>l'intérêt général</strong>.</p>"
    )
    assert_no_axe_violations(page, axe)
    page.goto(live_server.url + reverse("onboarding:guide-settings"))
    assert_no_axe_violations(page, axe)
    assert_no_console_errors(page)
