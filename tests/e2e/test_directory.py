"""The directory in a real browser: an agent logs in, finds a colleague as they type (htmx,
no submit), opens their page; zero axe-core violations, no console or CSP errors."""

import pytest
from django.urls import reverse

from tests.e2e.conftest import assert_no_axe_violations, assert_no_console_errors, login_as, nav_go
from tests.factories import AgentFactory, SkillFactory
from tests.intranet.directory.orgchart_factories import jpeg_file

pytestmark = pytest.mark.browser


@pytest.fixture
def colleague(transactional_db, unit, site, manager):
    colleague = AgentFactory(
        first_name="Élodie",
        last_name="Marchal",
        job_title="Chargée de recrutement",
        org_unit=unit,
        site=site,
        manager=manager,
        phone="03 83 00 11 22",
        mobile="06 99 88 77 66",
        show_mobile=False,
        missions="Recrutement des agents techniques.",
        photo=jpeg_file("e.jpg"),
    )
    colleague.skills.add(SkillFactory(name="Recrutement"))
    for i in range(25):  # enough people for a second page of results
        AgentFactory(first_name=f"Prénom{i}", last_name=f"Martin{i:02d}", org_unit=unit, site=site)
    return colleague


def test_an_agent_finds_a_colleague_as_they_type_and_opens_their_page(page, axe, live_server, agent, colleague):
    login_as(page, live_server, agent)  # lands on the home page
    nav_go(page, "Annuaire", "Annuaire des agents")
    page.wait_for_url(live_server.url + reverse("directory:agent-list"))
    assert_no_axe_violations(page, axe)  # the whole directory, first page of 28 agents
    assert_no_console_errors(page)

    box = page.get_by_label("Nom, fonction, service, site, compétence ou téléphone")
    box.press_sequentially("elodie marc", delay=40)  # no Enter, no click: the results follow the typing
    results = page.locator("#resultats")
    results.get_by_text("1 agent trouvé").wait_for()  # was "28 agents trouvés" before typing
    link = results.get_by_role("link", name="Élodie Marchal")
    assert results.get_by_role("link", name="Prénom0 Martin00").count() == 0
    assert "q=elodie%20marc" in page.url  # the URL follows, so the back button and a reload work
    assert_no_axe_violations(page, axe)
    assert_no_console_errors(page)

    link.click()
    page.get_by_role("heading", level=1, name="Élodie Marchal").wait_for()
    assert page.get_by_text("03 83 00 11 22").is_visible()
    assert page.get_by_text("06 99 88 77 66").count() == 0
    assert_no_axe_violations(page, axe)
    assert_no_console_errors(page)


def test_the_filters_update_the_results_without_a_submit(page, axe, live_server, agent, colleague, unit):
    login_as(page, live_server, agent)
    page.goto(live_server.url + reverse("directory:agent-list"))
    page.get_by_label("Catégorie").select_option("A")
    page.locator("#resultats").get_by_text("Aucun agent ne correspond").wait_for()
    page.get_by_label("Catégorie").select_option("")
    page.locator("#resultats").get_by_role("link", name="Élodie Marchal").wait_for()
    assert_no_console_errors(page)


def test_the_directory_works_without_javascript(browser, live_server, agent, colleague):
    from tests.factories import PASSWORD

    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + reverse("account_login"))
        page.get_by_label("Courriel").fill(agent.email)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.goto(live_server.url + reverse("directory:agent-list"))
        page.get_by_label("Nom, fonction, service, site, compétence ou téléphone").fill("marchal")
        page.locator("main").get_by_role("button", name="Rechercher", exact=True).click()
        page.locator("#resultats").get_by_role("link", name="Élodie Marchal").click()
        page.get_by_role("heading", level=1, name="Élodie Marchal").wait_for()
    finally:
        context.close()
