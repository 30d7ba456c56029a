"""The directory page (search as you type), the agent page and the vCard."""

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from intranet.models import Agent
from intranet.registry import AgentLink, register, registry
from tests.factories import AgentFactory, OrgUnitFactory, SiteFactory, SkillFactory
from tests.querycount import assert_same_queries

pytestmark = pytest.mark.django_db

LIST = reverse("directory:agent-list")


def detail_url(agent) -> str:
    return reverse("directory:agent-detail", kwargs={"pk": agent.pk})


def vcard_url(agent) -> str:
    return reverse("directory:agent-vcard", kwargs={"pk": agent.pk})


@pytest.fixture
def colleague(db, unit, site, manager):
    colleague = AgentFactory(
        first_name="Émile",
        last_name="Zola-Berthier",
        job_title="Chargé de recrutement",
        org_unit=unit,
        site=site,
        manager=manager,
        phone="03 83 00 11 22",
        show_phone=True,
        mobile="06 99 88 77 66",
        show_mobile=False,
        missions="Recrutement des agents techniques.\nJurys de concours.",
    )
    colleague.skills.add(SkillFactory(name="Recrutement"), SkillFactory(name="Entretien professionnel"))
    return colleague


def add_agents(count: int, **fields) -> None:
    """`count` more agents in one query (the query-count tests grow the data with it)."""
    password = make_password(None)
    Agent.objects.bulk_create(
        Agent(
            email=f"bulk{i}@test.local",
            first_name=f"Prénom{i}",
            last_name=f"Nom{i:05d}",
            password=password,
            job_title="Agent d'entretien",
            **fields,
        )
        for i in range(count)
    )


# --- The directory page -------------------------------------------------------------------


def test_directory_page_has_the_search_form_and_results(client, agent, colleague):
    client.force_login(agent)
    response = client.get(LIST, {"q": "zola"})
    assert response.status_code == 200
    html = response.text
    assert '<form method="get" action="/annuaire/"' in html  # works without JavaScript
    assert 'hx-get="/annuaire/"' in html
    assert 'aria-live="polite"' in html
    assert "Zola-Berthier" in html
    assert detail_url(colleague) in html
    assert "Dupont" not in html.split('id="resultats"')[1]  # the viewer herself does not match


def test_htmx_request_gets_the_results_fragment_only(client, agent, colleague):
    client.force_login(agent)
    response = client.get(LIST, {"q": "zola"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.text
    assert "<html" not in html
    assert "<form" not in html
    assert 'id="resultats"' not in html  # htmx swaps the inside of the live region
    assert "Zola-Berthier" in html
    assert "1 agent trouvé" in html


def test_filters_are_selects_and_narrow_the_results(client, agent, colleague):
    other_site = SiteFactory(name="Lycée Jean Zay")
    AgentFactory(last_name="Zola-Autre", site=other_site, category="A")
    client.force_login(agent)
    html = client.get(LIST, {"q": "zola"}).text
    assert '<select name="service"' in html
    assert '<select name="site"' in html
    assert '<select name="categorie"' in html
    html = client.get(LIST, {"q": "zola", "site": other_site.pk}, headers={"HX-Request": "true"}).text
    assert "Zola-Autre" in html
    assert "Zola-Berthier" not in html
    html = client.get(LIST, {"q": "zola", "categorie": "A"}, headers={"HX-Request": "true"}).text
    assert "Zola-Autre" in html
    assert "Zola-Berthier" not in html


def test_the_service_filter_includes_sub_units(client, agent):
    direction = OrgUnitFactory(name="Direction des finances")
    service = OrgUnitFactory(name="Comptabilité", parent=direction)
    AgentFactory(last_name="Comptable-Un", org_unit=service)
    AgentFactory(last_name="Directeur-Un", org_unit=direction)
    client.force_login(agent)
    html = client.get(LIST, {"service": direction.pk}, headers={"HX-Request": "true"}).text
    assert "Comptable-Un" in html
    assert "Directeur-Un" in html
    html = client.get(LIST, {"service": service.pk}, headers={"HX-Request": "true"}).text
    assert "Comptable-Un" in html
    assert "Directeur-Un" not in html


def test_an_unknown_filter_is_ignored_and_said(client, agent, colleague):
    client.force_login(agent)
    response = client.get(LIST, {"q": "zola", "service": "999999", "categorie": "Z"})
    assert response.status_code == 200
    assert "Zola-Berthier" in response.text
    assert "Un des filtres n'existe pas" in response.text


def test_results_are_paginated_and_pages_keep_the_query(client, agent):
    add_agents(45)
    client.force_login(agent)
    response = client.get(LIST, {"q": "entretien"})
    assert response.context["page_obj"].paginator.count == 45
    assert len(response.context["page_obj"].object_list) == 20
    assert "/annuaire/?q=entretien&amp;page=2" in response.text
    response = client.get(LIST, {"q": "entretien", "page": 3})
    assert len(response.context["page_obj"].object_list) == 5


def test_directory_page_queries_do_not_grow_with_the_agents(client, agent, colleague, unit):
    client.force_login(agent)
    assert_same_queries(client, LIST, grow=lambda: add_agents(1000, org_unit=unit))


def test_search_query_count_is_constant_with_many_matches(client, agent, unit):
    add_agents(10, org_unit=unit)
    client.force_login(agent)
    url = f"{LIST}?q=entretien"
    assert_same_queries(
        client,
        url,
        grow=lambda: Agent.objects.bulk_create(
            Agent(email=f"more{i}@test.local", first_name="A", last_name=f"Entretien{i}", password="!")
            for i in range(1000)
        ),
    )


def test_a_typo_search_query_count_is_constant_with_many_matches(client, agent, unit):
    AgentFactory(first_name="Jeanne", last_name="Lambert", org_unit=unit)
    client.force_login(agent)
    password = make_password(None)
    assert_same_queries(
        client,
        f"{LIST}?q=lambrt",
        grow=lambda: Agent.objects.bulk_create(
            Agent(email=f"typo{i}@test.local", first_name=f"A{i}", last_name="Lambert", password=password)
            for i in range(1000)
        ),
    )


def test_a_manager_page_query_count_is_constant_with_a_large_team(client, agent, colleague):
    client.force_login(agent)
    add_agents(5, manager=colleague)

    def grow():
        Agent.objects.bulk_create(
            Agent(email=f"team{i}@test.local", last_name=f"Equipe{i:04d}", manager=colleague, password="!")
            for i in range(300)
        )

    assert_same_queries(client, detail_url(colleague), grow=grow)


def test_partners_are_refused_the_directory(client, partenaire, colleague):
    client.force_login(partenaire)
    assert client.get(LIST, {"q": "zola"}).status_code == 403
    assert client.get(detail_url(colleague)).status_code == 403
    assert client.get(vcard_url(colleague)).status_code == 403


def test_nav_has_the_directory_for_agents_not_partners(client, agent, partenaire):
    client.force_login(agent)
    assert 'href="/annuaire/"' in client.get(reverse("intranet:home")).text
    client.force_login(partenaire)
    assert 'href="/annuaire/"' not in client.get(reverse("intranet:home")).text


def test_global_search_links_to_the_agent_page(client, agent, colleague):
    client.force_login(agent)
    response = client.get(reverse("intranet:search"), {"q": "emile"})
    assert detail_url(colleague) in response.text
    assert f"mailto:{colleague.email}" not in response.text


# --- The agent page -----------------------------------------------------------------------


def test_agent_page_shows_the_profile(client, agent, colleague, manager, unit, site):
    client.force_login(agent)
    response = client.get(detail_url(colleague))
    assert response.status_code == 200
    html = response.text
    assert "Émile Zola-Berthier" in html
    assert "Chargé de recrutement" in html
    assert unit.name in html
    assert site.name in html
    assert detail_url(manager) in html  # the manager, linked
    assert "Recrutement des agents techniques.<br>Jurys de concours." in html
    assert "Entretien professionnel" in html
    assert vcard_url(colleague) in html
    assert "03 83 00 11 22" in html


def test_a_hidden_number_is_never_rendered(client, agent, colleague):
    client.force_login(agent)
    html = client.get(detail_url(colleague)).text
    assert "06 99 88 77 66" not in html
    assert "0699887766" not in html
    colleague.show_phone = False
    colleague.save(update_fields=["show_phone"])
    html = client.get(detail_url(colleague)).text
    assert "03 83 00 11 22" not in html
    assert "0383001122" not in html


def test_the_manager_page_lists_the_team(client, agent, colleague, manager):
    gone = AgentFactory(last_name="Parti-Depuis", manager=manager, is_active=False)
    client.force_login(agent)
    html = client.get(detail_url(manager)).text
    assert detail_url(agent) in html
    assert detail_url(colleague) in html
    assert "Parti-Depuis" not in html
    assert detail_url(gone) not in html


def test_a_large_team_is_paginated(client, agent, manager, unit):
    add_agents(30, manager=manager, org_unit=unit)  # with agent: 31 reports
    client.force_login(agent)
    first = client.get(detail_url(manager)).text
    assert "Son équipe (31 agents)" in first
    assert first.count('class="col d-flex align-items-center gap-2"') == 24
    assert "Page 1 sur 2" in first
    second = client.get(detail_url(manager), {"page": 2}).text
    assert second.count('class="col d-flex align-items-center gap-2"') == 7
    assert 'href="?page=1#equipe"' in second


def test_agent_page_queries_do_not_grow_with_the_team(client, agent, manager, unit):
    client.force_login(agent)
    assert_same_queries(client, detail_url(manager), grow=lambda: add_agents(300, manager=manager, org_unit=unit))


@pytest.mark.parametrize(
    "change",
    [
        {"is_active": False},
        {"anonymised_at": timezone.now()},
        {"is_external": True},
    ],
)
def test_inactive_anonymised_and_partner_accounts_have_no_page(client, agent, colleague, change):
    Agent.objects.filter(pk=colleague.pk).update(**change)
    client.force_login(agent)
    assert client.get(detail_url(colleague)).status_code == 404
    assert client.get(vcard_url(colleague)).status_code == 404


def test_no_job_shadowing_link_without_the_app(client, agent, colleague):
    client.force_login(agent)
    assert "découvrir son métier" not in client.get(detail_url(colleague)).text


def test_an_app_adds_its_link_to_the_agent_page(client, agent, colleague):
    register(
        AgentLink(
            key="test-shadowing",
            label="Demander à découvrir son métier",
            url=lambda *, viewer, agent: f"/montre-moi-ton-job/demander/{agent.pk}/",
        )
    )
    try:
        client.force_login(agent)
        html = client.get(detail_url(colleague)).text
        assert f'href="/montre-moi-ton-job/demander/{colleague.pk}/"' in html
        assert "Demander à découvrir son métier" in html
        assert "découvrir son métier" not in client.get(detail_url(agent)).text  # not on one's own page
    finally:
        registry.agent_links.pop("test-shadowing")


# --- vCard --------------------------------------------------------------------------------


def parse_vcard(text: str) -> list[tuple[str, str]]:
    """(name with parameters, value) of each property, unfolded (RFC 2425)."""
    assert "\r\n" in text
    unfolded = text.replace("\r\n ", "")
    lines = [line for line in unfolded.split("\r\n") if line]
    return [tuple(line.split(":", 1)) for line in lines]


def test_vcard_is_a_valid_card_with_visible_numbers_only(client, agent, colleague, unit):
    client.force_login(agent)
    response = client.get(vcard_url(colleague))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="emile-zola-berthier.vcf"'
    props = parse_vcard(response.content.decode())
    assert props[0] == ("BEGIN", "VCARD")
    assert props[1] == ("VERSION", "3.0")
    assert props[-1] == ("END", "VCARD")
    values = dict(props)
    assert values["N"] == "Zola-Berthier;Émile;;;"
    assert values["FN"] == "Émile Zola-Berthier"
    assert values["ORG"] == unit.name
    assert values["TITLE"] == "Chargé de recrutement"
    assert values["EMAIL;TYPE=INTERNET,WORK"] == colleague.email
    assert values["TEL;TYPE=WORK,VOICE"] == "03 83 00 11 22"
    assert not any(name.startswith("TEL;TYPE=CELL") for name, _ in props)
    assert "06 99" not in response.content.decode()


def test_vcard_escapes_and_folds(client, agent):
    long_title = "Responsable, adjoint; chargé des relations avec les communes et leurs établissements publics"
    other = AgentFactory(first_name="Anne", last_name="O'Neil", job_title=long_title)
    client.force_login(agent)
    text = client.get(vcard_url(other)).content.decode()
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    values = dict(parse_vcard(text))
    assert values["TITLE"] == long_title.replace(",", "\\,").replace(";", "\\;")


def test_the_directory_query_stays_out_of_the_header_search_box(client, agent, colleague):
    client.force_login(agent)
    html = client.get(LIST, {"q": "zola"}).text
    assert "<title>Annuaire : zola" in html
    assert html.count('value="zola"') == 1  # the directory's own box, not the header's


# --- The search kept a minute (intranet.kept) ---------------------------------------------


def results_of(html: str) -> str:
    return html.split('id="resultats"')[1].split("</main>")[0]


@pytest.mark.usefixtures("kept_pages")
def test_a_kept_search_is_read_again_once_an_agent_changes(client, agent, colleague, manager, rh):
    from intranet.directory.services.profile import agent_profile_update

    client.force_login(agent)
    first = results_of(client.get(LIST, {"q": "zola"}).text)
    assert "Zola-Berthier" in first
    client.force_login(manager)  # another agent, the same address: the same results, kept
    client.get(LIST, {"q": "berthier"})  # (their header's count, read once)
    with CaptureQueriesContext(connection) as kept:
        assert results_of(client.get(LIST, {"q": "zola"}).text) == first
    with CaptureQueriesContext(connection) as drawn:
        client.get(LIST, {"q": "zola", "page": "1"})
    assert len(kept) < len(drawn)

    agent_profile_update(agent=colleague, user=rh, data={"job_title": "Cheffe de projet mobilités"})
    assert "Cheffe de projet mobilités" in client.get(LIST, {"q": "zola"}).text
    htmx = client.get(LIST, {"q": "zola"}, headers={"HX-Request": "true"}).text
    assert "<form" not in htmx
    assert "Cheffe de projet mobilités" in htmx
