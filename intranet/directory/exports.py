"""The directory as a file (CSV or XLSX), in the import's own columns: an export re-imports
as "no change". For HR: it carries matricules, phones and dates whatever the agents' choices
of visibility."""

import csv
import io

from django.db.models import QuerySet

from intranet.directory.importer import CHOICE_DISPLAY, COLUMNS, FORMULA_PREFIXES, UnitIndex
from intranet.directory.services.orgchart import orgunit_descendant_ids
from intranet.models import Agent, OrgUnit

HEADERS = [column.header for column in COLUMNS]


def export_agents(*, unit: OrgUnit | None = None) -> QuerySet[Agent]:
    """The active internal agents of `unit` and its sub-units, or of the whole administration."""
    agents = (
        Agent.objects.active().internal().select_related("site", "manager").order_by("last_name", "first_name", "pk")
    )
    if unit is not None:
        agents = agents.filter(org_unit_id__in={unit.pk, *orgunit_descendant_ids(unit=unit)})
    return agents


def export_rows(*, unit: OrgUnit | None = None):
    """The header row, then one list of strings per agent."""
    units = UnitIndex(OrgUnit.objects.only("pk", "name", "short_name", "parent_id"))
    yield HEADERS
    for agent in export_agents(unit=unit).iterator(chunk_size=2000):
        yield [
            agent.matricule or "",
            agent.last_name,
            agent.first_name,
            agent.email,
            agent.job_title,
            units.label(agent.org_unit_id),
            agent.site.name if agent.site else "",
            agent.manager.matricule or "" if agent.manager else "",
            agent.arrival_date.strftime("%d/%m/%Y") if agent.arrival_date else "",
            agent.departure_date.strftime("%d/%m/%Y") if agent.departure_date else "",
            agent.phone,
            agent.category,
            str(CHOICE_DISPLAY["status"].get(agent.status, "")) if agent.status else "",
            str(CHOICE_DISPLAY["filiere"].get(agent.filiere, "")) if agent.filiere else "",
        ]


def neutralise_formula(value: str) -> str:
    """A cell starting with =, +, -, @ (or a tab, a carriage return) is a formula to a
    spreadsheet: prefix it with an apostrophe (the importer takes it off again)."""
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


def export_csv(*, unit: OrgUnit | None = None) -> bytes:
    """UTF-8 with a BOM and `;`: what Excel opens correctly in France."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in export_rows(unit=unit):
        writer.writerow([neutralise_formula(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_xlsx(*, unit: OrgUnit | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Agents")
    for row in export_rows(unit=unit):
        cells = []
        for value in row:
            if value.startswith("="):  # openpyxl would write it as a formula: force text
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"
                value = cell
            cells.append(value)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
