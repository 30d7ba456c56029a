"""The agent search (intranet.directory.search) on the database the tests run on.

Both paths run in CI's two configurations: SQLite (DATABASE_URL unset) and PostgreSQL.
What only PostgreSQL does (typos of two slips, in services, stemming) is marked
`postgresql_only`; what SQLite guarantees (accents, case, substrings, one-slip typos, phones,
ranking, filters) is tested on both.
"""

import pytest
from django.db import connection

from intranet.directory.search import agent_search, normalise, query_parse
from intranet.models import Agent
from tests.factories import AgentFactory, OrgUnitFactory, SiteFactory, SkillFactory

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="wider typo tolerance and stemming are PostgreSQL's (pg_trgm, french)"
)
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="pins the SQLite fallback's limits")


@pytest.fixture
def people(db):
    """A small administration: finance and HR services on two sites."""
    siege = SiteFactory(name="Hôtel de Région", city="Metz")
    lycee = SiteFactory(name="Lycée Jean Zay", city="Jarny")
    finances = OrgUnitFactory(name="Direction des finances", short_name="DF")
    compta = OrgUnitFactory(name="Comptabilité", parent=finances)
    rh = OrgUnitFactory(name="Ressources humaines", short_name="DRH")
    tos = OrgUnitFactory(name="Lycées – agents TOS")
    m57 = SkillFactory(name="Comptabilité publique (M57)")
    haccp = SkillFactory(name="HACCP")
    agents = {
        "helene": AgentFactory(
            first_name="Hélène",
            last_name="Dupont",
            job_title="Gestionnaire comptable",
            org_unit=compta,
            site=siege,
            category="C",
            phone="03 83 12 34 56",
        ),
        "dupontel": AgentFactory(
            first_name="Marc", last_name="Dupontel", job_title="Comptable", org_unit=compta, site=siege, category="B"
        ),
        "jean": AgentFactory(
            first_name="Jean",
            last_name="Dupont-Martin",
            job_title="Chargé de recrutement",
            org_unit=rh,
            site=siege,
            category="B",
            mobile="06 11 22 33 44",
            show_mobile=False,
        ),
        "oeuvray": AgentFactory(
            first_name="Zoé",
            last_name="Œuvray",
            job_title="Cuisinière",
            org_unit=tos,
            site=lycee,
            category="C",
            mobile="06 55 66 77 88",
            show_mobile=True,
        ),
        "francois": AgentFactory(
            first_name="François",
            last_name="Lefèvre",
            job_title="Analyste financier",
            org_unit=finances,
            site=siege,
            category="A",
        ),
    }
    agents["helene"].skills.add(m57)
    agents["oeuvray"].skills.add(haccp)
    return agents


def names(agents) -> list[str]:
    return [agent.last_name for agent in agents]


def search(user, query, **filters) -> list[str]:
    return names(agent_search(user=user, query=query, **filters))


# --- Normalisation ------------------------------------------------------------------------


def test_normalise_strips_accents_case_and_ligatures():
    assert normalise("Hélène ŒUVRAY-Lefèvre") == "helene oeuvray-lefevre"
    assert normalise(None) == ""


def test_query_parse_reads_a_phone_number_whatever_its_spacing():
    assert query_parse("03 83 12").phone == "038312"
    assert query_parse("+33 3 83 12").phone == "038312"
    assert query_parse("03.83").phone == "0383"
    assert query_parse("Dupont 1er").phone == ""
    assert query_parse("  ").terms == ()


def test_query_parse_drops_one_letter_words_unless_alone():
    assert query_parse("l' agent d entretien").terms == ("agent", "entretien")
    assert query_parse("a").terms == ("a",)


# --- What both databases find -------------------------------------------------------------


def test_accents_and_case_do_not_matter(people, agent):
    assert "Dupont" in search(agent, "helene")
    assert "Dupont" in search(agent, "HÉLÈNE")
    assert search(agent, "lefevre") == ["Lefèvre"]
    assert search(agent, "oeuvray") == ["Œuvray"]
    assert search(agent, "zoe") == ["Œuvray"]


def test_the_beginning_of_a_name_finds_it(people, agent):
    assert set(search(agent, "dupon")) == {"Dupont", "Dupont-Martin", "Dupontel"}


def test_a_letter_or_two_match_the_beginning_of_a_word_only(people, agent):
    """Two letters typed mean the beginning of a name (or of a service's word), not any two
    letters inside one: « hu » finds the Ressources humaines' agent, « ef » not Lefèvre."""
    assert set(search(agent, "du")) == {"Dupont", "Dupont-Martin", "Dupontel"}
    assert search(agent, "on") == []  # inside « Dupont », at no beginning
    assert search(agent, "ef") == []  # inside « Lefèvre »
    found = search(agent, "hu")  # a word of « Ressources humaines »
    assert "Dupont-Martin" in found
    assert not {"Dupontel", "Lefèvre", "Œuvray"} & set(found)
    assert search(agent, "zo") == ["Œuvray"]  # Zoé: accents ignored as for longer terms


def test_exact_last_name_comes_first(people, agent):
    # The fixture's own agent is "Hélène Dupont" too: both exact matches lead, ahead of
    # Dupont-Martin and Dupontel, which only start with the term.
    found = search(agent, "dupont")
    assert found[:2] == ["Dupont", "Dupont"]
    assert set(found[2:]) == {"Dupont-Martin", "Dupontel"}


def test_first_and_last_name_together(people, agent):
    found = agent_search(user=agent, query="Hélène Dupont")
    assert {(a.first_name, a.last_name) for a in found} == {("Hélène", "Dupont")}
    assert list(agent_search(user=agent, query="dupont helene")) == list(found)


def test_a_service_name_finds_its_agents(people, agent):
    assert set(search(agent, "compta")) >= {"Dupont", "Dupontel"}
    assert "Lefèvre" not in search(agent, "compta")  # the direction above, not the service


def test_a_short_name_finds_the_service(people, agent):
    assert search(agent, "DRH") == ["Dupont-Martin"]


def test_job_title_site_and_skill(people, agent):
    assert search(agent, "cuisiniere") == ["Œuvray"]
    assert search(agent, "jean zay") == ["Œuvray"]
    assert search(agent, "jarny") == ["Œuvray"]
    assert search(agent, "haccp") == ["Œuvray"]
    assert search(agent, "m57") == ["Dupont"]


def test_words_must_all_match(people, agent):
    assert search(agent, "comptable dupontel")[0] == "Dupontel"  # PostgreSQL: "dupontel" is close to "Dupont"
    assert search(agent, "comptable lefevre") == []
    assert search(agent, "cuisiniere dupont") == []


def test_phone_digits_only(people, agent):
    assert search(agent, "0383") == ["Dupont"]
    assert search(agent, "03 83 12 34") == ["Dupont"]
    assert search(agent, "03.83.12") == ["Dupont"]
    assert search(agent, "+33 3 83 12") == ["Dupont"]
    assert search(agent, "0655") == ["Œuvray"]  # a mobile the agent shows


def test_a_hidden_number_is_never_searched(people, agent):
    assert search(agent, "06 11 22") == []
    people["helene"].show_phone = False
    people["helene"].save(update_fields=["show_phone"])
    assert search(agent, "0383") == []


def test_filters_by_service_site_and_category(people, agent):
    compta = people["helene"].org_unit
    finances = compta.parent
    assert set(search(agent, "", org_unit_ids=[compta.pk])) == {"Dupont", "Dupontel"}
    assert set(search(agent, "dupon", org_unit_ids=[finances.pk, compta.pk])) == {"Dupont", "Dupontel"}
    assert search(agent, "", site_id=people["oeuvray"].site_id) == ["Œuvray"]
    assert search(agent, "dupon", category="B") == ["Dupont-Martin", "Dupontel"]


def test_empty_query_lists_everyone_visible_by_name(people, agent):
    found = search(agent, "")
    assert found == sorted(found)
    assert len(found) == Agent.objects.active().internal().count()


def test_special_characters_are_plain_text(people, agent):
    assert search(agent, "%") == []
    assert search(agent, "_") == []
    assert search(agent, "d'") == search(agent, "d")
    assert search(agent, "') OR 1=1 --") == []


# --- Who is found -------------------------------------------------------------------------


def test_inactive_anonymised_and_partners_are_not_found(people, agent, partenaire):
    people["dupontel"].is_active = False
    people["dupontel"].save(update_fields=["is_active"])
    AgentFactory(first_name="Anne", last_name="Dupontier", anonymised_at="2026-01-01T00:00:00Z")
    AgentFactory(first_name="Paul", last_name="Duponteau", is_external=True)
    found = search(agent, "dupon")
    assert "Dupontel" not in found
    assert "Dupontier" not in found
    assert "Duponteau" not in found


def test_partners_find_nobody(people, partenaire):
    assert search(partenaire, "dupont") == []
    assert search(partenaire, "") == []


# --- Typos: one slip on both databases, more on PostgreSQL ---------------------------------


def test_typos_find_the_name(people, agent):
    assert "Dupont" in search(agent, "dupond")
    assert "Dupont" in search(agent, "helenne")
    assert "Dupont" in search(agent, "duppont")
    assert "Œuvray" in search(agent, "oeuvrey")


def test_a_typo_ranks_below_the_exact_spelling(people, agent):
    AgentFactory(first_name="Louis", last_name="Dupond")
    found = search(agent, "dupond")
    assert found[0] == "Dupond"
    assert "Dupont" in found[1:]


@postgresql_only
def test_typo_in_a_service_name(people, agent):
    assert set(search(agent, "comptabilte")) >= {"Dupont", "Dupontel"}


@postgresql_only
def test_french_stemming_on_the_job_title(people, agent):
    assert "Dupontel" in search(agent, "comptables")


@postgresql_only
def test_the_name_search_uses_the_trigram_index(people, agent):
    """At the reference size the planner must be able to use the expression indexes."""
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM intranet_agent"
            " WHERE mc_name(first_name, last_name) LIKE %s OR mc_name(first_name, last_name) %%> %s",
            ["%dupon%", "dupon"],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "agent_search_name_trgm" in plan


# --- SQLite: what the fallback does not do ------------------------------------------------


@sqlite_only
def test_sqlite_tolerates_one_slip_not_two(people, agent):
    assert "Dupont" in search(agent, "dupond")
    assert search(agent, "dupnd") == []


@postgresql_only
def test_the_phone_search_uses_the_phone_indexes(people, agent):
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM intranet_agent WHERE mc_digits(phone) LIKE %s OR mc_digits(mobile) LIKE %s",
            ["%0383%", "%0383%"],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "agent_search_phone_trgm" in plan
    assert "agent_search_mobile_trgm" in plan


@postgresql_only
def test_the_typo_keys_use_their_indexes(people, agent):
    """One-slip typos are found through the GIN indexes of the keys kept in the row (migrations
    0016 and 0019), not a scan."""
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM intranet_agent"
            " WHERE search_name_keys && %s::text[] OR search_job_keys && %s::text[]",
            [["lambrt", "lamrt"], ["cuisinir"]],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "agent_search_name_keys" in plan
    assert "agent_search_job_keys" in plan


@postgresql_only
def test_a_term_of_two_letters_uses_the_prefix_indexes(people, agent):
    """Trigram indexes need three letters: « pa » is found through migration 0018's indexes."""
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM intranet_agent"
            " WHERE mc_norm(first_name) LIKE %s OR mc_norm(last_name) LIKE %s OR mc_norm(job_title) LIKE %s",
            ["pa%", "pa%", "pa%"],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert {"agent_search_first_prefix", "agent_search_last_prefix", "agent_search_job_prefix"} <= set(plan.split())
