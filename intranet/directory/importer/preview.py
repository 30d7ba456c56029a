"""The preview: the file read, every row validated and compared with the database, what would
change field by field. It writes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from intranet.directory.importer.matching import check_managers, existing_agents, match_and_resolve
from intranet.directory.importer.reading import FIELD_LABELS, ImportFileError, map_headers, read_table
from intranet.directory.importer.rows import CHOICE_DISPLAY, Row, clean_row, flag_duplicates
from intranet.directory.importer.units import SiteIndex, UnitIndex
from intranet.models import Agent, OrgUnit, Site


@dataclass
class Change:
    field: str
    label: str
    old: str
    new: str


@dataclass
class PreviewRow:
    line: int
    matricule: str
    name: str
    email: str
    status: str  # "new", "changed", "unchanged" or "error"
    changes: list[Change] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    agent_id: int | None = None
    values: dict[str, object] = field(default_factory=dict, repr=False)  # resolved, for apply


@dataclass
class Preview:
    filename: str
    create_units: bool
    file_errors: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    rows: list[PreviewRow] = field(default_factory=list)
    unknown_units: dict[str, list[int]] = field(default_factory=dict)  # value → lines
    unknown_sites: dict[str, list[int]] = field(default_factory=dict)

    def with_status(self, status: str) -> list[PreviewRow]:
        return [row for row in self.rows if row.status == status]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(("new", "changed", "unchanged", "error"), 0)
        for row in self.rows:
            counts[row.status] += 1
        return counts

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or any(row.status == "error" for row in self.rows)

    @property
    def has_changes(self) -> bool:
        counts = self.counts
        creates = self.create_units and (self.unknown_units or self.unknown_sites)
        return bool(counts["new"] or counts["changed"] or creates)


def _display(key: str, value, units: UnitIndex, sites: SiteIndex, pending: str = "") -> str:
    if value is None or value == "":
        return pending
    if key == "org_unit":
        return units.label(value)
    if key == "site":
        return sites.label(value)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if key in CHOICE_DISPLAY:
        return str(CHOICE_DISPLAY[key].get(value, value))
    return str(value)


def import_preview(*, content: bytes, filename: str, create_units: bool = False) -> Preview:
    """Read, validate and compare with the database; writes nothing. A file that cannot be
    read at all comes back with `file_errors` and no rows."""
    preview = Preview(filename=filename, create_units=create_units)
    try:
        table = read_table(content=content, filename=filename)
    except ImportFileError as error:
        preview.file_errors = error.messages
        return preview
    if not table.headers:
        preview.file_errors = [_("Le fichier est vide.")]
        return preview
    positions, errors, preview.ignored_columns = map_headers(table.headers)
    if errors:
        preview.file_errors = errors
        return preview
    if not table.rows:
        preview.file_errors = [_("Le fichier ne contient aucune ligne d'agent sous les en-têtes.")]
        return preview

    rows = [clean_row(line, cells, positions) for line, cells in table.rows]
    flag_duplicates(rows, "matricule", _("Matricule"))
    flag_duplicates(rows, "email", _("E-mail"))
    by_matricule, by_email = existing_agents(rows)
    units = UnitIndex(OrgUnit.objects.only("pk", "name", "short_name", "parent_id"))
    sites = SiteIndex(Site.objects.only("pk", "name"))

    for row in rows:
        match_and_resolve(row, preview, by_matricule, by_email, units, sites)
    check_managers(rows)

    for row in rows:
        preview.rows.append(_compare(row, by_matricule, by_email, units, sites))
    return preview


def _compare(row: Row, by_matricule, by_email, units: UnitIndex, sites: SiteIndex) -> PreviewRow:
    agent: Agent | None = row.values.pop("_agent", None)
    new_unit, new_site = row.values.pop("_new_unit", ""), row.values.pop("_new_site", "")
    name = " ".join(filter(None, [str(row.values.get("last_name", "")), str(row.values.get("first_name", ""))]))
    result = PreviewRow(
        line=row.line,
        matricule=row.matricule or (agent.matricule if agent else "") or "",
        name=name,
        email=row.email,
        status="error",
        errors=row.errors,
        agent_id=agent.pk if agent else None,
        values=row.values,
    )
    if row.errors:
        return result
    pending_labels = {
        "org_unit": f"{new_unit} (à créer)" if new_unit else "",
        "site": f"{new_site} (à créer)" if new_site else "",
    }
    for key, value in row.values.items():
        if key == "matricule" and not value:
            continue  # matched by e-mail: an empty matricule leaves the agent's one
        new = pending_labels.get(key, "") if value is None and key in pending_labels else None
        if key == "manager":
            old_value = agent.manager.matricule if agent and agent.manager_id and agent.manager else ""
            if (value or "") != (old_value or ""):
                result.changes.append(Change(key, FIELD_LABELS[key], old_value or "", value or ""))
            continue
        attribute = f"{key}_id" if key in ("org_unit", "site") else key
        old_value = getattr(agent, attribute) if agent else None
        empty = (None, "")
        if (old_value in empty and value in empty) and not new:
            continue
        if old_value == value and not new:
            continue
        result.changes.append(
            Change(
                key,
                FIELD_LABELS[key],
                _display(key, old_value, units, sites),
                new or _display(key, value, units, sites),
            )
        )
    if agent is None:
        result.status = "new"
    else:
        result.status = "changed" if result.changes else "unchanged"
    return result
