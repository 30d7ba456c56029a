"""Job-shadowing in a real browser: agent@ opens a colleague's directory page, asks to discover
their job ("Découvrir son métier"), and manager@ approves the wish in place (htmx) from the
"À décider" queue. Zero axe violations on each page, no console or CSP error."""

import pytest
from django.urls import reverse

from onboarding.shadowing.models import Visit
from tests.e2e.conftest import assert_no_axe_violations, assert_no_console_errors, login_as
from tests.shadowing.factories import CampaignFactory, OfferFactory, host_with_manager

pytestmark = pytest.mark.browser


def test_an_agent_asks_to_shadow_a_colleague_and_the_manager_approves_in_place(
    browser, page, axe, live_server, agent, manager
):
    CampaignFactory(title="Printemps 2026")
    host, _boss = host_with_manager(first_name="Karim", last_name="Benali", job_title="Travailleur social")
    OfferFactory(host=host, job_title="Travailleur social", org_unit=host.org_unit, site=host.site)

    login_as(page, live_server, agent)
    page.goto(live_server.url + reverse("directory:agent-detail", args=[host.pk]))
    page.get_by_role("link", name="Découvrir son métier").click()
    page.wait_for_url(f"**{reverse('shadowing:visit-create')}?hote={host.pk}")
    assert page.get_by_role("heading", name="Découvrir le métier de Karim Benali").is_visible()
    assert_no_axe_violations(page, axe)
    page.get_by_label("Pourquoi ce métier ?").fill("Comprendre l'accompagnement des usagers.")
    page.get_by_role("button", name="Envoyer mon souhait").click()
    visit = Visit.objects.get()
    page.wait_for_url(live_server.url + visit.get_absolute_url())
    assert visit.host == host
    assert visit.visitor == agent
    assert visit.state == Visit.State.WISH
    assert page.get_by_text("Votre souhait est envoyé").is_visible()
    assert_no_axe_violations(page, axe)
    assert_no_console_errors(page)

    context = browser.new_context(locale="fr-FR", base_url=live_server.url)
    manager_page = context.new_page()
    errors = []
    manager_page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    login_as(manager_page, live_server, manager)
    manager_page.goto(live_server.url + reverse("shadowing:visit-queue"))
    row = manager_page.locator(f"#demande-{visit.pk}")
    assert row.get_by_text("Hélène Dupont souhaite découvrir : Travailleur social").is_visible()
    assert_no_axe_violations(manager_page, axe)
    with manager_page.expect_response(lambda r: reverse("shadowing:visit-approve", args=[visit.pk]) in r.url):
        row.get_by_role("button", name="Donner mon accord").click()
    manager_page.locator(f"#demande-{visit.pk} [role=status]").wait_for()
    assert "accord est enregistré" in manager_page.locator(f"#demande-{visit.pk} [role=status]").inner_text()
    assert manager_page.url == live_server.url + reverse("shadowing:visit-queue")  # approved in place
    visit.refresh_from_db()
    assert visit.state == Visit.State.APPROVED
    assert visit.events.get(action="approve").actor == manager
    assert_no_axe_violations(manager_page, axe)
    context.close()
    assert not errors, errors
