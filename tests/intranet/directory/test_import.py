"""The HR import's services: reading, validation with line numbers, comparison, apply, re-run."""

import datetime

import pytest

from intranet.directory.importer import import_apply, import_preview
from intranet.models import Agent, AuditLogEntry, OrgUnit, Site
from tests.factories import AgentFactory, OrgUnitFactory, SiteFactory
from tests.intranet.directory.importfiles import HEADERS, agent_row, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(unit, site):
    return unit, OrgUnitFactory(name="Finances", short_name="FIN"), site


def good_rows():
    return [
        agent_row("A001", "Lefèvre", "Hélène", manager="A002", job="Gestionnaire paie"),
        agent_row("A002", "Durand", "Paul", job="Directeur des ressources humaines", arrival="2019-03-15"),
        agent_row("A003", "Petit", "Zoé", unit="finances", site="SIÈGE", manager="A002", departure="31/12/2026"),
    ]


def test_a_good_csv_file_creates_agents_with_managers_resolved(places, rh):
    unit, finance, site = places
    content = csv_bytes(good_rows(), bom=True)
    preview = import_preview(content=content, filename="agents.csv")
    assert preview.counts == {"new": 3, "changed": 0, "unchanged": 0, "error": 0}

    result = import_apply(content=content, filename="agents.csv", user=rh)

    assert result.created == 3
    helene = Agent.objects.get(matricule="A001")
    paul = Agent.objects.get(matricule="A002")
    zoe = Agent.objects.get(matricule="A003")
    assert (helene.first_name, helene.last_name, helene.email) == ("Hélène", "Lefèvre", "a001@test.local")
    assert helene.manager == paul
    assert zoe.manager == paul
    assert paul.manager is None
    assert helene.org_unit == unit
    assert zoe.org_unit == finance
    assert zoe.site == site
    assert paul.arrival_date == datetime.date(2019, 3, 15)
    assert zoe.departure_date == datetime.date(2026, 12, 31)
    assert not helene.has_usable_password()  # they use "mot de passe oublié"
    entry = AuditLogEntry.objects.get(action="agent.import")
    assert entry.actor == rh
    assert entry.details["créés"] == 3


def test_an_xlsx_file_reads_like_the_csv(places, rh):
    rows = good_rows()
    rows[1][8] = datetime.datetime(2019, 3, 15)  # noqa: DTZ001 (a real date cell, as Excel writes)
    rows[0][0] = 1234  # a number cell
    rows[1][0] = "1235"
    rows[0][7] = "1235"
    rows[2][7] = 1235
    result = import_apply(content=xlsx_bytes(rows), filename="agents.xlsx", user=rh)
    assert result.created == 3
    assert result.skipped == 0
    assert Agent.objects.get(matricule="1234").manager.matricule == "1235"
    assert Agent.objects.get(matricule="1235").arrival_date == datetime.date(2019, 3, 15)


@pytest.mark.parametrize(
    ("delimiter", "encoding", "bom"), [(",", "utf-8", False), (";", "cp1252", False), ("\t", "utf-8", True)]
)
def test_encodings_and_delimiters_are_recognised(places, delimiter, encoding, bom):
    content = csv_bytes(good_rows(), delimiter=delimiter, encoding=encoding, bom=bom)
    preview = import_preview(content=content, filename="agents.csv")
    assert not preview.file_errors
    assert [row.name for row in preview.rows] == ["Lefèvre Hélène", "Durand Paul", "Petit Zoé"]


def test_headers_match_without_case_or_accents(places):
    headers = [
        "MATRICULE",
        "nom",
        "prenom",
        "Email",
        "fonction",
        "SERVICE",
        "site",
        "matricule du responsable",
        "date d'arrivee",
        "Date de depart",
        "Colonne en trop",
    ]
    preview = import_preview(content=csv_bytes([[*row, "x"] for row in good_rows()], headers=headers), filename="a.csv")
    assert not preview.file_errors
    assert preview.counts["new"] == 3
    assert preview.ignored_columns == ["Colonne en trop"]


def test_bad_rows_are_reported_with_their_line_and_a_french_message(places, manager):
    rows = [
        agent_row("B001", email="pas-une-adresse"),  # line 2
        agent_row("B002", arrival="32/13/2024"),  # line 3
        agent_row("B003", manager="INCONNU"),  # line 4
        agent_row("B004"),  # line 5
        agent_row("B004", email="autre@test.local"),  # line 6
        agent_row("B005", last_name=""),  # line 7
        agent_row("B006", email=manager.email),  # line 8: someone else's e-mail
        agent_row("B007", arrival="01/09/2024", departure="01/01/2020"),  # line 9
        agent_row("B008", manager="B001"),  # line 10: its manager's row is wrong
        agent_row("B009"),  # line 11: fine
    ]
    preview = import_preview(content=csv_bytes(rows), filename="a.csv")
    errors = {row.line: " ".join(row.errors) for row in preview.rows if row.errors}
    assert "E-mail « pas-une-adresse » invalide." in errors[2]
    assert "Date d'arrivée « 32/13/2024 » invalide : format attendu JJ/MM/AAAA" in errors[3]
    assert "Matricule du responsable inconnu : « INCONNU »." in errors[4]
    assert "en double dans le fichier (aussi ligne 6)" in errors[5]
    assert "en double dans le fichier (aussi ligne 5)" in errors[6]
    assert "Nom obligatoire." in errors[7]
    assert "est celui d'un autre agent" in errors[8]
    assert "La date de départ précède la date d'arrivée." in errors[9]
    assert "sa ligne 2 contient des erreurs" in errors[10]
    assert sorted(errors) == [2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert preview.counts["new"] == 1


def test_rows_with_errors_are_skipped_and_the_others_applied(places, rh):
    rows = [agent_row("C001", email="faux"), agent_row("C002")]
    result = import_apply(content=csv_bytes(rows), filename="a.csv", user=rh)
    assert (result.created, result.skipped) == (1, 1)
    assert list(Agent.objects.filter(matricule__startswith="C").values_list("matricule", flat=True)) == ["C002"]


def test_a_missing_required_column_refuses_the_file(places):
    headers = [header for header in HEADERS if header != "E-mail"]
    rows = [[cell for index, cell in enumerate(row) if index != 3] for row in good_rows()]
    preview = import_preview(content=csv_bytes(rows, headers=headers), filename="a.csv")
    assert preview.rows == []
    assert "Colonne(s) obligatoire(s) absente(s) : « E-mail »" in preview.file_errors[0]


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "vide.csv", "Le fichier est vide."),
        (b"\x00\x01\x02binaire", "a.csv", "caractères nuls"),
        (b"PK\x03\x04pas vraiment un zip", "a.xlsx", "Fichier XLSX illisible"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ancien.xls", "Excel 97-2003"),
        (b"Matricule;Nom\n", "a.csv", "Colonne(s) obligatoire(s) absente(s)"),
        (";".join(HEADERS).encode(), "a.csv", "aucune ligne d'agent"),
    ],
)
def test_unreadable_files_give_a_french_message_and_no_row(db, content, filename, message):
    preview = import_preview(content=content, filename=filename)
    assert preview.rows == []
    assert message in " ".join(preview.file_errors)


def test_unknown_services_and_sites_are_listed_not_created(places, rh):
    rows = [agent_row("D001", unit="Service des sports", site="Piscine"), agent_row("D002", unit="Service des sports")]
    preview = import_preview(content=csv_bytes(rows), filename="a.csv")
    assert preview.unknown_units == {"Service des sports": [2, 3]}
    assert preview.unknown_sites == {"Piscine": [2]}
    assert "Service inconnu : « Service des sports »." in preview.rows[0].errors

    result = import_apply(content=csv_bytes(rows), filename="a.csv", user=rh)
    assert result.skipped == 2
    assert not OrgUnit.objects.filter(name="Service des sports").exists()
    assert not Site.objects.filter(name="Piscine").exists()


def test_unknown_services_are_created_when_asked(places, rh):
    rows = [
        agent_row("D001", unit="Service des ressources humaines / Paie", site="Piscine"),
        agent_row("D002", unit="Service des sports"),
    ]
    preview = import_preview(content=csv_bytes(rows), filename="a.csv", create_units=True)
    assert preview.counts["new"] == 2
    assert preview.rows[0].changes[5].new == "Service des ressources humaines / Paie (à créer)"

    result = import_apply(content=csv_bytes(rows), filename="a.csv", user=rh, create_units=True)
    assert result.created == 2
    assert result.units_created == ["Service des ressources humaines / Paie", "Service des sports"]
    paie = Agent.objects.get(matricule="D001").org_unit
    assert paie.name == "Paie"
    assert paie.parent == places[0]
    assert Agent.objects.get(matricule="D001").site.name == "Piscine"


def test_re_running_the_same_file_changes_nothing(places, rh):
    content = csv_bytes(good_rows())
    import_apply(content=content, filename="a.csv", user=rh)
    before = list(Agent.objects.order_by("pk").values())

    preview = import_preview(content=content, filename="a.csv")
    assert preview.counts == {"new": 0, "changed": 0, "unchanged": 3, "error": 0}
    result = import_apply(content=content, filename="a.csv", user=rh)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert list(Agent.objects.order_by("pk").values()) == before


def test_changes_are_listed_old_to_new_and_applied(places, rh):
    import_apply(content=csv_bytes(good_rows()), filename="a.csv", user=rh)
    rows = good_rows()
    rows[0][4] = "Responsable paie"
    rows[0][7] = ""  # no manager any more
    rows[2][5] = "Service des ressources humaines"
    preview = import_preview(content=csv_bytes(rows), filename="a.csv")
    changes = {row.line: [(c.label, c.old, c.new) for c in row.changes] for row in preview.rows if row.changes}
    assert changes == {
        2: [("Fonction", "Gestionnaire paie", "Responsable paie"), ("Responsable", "A002", "")],
        4: [("Service", "Finances", "Service des ressources humaines")],
    }
    result = import_apply(content=csv_bytes(rows), filename="a.csv", user=rh)
    assert (result.updated, result.unchanged) == (2, 1)
    helene = Agent.objects.get(matricule="A001")
    assert helene.job_title == "Responsable paie"
    assert helene.manager is None
    assert Agent.objects.get(matricule="A003").org_unit == places[0]


def test_an_agent_without_matricule_is_matched_by_email(places, rh):
    existing = AgentFactory(matricule=None, email="sans.matricule@test.local", last_name="Martin", first_name="Léa")
    rows = [agent_row("E001", email="Sans.Matricule@test.local")]
    preview = import_preview(content=csv_bytes(rows), filename="a.csv")
    assert preview.rows[0].status == "changed"
    assert preview.rows[0].agent_id == existing.pk
    import_apply(content=csv_bytes(rows), filename="a.csv", user=rh)
    existing.refresh_from_db()
    assert existing.matricule == "E001"
    assert Agent.objects.count() == 2


def test_a_manager_already_in_the_database_is_found(places, rh, manager):
    manager.matricule = "CHEF"
    manager.save(update_fields=["matricule"])
    import_apply(content=csv_bytes([agent_row("F001", manager="CHEF")]), filename="a.csv", user=rh)
    assert Agent.objects.get(matricule="F001").manager == manager


def test_an_ambiguous_service_name_needs_its_path(db, rh):
    direction_a, direction_b = OrgUnitFactory(name="Pôle A"), OrgUnitFactory(name="Pôle B")
    OrgUnitFactory(name="Accueil", parent=direction_a)
    accueil_b = OrgUnitFactory(name="Accueil", parent=direction_b)
    SiteFactory(name="Siège")
    rows = [agent_row("G001", unit="Accueil"), agent_row("G002", unit="pole b / accueil")]
    preview = import_preview(content=csv_bytes(rows), filename="a.csv")
    assert "désigne plusieurs unités" in preview.rows[0].errors[0]
    assert preview.rows[1].status == "new"
    import_apply(content=csv_bytes(rows), filename="a.csv", user=rh)
    assert Agent.objects.get(matricule="G002").org_unit == accueil_b


def test_optional_columns_are_read_and_checked(places, rh):
    headers = [*HEADERS, "Téléphone", "Catégorie", "Statut", "Filière"]
    rows = [
        [*agent_row("H001"), "+33 3 83 00 00 00", "b", "Titulaire", "Médico-sociale"],
        [*agent_row("H002"), "", "D", "Vacataire", "technique"],
    ]
    preview = import_preview(content=csv_bytes(rows, headers=headers), filename="a.csv")
    assert preview.rows[0].status == "new"
    assert "Catégorie « D » inconnu(e)" in preview.rows[1].errors[0]
    assert "Statut « Vacataire » inconnu(e)" in preview.rows[1].errors[1]
    import_apply(content=csv_bytes(rows, headers=headers), filename="a.csv", user=rh)
    agent = Agent.objects.get(matricule="H001")
    assert (agent.phone, agent.category, agent.status, agent.filiere) == (
        "+33 3 83 00 00 00",
        "B",
        "titulaire",
        "medico_sociale",
    )


def test_a_file_without_the_optional_columns_leaves_them_alone(places, rh):
    AgentFactory(
        matricule="I001",
        email="i001@test.local",
        phone="0383000000",
        category="A",
        last_name="Martin",
        first_name="Léa",
        job_title="Gestionnaire",
        org_unit=places[0],
        site=places[2],
        arrival_date=datetime.date(2024, 9, 1),
    )
    preview = import_preview(content=csv_bytes([agent_row("I001")]), filename="a.csv")
    assert preview.rows[0].status == "unchanged"


def test_a_path_under_an_ambiguous_unit_is_not_created(db, rh, site):
    OrgUnitFactory(name="Accueil", parent=OrgUnitFactory(name="Pôle A"))
    OrgUnitFactory(name="Accueil", parent=OrgUnitFactory(name="Pôle B"))
    rows = [agent_row("T001", unit="Accueil / Standard")]
    result = import_apply(content=csv_bytes(rows), filename="a.csv", user=rh, create_units=True)
    assert result.units_created == []
    assert result.skipped == 1
    assert not OrgUnit.objects.filter(name="Standard").exists()
