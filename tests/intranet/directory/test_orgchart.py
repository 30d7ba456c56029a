"""The org chart, unit pages, trombinoscope and arrivals: what they show and to whom."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from intranet.directory.forms.orgchart import month_parse
from intranet.directory.selectors.arrivals import arrivals_home_context
from intranet.directory.selectors.orgchart import orgchart_build, orgchart_load
from intranet.models import OrgUnit
from tests.factories import AgentFactory, OrgUnitFactory
from tests.intranet.directory.orgchart_factories import build_tree, jpeg_file


@pytest.fixture
def tree(db):
    return build_tree()


# --- The tree -------------------------------------------------------------------------------


def test_orgchart_headcounts_include_sub_units_and_only_active_agents(tree):
    chart = orgchart_build()
    assert chart.node(tree.finances.pk).own_count == 3  # not the inactive agent, not the partner
    assert chart.node(tree.paie.pk).total_count == 2
    assert chart.node(tree.direction.pk).own_count == 1
    assert chart.node(tree.direction.pk).total_count == 6
    assert chart.node(tree.pole.pk).total_count == 7
    assert chart.total_count == 8


def test_orgchart_tree_shape_depths_and_ancestors(tree):
    chart = orgchart_build()
    assert [n.unit.name for n in chart.roots] == ["Direction de la communication", "Pôle Ressources"]
    direction = chart.node(tree.direction.pk)
    assert [c.unit.name for c in direction.children] == ["Comptabilité", "Paie"]
    assert chart.node(tree.paie.pk).depth == 2
    assert [a.unit for a in chart.node(tree.paie.pk).ancestors()] == [tree.pole, tree.direction]
    assert sorted(chart.descendant_ids(tree.direction.pk)) == sorted(
        [tree.direction.pk, tree.finances.pk, tree.paie.pk]
    )


def test_orgchart_survives_a_loop_of_parents(tree):
    a = OrgUnitFactory(name="A")
    b = OrgUnitFactory(name="B", parent=a)
    OrgUnit.objects.filter(pk=a.pk).update(parent=b)  # A → B → A: the database allows it
    chart = orgchart_build()
    assert {n.pk for n in chart.walk()} == set(chart.nodes)  # every unit shown once
    assert len(list(chart.walk())) == len(chart.nodes)


def test_orgchart_head_who_left_is_not_shown(tree):
    tree.pole.head.is_active = False
    tree.pole.head.save(update_fields=["is_active"])
    assert orgchart_build().node(tree.pole.pk).head is None


def test_orgchart_is_empty_for_partners(tree, partenaire):
    assert orgchart_load(user=partenaire).roots == []


# --- Pages ----------------------------------------------------------------------------------


def test_orgchart_page_lists_units_heads_and_headcounts_as_nested_lists(client, agent, tree):
    client.force_login(agent)
    response = client.get(reverse("directory:orgchart"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Pôle Ressources" in html
    assert "Paul Directeur" in html
    assert "7 agents" in html
    assert "6 agents" in html
    assert reverse("directory:unit-detail", kwargs={"pk": tree.paie.pk}) in html
    assert '<ul class="orgchart">' in html
    assert '<ul class="orgchart-children">' in html


def test_unit_page_shows_breadcrumb_head_sub_units_and_members(client, agent, tree):
    client.force_login(agent)
    response = client.get(reverse("directory:unit-detail", kwargs={"pk": tree.direction.pk}))
    html = response.content.decode()
    assert response.status_code == 200
    breadcrumb = html.split('class="breadcrumb"')[1].split("</ol>")[0]
    assert "Organigramme" in breadcrumb
    assert "Pôle Ressources" in breadcrumb
    assert 'aria-current="page">Direction des finances' in breadcrumb
    assert "Comptabilité" in html
    assert "Paie" in html
    assert "Dora Finances" in html  # its own member
    assert "Jean Martin" not in html  # a member of a sub-unit is on the sub-unit's page
    assert "6 agents" in html


def test_unit_page_paginates_members(client, agent, tree):
    for i in range(55):
        AgentFactory(last_name=f"Membre{i:02d}", org_unit=tree.paie)
    client.force_login(agent)
    url = reverse("directory:unit-detail", kwargs={"pk": tree.paie.pk})
    first = client.get(url).content.decode()
    assert "Page 1 sur 2" in first
    assert "Membres de l&#x27;unité (57)" in first or "Membres de l'unité (57)" in first
    assert client.get(url, {"page": "2"}).status_code == 200
    assert client.get(url, {"page": "zzz"}).status_code == 200  # a bad page number is page 1


def test_unit_page_of_an_unknown_unit_is_404(client, agent, tree):
    client.force_login(agent)
    assert client.get(reverse("directory:unit-detail", kwargs={"pk": 999999})).status_code == 404


@pytest.mark.parametrize("name", ["orgchart", "trombinoscope", "arrivals", "orgchart-pdf"])
def test_pages_refuse_partners_and_send_anonymous_to_login(client, partenaire, tree, name):
    url = reverse(f"directory:{name}")
    assert client.get(url).status_code == 302
    client.force_login(partenaire)
    assert client.get(url).status_code == 403


def test_nav_has_the_org_chart_for_agents_only(client, agent, partenaire):
    client.force_login(agent)
    assert reverse("directory:orgchart") in client.get(reverse("intranet:home")).content.decode()
    client.force_login(partenaire)
    assert reverse("directory:orgchart") not in client.get(reverse("intranet:home")).content.decode()


# --- Trombinoscope ---------------------------------------------------------------------------


def _names(response) -> set[str]:
    return {str(a) for a in response.context["page_obj"].object_list}


def test_trombinoscope_filters_by_unit_including_sub_units(client, agent, tree):
    client.force_login(agent)
    response = client.get(reverse("directory:trombinoscope"), {"unite": tree.direction.pk})
    assert _names(response) == {
        "Dora Finances",
        "Hélène Dupont",
        "Jean Martin",
        "Zoé Bernard",
        "Lina Paie",
        "Marc Paie",
    }


def test_trombinoscope_filters_by_site_and_by_both(client, agent, tree):
    client.force_login(agent)
    url = reverse("directory:trombinoscope")
    assert _names(client.get(url, {"site": tree.lycee.pk})) == {"Lina Paie", "Marc Paie"}
    assert _names(client.get(url, {"site": tree.siege.pk, "unite": tree.finances.pk})) == {
        "Hélène Dupont",
        "Jean Martin",
        "Zoé Bernard",
    }


def test_trombinoscope_with_an_unknown_filter_shows_everyone_and_says_so(client, agent, tree):
    client.force_login(agent)
    response = client.get(reverse("directory:trombinoscope"), {"unite": "abc", "site": "999999"})
    assert response.status_code == 200
    assert "n&#x27;existe pas" in response.content.decode() or "n'existe pas" in response.content.decode()
    assert "Camille Com" in _names(response)


def test_trombinoscope_shows_thumbnails_lazily_and_initials_for_hidden_photos(client, agent, tree):
    shown = AgentFactory(first_name="Anne", last_name="Visible", org_unit=tree.paie, photo=jpeg_file("a.jpg"))
    AgentFactory(first_name="Henri", last_name="Cache", org_unit=tree.paie, photo=jpeg_file("h.jpg"), show_photo=False)
    client.force_login(agent)
    html = client.get(reverse("directory:trombinoscope"), {"unite": tree.paie.pk}).content.decode()
    thumbnail = shown.photo.name.removesuffix(".jpg") + "-160.jpg"
    assert thumbnail in html  # the thumbnail, never the full photo
    assert f'src="/media/{shown.photo.name}"' not in html
    img = html.split("<img", 1)[1].split(">", 1)[0]
    assert 'loading="lazy"' in img
    assert "Anne Visible" in img
    assert html.count("<img") == 1
    assert ">HC<" in html  # Henri Cache's initials


def test_trombinoscope_is_paginated_keeping_the_filter(client, agent, tree):
    for i in range(50):
        AgentFactory(last_name=f"Paie{i:02d}", org_unit=tree.paie)
    client.force_login(agent)
    response = client.get(reverse("directory:trombinoscope"), {"unite": tree.paie.pk})
    assert len(response.context["page_obj"].object_list) == 48
    assert f"?unite={tree.paie.pk}&amp;page=2" in response.content.decode()
    assert "52 agents" in response.content.decode()  # counted by the org chart: the 2 of the tree too
    last = client.get(reverse("directory:trombinoscope"), {"unite": tree.paie.pk, "page": 2})
    assert len(last.context["page_obj"].object_list) == 4


# --- Arrivals and departures --------------------------------------------------------------------


def test_month_parse_accepts_yyyy_mm_only():
    assert month_parse("2026-09") == date(2026, 9, 1)
    for bad in ["2026-13", "2026-9", "septembre", "", "0000-01", "2026-09-01", "9999999-01"]:
        with pytest.raises(Exception, match="AAAA-MM"):
            month_parse(bad)


def test_arrivals_page_lists_this_months_arrivals_and_departures(client, agent, tree):
    today = timezone.localdate()
    AgentFactory(first_name="Nina", last_name="Nouvelle", arrival_date=today.replace(day=1), org_unit=tree.paie)
    AgentFactory(first_name="Ancien", last_name="Arrivant", arrival_date=date(2001, 1, 1))
    AgentFactory(first_name="Denis", last_name="Depart", departure_date=today.replace(day=1), is_active=False)
    client.force_login(agent)
    html = client.get(reverse("directory:arrivals")).content.decode()
    assert "Nina Nouvelle" in html
    assert "Denis Depart" in html
    assert "Ancien Arrivant" not in html


def test_arrivals_previous_months_are_navigable(client, agent, tree):
    AgentFactory(first_name="Ancien", last_name="Arrivant", arrival_date=date(2025, 2, 14))
    AgentFactory(first_name="Avant", last_name="Veille", arrival_date=date(2025, 1, 31))
    client.force_login(agent)
    response = client.get(reverse("directory:arrivals"), {"mois": "2025-02"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ancien Arrivant" in html
    assert "Avant Veille" not in html
    assert "février 2025" in html
    assert "?mois=2025-01" in html
    assert "?mois=2025-03" in html


@pytest.mark.parametrize("bad", ["2025-13", "demain", "2025-02'--", "x" * 500])
def test_arrivals_with_a_bad_month_explains_in_french(client, agent, bad):
    client.force_login(agent)
    response = client.get(reverse("directory:arrivals"), {"mois": bad})
    assert response.status_code == 400
    assert "n&#x27;est pas valide" in response.content.decode()
    assert "AAAA-MM" in response.content.decode()


def test_home_slot_new_arrivals(client, agent, tree):
    today = timezone.localdate()
    assert arrivals_home_context(user=agent, today=today) is None  # nobody yet: the slot is hidden
    for i in range(7):
        AgentFactory(first_name="Nouvel", last_name=f"Arrivant{i}", arrival_date=today.replace(day=1))
    context = arrivals_home_context(user=agent, today=today)
    assert len(context["arrivals"]) == 5
    assert context["total"] == 7
    assert context["more"] == 2
    client.force_login(agent)
    html = client.get(reverse("intranet:home")).content.decode()
    assert "Nouveaux arrivants" in html
    assert "Nouvel Arrivant0" in html
    assert reverse("directory:arrivals") in html


# --- The cache (issue 19: constant work, not only constant queries) -------------------------------


def test_orgchart_page_is_kept_per_version_and_shows_hr_edits_at_once(client, agent, rh, tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from intranet.directory.services.orgchart import orgunit_update

    client.force_login(agent)
    client.get(reverse("directory:orgchart"))
    # Within a version, the page reads neither the units nor the headcounts again.
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("directory:orgchart")).content.decode()
    tree_reads = [q["sql"] for q in queries.captured_queries if '"intranet_orgunit"."name"' in q["sql"]]
    headcounts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"] and "org_unit_id" in q["sql"]]
    assert not tree_reads
    assert not headcounts
    assert "Pôle Ressources" in html

    orgunit_update(user=rh, unit=tree.pole, data={"name": "Pôle Moyens"})
    html = client.get(reverse("directory:orgchart")).content.decode()
    assert "Pôle Moyens" in html
    assert "Pôle Ressources" not in html


def test_orgchart_cache_follows_hr_edit_of_an_agent_unit(client, agent, rh, tree):
    from intranet.directory.services.profile import agent_profile_update

    assert orgchart_build().node(tree.paie.pk).total_count == 2
    mover = AgentFactory(org_unit=tree.finances)
    agent_profile_update(agent=mover, user=rh, data={"org_unit": tree.paie})
    assert orgchart_build().node(tree.paie.pk).total_count == 3
