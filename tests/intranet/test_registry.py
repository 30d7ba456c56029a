import pytest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from intranet.registry import HomeSlot, NavItem, SearchProvider, SearchResult, registry
from intranet.roles import Role, has_role
from tests.content.factories import EditorFactory


@pytest.fixture
def plugged_app():
    """What a feature app does in its AppConfig.ready, undone after the test."""
    before = (dict(registry.nav), dict(registry.home_slots), dict(registry.search))
    registry.nav["demo"] = NavItem(
        key="demo",
        label=_("Lettres d'information"),
        url_name="intranet:search",
        visible=lambda user: has_role(user, Role.COMMUNICATION),
    )
    registry.home_slots["demo"] = HomeSlot(
        key="demo",
        title="Dernière lettre",
        template="intranet/slots/partner_welcome.html",
        context=lambda request: {},
    )
    registry.search["demo"] = SearchProvider(
        key="demo",
        label="Lettres",
        search=lambda *, user, query, limit: [SearchResult("Bienvenue n°12", "/lettres/12/")],
    )
    yield
    registry.nav, registry.home_slots, registry.search = (dict(d) for d in before)


def test_a_registered_nav_item_shows_only_to_its_role(client, plugged_app, communication, agent):
    client.force_login(communication)
    assert "Lettres d&#x27;information" in client.get(reverse("intranet:home")).text
    client.force_login(agent)
    assert "Lettres d&#x27;information" not in client.get(reverse("intranet:home")).text


def test_a_registered_home_slot_appears_on_the_home_page(client, plugged_app, agent):
    client.force_login(agent)
    assert "Dernière lettre" in client.get(reverse("intranet:home")).text


def test_global_search_asks_every_registered_provider(client, plugged_app, agent):
    client.force_login(agent)
    response = client.get(reverse("intranet:search"), {"q": "Dupont"})
    assert "Hélène Dupont" in response.text
    assert "Bienvenue n°12" in response.text


def test_partners_get_neither_internal_slots_nor_the_agents_search(client, partenaire, agent):
    client.force_login(partenaire)
    home = client.get(reverse("intranet:home")).text
    assert "Votre espace partenaire" in home
    assert "Mon service" not in home
    assert "Hélène Dupont" not in client.get(reverse("intranet:search"), {"q": "Dupont"}).text


def test_beat_runs_the_periodic_task_every_app_registers(tmp_path):
    from celery.utils.imports import symbol_by_name
    from django.conf import settings

    from intranet.celery import app

    scheduler = symbol_by_name(settings.CELERY_BEAT_SCHEDULER)(app=app, schedule_filename=str(tmp_path / "beat"))
    schedule = {key: entry for key, entry in scheduler.schedule.items() if not key.startswith("celery.")}
    assert set(schedule) == {
        "recover-stalled-work",
        "retention-purge",
        "todo-digests",
        "onboarding-daily",
        "surveys-daily",
        "reviews-reminders",
        "actions-indicators-daily",
        "shadowing-sweep",
        "vacancies-close-past-deadline",
        "identity-partners-expire",
        "identity-directory-sync",
        "content-page-review",
        "events-reminders",
    }
    assert schedule["recover-stalled-work"].schedule.seconds == settings.WORK_RECOVERY_TICK
    assert schedule["recover-stalled-work"].options["expires"] == settings.WORK_RECOVERY_TICK
    for entry in schedule.values():
        assert symbol_by_name(entry.task).name == entry.task  # names a real task
    scheduler.close()


def test_apps_put_their_entries_in_the_menus_of_the_main_navigation(rf, agent, rh):
    from intranet.registry import registry

    def menus(user, path="/"):
        return {
            str(entry.label): [str(item.label) for item, _ in entry.items]
            for entry in registry.nav_menu_for(user, path)
        }

    hr_menus = menus(rh)
    # A handful of menus, not one link per module: HR's header fits from 1280 px.
    assert list(hr_menus)[:2] == ["Accueil", "Mon espace"]
    assert len(hr_menus) <= 7
    assert "Agents et organigramme" in hr_menus["Gestion"]
    assert "Enquêtes" in hr_menus["Gestion"]
    # No management menu for an agent, and no jargon.
    agent_menus = menus(agent)
    assert "Gestion" not in agent_menus
    assert not {"RH", "Diffusions"} & {label for labels in agent_menus.values() for label in labels}


def test_a_group_is_a_menu_even_with_one_entry_and_the_current_page_is_marked(client, partenaire, pilote, agent):
    client.force_login(partenaire)
    html = client.get(reverse("surveys:survey-mine")).text
    # The partner's « Mon espace » menu holds one entry: still the menu, its link marked as the page.
    url = reverse("surveys:survey-mine")
    assert 'id="menu-my-space"' in html
    assert f'class="dropdown-item active" href="{url}" aria-current="page">Mes enquêtes</a>' in html
    assert "Gestion" not in html
    # A one-link group keeps its short label in the bar (a pilot who may write news: « Gestion »).
    EditorFactory(agent=pilote)
    client.force_login(pilote)
    html = client.get(reverse("intranet:home")).text
    assert 'id="menu-manage"' in html
    assert f'<a class="mc-nav-link" href="{reverse("content:news-manage")}"' not in html
    client.force_login(agent)
    html = client.get(reverse("directory:orgchart")).text
    assert 'href="/annuaire/organigramme/" aria-current="page">Organigramme</a>' in html
    assert 'id="menu-directory"' in html  # the « Annuaire » menu, itself marked as the page's section
    assert 'Annuaire<span class="visually-hidden"> (rubrique de la page)</span>' in html
