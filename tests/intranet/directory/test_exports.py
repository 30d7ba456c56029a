"""The directory's export: the import's columns, a service with its sub-units or everyone,
formulas neutralised, and an export re-imports as "no change"."""

import datetime
import io

import pytest
from django.urls import reverse

from intranet.directory.exports import HEADERS, export_csv, export_xlsx
from intranet.directory.importer import import_preview
from intranet.models import Agent
from tests.factories import AgentFactory, OrgUnitFactory, SiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def population(db):
    direction = OrgUnitFactory(name="Direction des finances")
    service = OrgUnitFactory(name="Comptabilité", parent=direction)
    OrgUnitFactory(name="Accueil", parent=direction)
    elsewhere = OrgUnitFactory(name="Accueil", parent=OrgUnitFactory(name="Pôle solidarités"))  # ambiguous name
    site = SiteFactory(name="Hôtel de région")
    boss = AgentFactory(
        matricule="X001",
        org_unit=direction,
        site=site,
        arrival_date=datetime.date(2015, 1, 5),
        status=Agent.Status.STAGIAIRE,
        filiere=Agent.Filiere.MEDICO_SOCIALE,
        category="A",
        phone="+33 3 88 00 00 00",
    )
    AgentFactory(
        matricule="X002",
        org_unit=service,
        site=site,
        manager=boss,
        last_name='=HYPERLINK("http://x")',
        job_title="@SUM(A1)",
        departure_date=datetime.date(2027, 6, 30),
    )
    AgentFactory(matricule="X003", org_unit=elsewhere, manager=boss, job_title="-2+3")
    AgentFactory(matricule=None, email="sans.matricule@test.local", org_unit=service)
    AgentFactory(matricule="X004", is_active=False, org_unit=service)  # gone: not exported
    return direction, service, elsewhere


def test_the_csv_has_the_import_columns_and_neutralises_formulas(population):
    text = export_csv().decode("utf-8")
    assert text.startswith("\ufeff" + ";".join(HEADERS))
    assert "'=HYPERLINK" in text
    assert "'@SUM(A1)" in text
    assert "'-2+3" in text
    assert "'+33 3 88 00 00 00" in text
    assert "X004" not in text
    assert "Pôle solidarités / Accueil" in text  # an ambiguous name is written as its path
    assert "Stagiaire de la fonction publique" in text
    assert "30/06/2027" in text


def test_a_service_export_includes_its_sub_units_only(population):
    direction, service, elsewhere = population
    text = export_csv(unit=direction).decode("utf-8")
    assert "X001" in text
    assert "X002" in text
    assert "sans.matricule@test.local" in text
    assert "X003" not in text
    lines = export_csv(unit=service).decode("utf-8").splitlines()
    assert sorted(line.split(";")[0] for line in lines[1:]) == ["", "X002"]
    assert not any(line.startswith("X001;") for line in lines)


@pytest.mark.parametrize(("render", "filename"), [(export_csv, "annuaire.csv"), (export_xlsx, "annuaire.xlsx")])
def test_an_export_re_imports_as_no_change(population, render, filename):
    preview = import_preview(content=render(), filename=filename)
    assert not preview.file_errors
    assert [(row.line, row.errors, row.changes) for row in preview.rows if row.status != "unchanged"] == []
    assert preview.counts["unchanged"] == Agent.objects.active().internal().count()


def test_the_xlsx_keeps_formulas_as_text(population):
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export_xlsx())).active
    cells = [cell for row in sheet.iter_rows() for cell in row if str(cell.value).startswith("=HYPERLINK")]
    assert cells
    assert all(cell.data_type == "s" for cell in cells)


def test_the_export_views(client, rh, population):
    direction = population[0]
    client.force_login(rh)
    response = client.get(reverse("directory:export-csv"), {"unite": direction.pk})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"annuaire-{direction.pk}-" in response["Content-Disposition"]
    response = client.get(reverse("directory:export-xlsx"))
    assert response.content.startswith(b"PK")
    assert client.get(reverse("directory:export-csv"), {"unite": "abc"}).status_code == 404
    assert client.get(reverse("directory:export-csv"), {"unite": "999999"}).status_code == 404
