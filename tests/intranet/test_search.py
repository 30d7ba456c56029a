"""One search over everything: every app's source answers, each result with its kind; a filter by
kind; French full-text (stems, accents, typos); each person sees only what their audience allows;
a number of queries that does not grow with the matches."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from actions.services.plan_loading import plan_data_read, plan_load
from content import text
from content.models import News
from intranet.audiences import AudienceSpec
from intranet.models import OrgUnit
from intranet.registry import registry
from tests.content.factories import NewsFactory, PageFactory
from tests.events.factories import EventFactory, SessionFactory
from tests.factories import AgentFactory
from tests.html import Page
from tests.intranet.test_query_counts import add_agents, add_units
from tests.onboarding.factories import ArrivalFactory, GuideChapterFactory
from tests.querycount import assert_same_queries
from tests.shadowing.factories import OfferFactory
from tests.surveys.factories import InvitationFactory, SurveyFactory
from tests.vacancies.factories import ConcoursFactory, VacancyFactory

# Stemming (« formation » finds « former ») and typo tolerance are PostgreSQL's (french, pg_trgm);
# the embedded default's SQLite search is kept simple: every word, accents and case ignored.
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stemming and typo tolerance are PostgreSQL's (french, pg_trgm)"
)

KINDS = {
    "agents",
    "units",
    "actions",
    "news",
    "pages",
    "documents",
    "vacancies",
    "concours",
    "surveys",
    "shadowing-offers",
    "guide-chapters",
    "events",
}


def _search(client, query, **params):
    return client.get(reverse("intranet:search"), {"q": query, **params})


def _results(response) -> dict[str, list[str]]:
    """The results' titles by the kind the page shows beside each."""
    found: dict[str, list[str]] = {}
    for item in Page(response.text).all("li.list-group-item"):
        kind = " ".join("".join(item.find("span").itertext()).split())
        found.setdefault(kind, []).append(" ".join("".join(item.find("a").itertext()).split()))
    return found


def test_every_kind_of_content_registers_its_search():
    assert set(registry.search) >= KINDS


@postgresql_only
def test_formation_finds_the_action_cards_about_training(client, agent):
    plan_load(data=plan_data_read())
    client.force_login(agent)
    cards = _results(_search(client, "formation"))["Projet d'administration"]
    # Their steps, objectives or indicators plan a training.
    for number in ("1.1", "1.4", "2.4", "4.3"):
        assert any(title.startswith(f"Action {number} ") for title in cards), cards
    assert not any(title.startswith("Action 5.2 ") for title in cards)


def test_concours_finds_the_concours(client, agent):
    ConcoursFactory(name="Rédacteur territorial, session 2027", organiser="CDG 67")
    ConcoursFactory(name="Ingénieur (brouillon)", status="draft")
    client.force_login(agent)
    found = _results(_search(client, "concours"))
    assert found["Concours"] == ["Rédacteur territorial, session 2027"]


def test_each_kind_is_found_and_shown(client, agent, unit, site):
    unit.name = "Service des jardins familiaux"
    unit.save()
    OfferFactory(job_title="Jardinier", description="Entretien des jardins familiaux.")
    VacancyFactory(title="Responsable des jardins", status="published", published_at=timezone.now())
    invitation = InvitationFactory(agent=agent, survey=SurveyFactory(title="Vos jardins familiaux : votre avis"))
    InvitationFactory(survey=SurveyFactory(title="Les jardins d'un autre"))  # not invited: not shown
    EventFactory(title="Jardins partagés", kind="webinaire")
    SessionFactory(event=EventFactory(title="Atelier des jardins"))
    PageFactory(title="Les jardins du personnel")
    NewsFactory(title="Les jardins rouvrent")
    client.force_login(agent)

    found = _results(_search(client, "jardins"))

    assert found["Services"] == ["Service des jardins familiaux"]
    assert found["Montre-moi ton job : métiers à découvrir"] == ["Jardinier"]
    assert [title.split(" (")[0] for title in found["Offres d'emploi"]] == ["Responsable des jardins"]
    assert found["Enquêtes à remplir"] == [invitation.survey.title]
    assert found["Événements"] == ["Atelier des jardins"]  # a session to come; the webinar has none
    assert found["Pages"] == ["Les jardins du personnel"]
    assert found["Actualités"] == ["Les jardins rouvrent"]


def test_events_are_found_by_their_kind(client, agent):
    SessionFactory(event=EventFactory(title="Bien démarrer avec l'intranet", kind="webinaire"))
    client.force_login(agent)
    assert _results(_search(client, "webinaire"))["Événements"] == ["Bien démarrer avec l'intranet"]


def test_guide_chapters_for_those_who_write_them_and_the_newcomer_reading_them(client, communication, agent):
    chapter = GuideChapterFactory(title="Le restaurant administratif", body="<p>Ouvert de 11 h 30 à 14 h.</p>")
    GuideChapterFactory(title="Restaurant : le brouillon", is_published=False)
    client.force_login(agent)
    assert "Guide d'accueil" not in _results(_search(client, "restaurant"))

    arrival = ArrivalFactory(agent=agent)
    response = _search(client, "restaurant")
    assert _results(response)["Guide d'accueil"] == ["Le restaurant administratif"]
    assert f"/arrivees/{arrival.pk}/guide/#chapitre-{chapter.pk}" in response.text

    client.force_login(communication)
    assert len(_results(_search(client, "restaurant"))["Guide d'accueil"]) == 2


def test_accents_and_case_do_not_matter(client, agent):
    NewsFactory(title="Élections professionnelles", summary="Le scrutin aura lieu en décembre.")
    client.force_login(agent)
    assert _results(_search(client, "election"))["Actualités"] == ["Élections professionnelles"]
    assert _results(_search(client, "DÉCEMBRE"))["Actualités"] == ["Élections professionnelles"]


@postgresql_only
def test_a_slip_in_a_word_still_finds_it(client, agent):
    NewsFactory(title="Formation aux premiers secours")
    client.force_login(agent)
    assert _results(_search(client, "formaton"))["Actualités"] == ["Formation aux premiers secours"]


def test_filter_by_kind(client, agent):
    NewsFactory(title="Le marché de Noël")
    ConcoursFactory(name="Concours du marché public")
    client.force_login(agent)

    both = _results(_search(client, "marché"))
    assert set(both) >= {"Actualités", "Concours"}

    response = _search(client, "marché", type="news")
    assert _results(response) == {"Actualités": ["Le marché de Noël"]}
    assert Page(response.text).one("#recherche-type option[selected]").get("value") == "news"


def test_a_partner_and_an_agent_searching_the_same_word(client, agent, partenaire):
    everyone = AudienceSpec(everyone=True).to_json()
    partners = AudienceSpec(everyone=True, partners=True).to_json()
    NewsFactory(title="Rentrée : les agents", audience=everyone)
    NewsFactory(title="Rentrée : les lycées", audience=partners, audience_partners=True)
    SessionFactory(event=EventFactory(title="Rentrée des services", audience=everyone))
    SessionFactory(event=EventFactory(title="Rentrée avec les lycées", audience=partners))
    AgentFactory(first_name="Paul", last_name="Rentrée")
    ConcoursFactory(name="Concours de rentrée")

    client.force_login(agent)
    seen_by_agent = _results(_search(client, "rentrée"))
    client.force_login(partenaire)
    seen_by_partner = _results(_search(client, "rentrée"))

    assert set(seen_by_agent["Actualités"]) == {"Rentrée : les agents", "Rentrée : les lycées"}
    assert set(seen_by_agent["Événements"]) == {"Rentrée des services", "Rentrée avec les lycées"}
    assert {"Agents", "Concours"} <= set(seen_by_agent)
    assert seen_by_partner == {"Actualités": ["Rentrée : les lycées"], "Événements": ["Rentrée avec les lycées"]}


def test_a_kind_with_more_results_links_to_all_of_them(client, agent):
    for number in range(10):
        NewsFactory(title=f"Travaux de voirie n° {number}")
    client.force_login(agent)
    response = _search(client, "voirie")
    assert len(_results(response)["Actualités"]) == 8
    assert "?q=voirie&amp;type=news" in response.text
    assert len(_results(_search(client, "voirie", type="news"))["Actualités"]) == 10


def test_an_unknown_kind_searches_everything(client, agent):
    NewsFactory(title="Le marché de Noël")
    client.force_login(agent)
    response = _search(client, "marché", type="inconnu")
    # Every kind is searched (a random agent's name, « Marcel », may match too), none is chosen.
    assert _results(response)["Actualités"] == ["Le marché de Noël"]
    assert Page(response.text).one("#recherche-type option[selected]").get("value") == ""


def _news_bulk(count, title):
    author = AgentFactory()
    rows = News.objects.bulk_create(
        News(
            title=f"{title} {number}",
            summary="Résumé",
            body="<p>Texte</p>",
            audience=AudienceSpec(everyone=True).to_json(),
            audience_everyone=True,
            status=News.Status.PUBLISHED,
            publish_at=timezone.now() - timedelta(hours=1),
            author=author,
            author_label="Auteur",
            search_text=text.search_text(f"{title} {number}", "Résumé"),
        )
        for number in range(count)
    )
    text.search_vector_refresh(News, [row.pk for row in rows])


@pytest.mark.parametrize("role", ["agent", "partenaire"])
def test_search_does_not_grow_with_the_matches_of_every_kind(role, request, client, unit, site):
    client.force_login(request.getfixturevalue(role))
    _news_bulk(3, "Dubois")
    AgentFactory.create_batch(3, last_name="Dubois", org_unit=unit, site=site)
    OrgUnit.objects.bulk_create(OrgUnit(name=f"Dubois {number}") for number in range(2))
    SessionFactory(event=EventFactory(title="Dubois", audience=AudienceSpec(everyone=True, partners=True).to_json()))

    def grow():
        units, other_site = add_units(30)
        for created in units:
            created.name = f"Dubois {created.pk}"
        OrgUnit.objects.bulk_update(units, ["name"])
        add_agents(300, prefix="Dubois", org_units=[*units, None], sites=[site, other_site, None])
        _news_bulk(300, "Dubois")
        for number in range(5):
            SessionFactory(
                event=EventFactory(
                    title=f"Dubois {number}", audience=AudienceSpec(everyone=True, partners=True).to_json()
                )
            )
            ConcoursFactory(name=f"Dubois {number}")
            OfferFactory(job_title=f"Dubois {number}")

    assert_same_queries(client, reverse("intranet:search"), grow, data={"q": "dubois"})


def test_units_by_a_part_of_their_name_a_plural_or_a_slip(client, agent, unit):
    unit.name, unit.short_name = "Service Comptabilité", "COMPTA"
    unit.save()
    client.force_login(agent)
    for query in ("compta", "comptabilités", "comptabilte"):
        assert _results(_search(client, query)).get("Services") == ["Service Comptabilité (COMPTA)"], query


def test_the_search_leaves_the_planner_as_it_found_it(client, agent):
    from django.db import connection

    from intranet.directory.search import is_postgresql

    if not is_postgresql():
        pytest.skip("PostgreSQL's planner only")

    def settings():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('enable_seqscan'), current_setting('max_parallel_workers_per_gather')"
            )
            return cursor.fetchone()

    NewsFactory(title="Le marché de Noël")
    client.force_login(agent)
    before = settings()
    _search(client, "marché")
    assert settings() == before == ("on", before[1])  # the documents' and the news' searches set both back
