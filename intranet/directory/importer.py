"""Import agents from an HR system's export (CSV or XLSX): read, validate, compare, apply.

The format is documented for HR in docs/import_agents.md. The same code serves the web
flow (upload → preview → apply) and `manage.py import_agents`:

- `import_preview(content=, filename=, create_units=)` reads and validates the file and
  compares every row with the database. It writes nothing.
- `import_apply(content=, filename=, user=, create_units=)` computes the same preview again
  and applies it in one transaction: rows with errors are skipped, the others create or
  update agents (matched by matricule, then by e-mail), managers are resolved in a second
  pass, and one audit-log entry records the counts. Running it twice changes nothing the
  second time.

A file the importer cannot read at all raises `ImportFileError` (with a French message);
everything wrong with a row is reported on that row, with its line number.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from intranet.directory.importfile import (  # noqa: F401 (the file's names, used by the importer's callers too)
    COLUMN_BY_KEY,
    COLUMNS,
    DATE_FORMAT_HELP,
    FIELD_LABELS,
    FORMULA_PREFIXES,
    MAX_ROWS,
    TEXT_LIMITS,
    UNIT_PATH_SEPARATOR,
    Cell,
    Column,
    ImportFileError,
    Table,
    _parse_date,
    import_file_discard,
    import_file_read,
    import_file_store,
    map_headers,
    normalise,
    read_table,
)
from intranet.directory.selectors.orgchart import orgchart_changed
from intranet.models import Agent, OrgUnit, Site
from intranet.services import audit_log_record

BATCH_SIZE = 500

# --- Validating one row -------------------------------------------------------------------


def _choice_index(choices) -> dict[str, str]:
    index = {}
    for value, label in choices:
        index[normalise(value)] = value
        index[normalise(str(label))] = value
    return index


CHOICES = {
    "category": _choice_index([(value, value) for value in Agent.Category.values]),
    "status": _choice_index(Agent.Status.choices),
    "filiere": _choice_index(Agent.Filiere.choices),
}
CHOICE_DISPLAY = {
    "category": dict((value, value) for value in Agent.Category.values),
    "status": dict(Agent.Status.choices),
    "filiere": dict(Agent.Filiere.choices),
}


@dataclass
class Row:
    line: int
    values: dict[str, object]  # field → cleaned value, only for the file's columns
    errors: list[str] = field(default_factory=list)

    @property
    def matricule(self) -> str:
        return self.values.get("matricule") or ""

    @property
    def email(self) -> str:
        return self.values.get("email") or ""


def _clean_row(line: int, cells: list[Cell], positions: dict[str, int]) -> Row:
    row = Row(line=line, values={})
    for key, index in positions.items():
        raw = cells[index] if index < len(cells) else ""
        label = COLUMN_BY_KEY[key].header
        if key in ("arrival_date", "departure_date"):
            row.values[key], error = _parse_date(raw, label)
            if error:
                row.errors.append(error)
            continue
        text = raw.isoformat() if isinstance(raw, date) else " ".join(str(raw).split())
        if key == "email":
            text = text.lower()
            if not text:
                row.errors.append(_("E-mail obligatoire."))
            else:
                try:
                    validate_email(text)
                except ValidationError:
                    row.errors.append(_("E-mail « %(value)s » invalide.") % {"value": text})
        elif key in ("last_name", "first_name") and not text:
            row.errors.append(_("%(label)s obligatoire.") % {"label": label})
        elif key in CHOICES and text:
            value = CHOICES[key].get(normalise(text))
            if value is None:
                allowed = ", ".join(str(label) for label in CHOICE_DISPLAY[key].values())
                row.errors.append(
                    _("%(label)s « %(value)s » inconnu(e) : valeurs possibles %(allowed)s.")
                    % {"label": label, "value": text, "allowed": allowed}
                )
            text = value or ""
        if key in TEXT_LIMITS and len(text) > TEXT_LIMITS[key]:
            row.errors.append(
                _("%(label)s trop long (%(length)s caractères, %(max)s au plus).")
                % {"label": label, "length": len(text), "max": TEXT_LIMITS[key]}
            )
        row.values[key] = text
    arrival, departure = row.values.get("arrival_date"), row.values.get("departure_date")
    if arrival and departure and departure < arrival:
        row.errors.append(_("La date de départ précède la date d'arrivée."))
    if row.values.get("manager") and row.values.get("manager") == row.values.get("matricule"):
        row.errors.append(_("Un agent ne peut pas être son propre responsable."))
    return row


# --- Units and sites ----------------------------------------------------------------------


class UnitIndex:
    """Every org unit, findable by name, sigle or path ("Direction / Service"), without accents
    or case. A name shared by two units is ambiguous: the file must give the path."""

    def __init__(self, units: Iterable[OrgUnit]):
        self.units = {unit.pk: unit for unit in units}
        self.paths: dict[int, tuple[str, ...]] = {}
        for pk in self.units:
            self.paths[pk] = self._path(pk)
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self.by_short_name: dict[str, list[int]] = defaultdict(list)
        for unit in self.units.values():
            self.by_name[normalise(unit.name)].append(unit.pk)
            if unit.short_name:
                self.by_short_name[normalise(unit.short_name)].append(unit.pk)

    def _path(self, pk: int) -> tuple[str, ...]:
        names, seen, unit = [], set(), self.units.get(pk)
        while unit is not None and unit.pk not in seen:
            seen.add(unit.pk)
            names.append(unit.name)
            unit = self.units.get(unit.parent_id)
        return tuple(reversed(names))

    def label(self, pk: int | None) -> str:
        """The name, or the path when the name alone is ambiguous (what the export writes)."""
        if pk is None or pk not in self.units:
            return ""
        unit = self.units[pk]
        if len(self.by_name[normalise(unit.name)]) == 1:
            return unit.name
        return UNIT_PATH_SEPARATOR.join(self.paths[pk])

    def find(self, value: str) -> tuple[int | None, bool]:
        """(unit id or None, ambiguous)."""
        segments = [normalise(part) for part in value.split("/") if part.strip()]
        if not segments:
            return None, False
        if len(segments) == 1:
            found = self.by_name.get(segments[0]) or self.by_short_name.get(segments[0]) or []
        else:
            found = [
                pk
                for pk in self.by_name.get(segments[-1], [])
                if tuple(normalise(name) for name in self.paths[pk][-len(segments) :]) == tuple(segments)
            ]
        if len(found) == 1:
            return found[0], False
        return None, len(found) > 1


class SiteIndex:
    def __init__(self, sites: Iterable[Site]):
        self.sites = {site.pk: site for site in sites}
        self.by_name = {normalise(site.name): site.pk for site in self.sites.values()}

    def label(self, pk: int | None) -> str:
        return self.sites[pk].name if pk in self.sites else ""

    def find(self, value: str) -> int | None:
        return self.by_name.get(normalise(value))


# --- The preview --------------------------------------------------------------------------


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


def _chunks(values: list, size: int = BATCH_SIZE) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _existing_agents(rows: list[Row]) -> tuple[dict[str, Agent], dict[str, Agent]]:
    """The agents the file's rows may designate, by matricule and by e-mail (chunked queries)."""
    matricules = sorted({row.matricule for row in rows if row.matricule})
    emails = sorted({row.email for row in rows if row.email})
    query = Agent.objects.select_related("manager").only(
        *(name for name in FIELD_LABELS if name not in ("org_unit", "site", "manager")),
        "org_unit",
        "site",
        "manager__matricule",
    )
    by_matricule: dict[str, Agent] = {}
    by_email: dict[str, Agent] = {}
    for chunk in _chunks(matricules):
        for agent in query.filter(matricule__in=chunk):
            by_matricule[agent.matricule] = agent
            by_email[agent.email.lower()] = agent
    # Re-running a file: the matricules found them all already, only new e-mails are looked up.
    for chunk in _chunks([email for email in emails if email not in by_email]):
        for agent in query.filter(email__in=chunk):
            by_email[agent.email.lower()] = agent
    return by_matricule, by_email


def _known_matricules(matricules: set[str]) -> set[str]:
    known: set[str] = set()
    for chunk in _chunks(sorted(matricules)):
        known.update(Agent.objects.filter(matricule__in=chunk).values_list("matricule", flat=True))
    return known


def _flag_duplicates(rows: list[Row], key: str, label: str) -> None:
    lines: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        if row.values.get(key):
            lines[row.values[key]].append(row.line)
    for row in rows:
        others = [line for line in lines.get(row.values.get(key) or "", []) if line != row.line]
        if others:
            row.errors.append(
                _("%(label)s « %(value)s » en double dans le fichier (aussi ligne %(lines)s).")
                % {"label": label, "value": row.values[key], "lines": ", ".join(map(str, others))}
            )


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

    rows = [_clean_row(line, cells, positions) for line, cells in table.rows]
    _flag_duplicates(rows, "matricule", _("Matricule"))
    _flag_duplicates(rows, "email", _("E-mail"))
    by_matricule, by_email = _existing_agents(rows)
    units = UnitIndex(OrgUnit.objects.only("pk", "name", "short_name", "parent_id"))
    sites = SiteIndex(Site.objects.only("pk", "name"))

    for row in rows:
        _match_and_resolve(row, preview, by_matricule, by_email, units, sites)
    _check_managers(rows)

    for row in rows:
        preview.rows.append(_compare(row, by_matricule, by_email, units, sites))
    return preview


def _match_and_resolve(row: Row, preview: Preview, by_matricule, by_email, units: UnitIndex, sites: SiteIndex):
    """Find the agent the row designates, and the unit and site it names."""
    agent = by_matricule.get(row.matricule) if row.matricule else None
    by_mail = by_email.get(row.email) if row.email else None
    if agent is None and by_mail is not None:
        if by_mail.matricule and row.matricule:
            row.errors.append(
                _("L'e-mail « %(email)s » est celui d'un autre agent (matricule %(other)s).")
                % {"email": row.email, "other": by_mail.matricule}
            )
        agent = by_mail
    elif agent is not None and by_mail is not None and by_mail.pk != agent.pk:
        row.errors.append(
            _("L'e-mail « %(email)s » est déjà celui d'un autre agent (%(other)s).")
            % {"email": row.email, "other": by_mail.matricule or by_mail.email}
        )
    if agent is None and not row.matricule:
        row.errors.append(_("Matricule obligatoire pour un nouvel agent."))
    row.values["_agent"] = agent

    if "org_unit" in row.values:
        value = row.values["org_unit"]
        row.values["org_unit"] = None
        if value:
            unit_id, ambiguous = units.find(value)
            if ambiguous:
                row.errors.append(
                    _(
                        "Le service « %(value)s » désigne plusieurs unités : écrivez son chemin, par exemple "
                        "« Direction%(sep)s%(value)s »."
                    )
                    % {"value": value, "sep": UNIT_PATH_SEPARATOR}
                )
            elif unit_id is None:
                preview.unknown_units.setdefault(value, []).append(row.line)
                row.values["_new_unit"] = value
                if not preview.create_units:
                    row.errors.append(_("Service inconnu : « %(value)s ».") % {"value": value})
            row.values["org_unit"] = unit_id
    if "site" in row.values:
        value = row.values["site"]
        row.values["site"] = None
        if value:
            site_id = sites.find(value)
            if site_id is None:
                preview.unknown_sites.setdefault(value, []).append(row.line)
                row.values["_new_site"] = value
                if not preview.create_units:
                    row.errors.append(_("Site inconnu : « %(value)s ».") % {"value": value})
            row.values["site"] = site_id


def _check_managers(rows: list[Row]) -> None:
    """A manager must exist already or come from a row without errors; a row whose manager's
    row has errors has an error too (repeated until nothing changes: chains of managers)."""
    wanted = {row.values["manager"] for row in rows if row.values.get("manager")}
    in_database = _known_matricules(wanted)
    lines = {row.matricule: row for row in rows if row.matricule}
    for row in rows:
        matricule = row.values.get("manager")
        if matricule and matricule not in in_database and matricule not in lines:
            row.errors.append(_("Matricule du responsable inconnu : « %(value)s ».") % {"value": matricule})
    changed = True
    while changed:
        changed = False
        for row in rows:
            matricule = row.values.get("manager")
            manager_row = lines.get(matricule) if matricule else None
            if row.errors or manager_row is None or not manager_row.errors or matricule in in_database:
                continue
            row.errors.append(
                _("Le responsable (matricule %(value)s) n'est pas importé : sa ligne %(line)s contient des erreurs.")
                % {"value": matricule, "line": manager_row.line}
            )
            changed = True


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


# --- Applying -----------------------------------------------------------------------------


@dataclass
class ImportResult:
    preview: Preview
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    units_created: list[str] = field(default_factory=list)
    sites_created: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "fichier": self.preview.filename,
            "créés": self.created,
            "modifiés": self.updated,
            "inchangés": self.unchanged,
            "lignes en erreur": self.skipped,
            "services créés": self.units_created,
            "sites créés": self.sites_created,
        }


def _create_units(values: Iterable[str]) -> list[str]:
    """Create the units the file names and the database lacks; "A / B" creates B under A
    (and A at the top if it is missing too)."""
    created: list[str] = []
    units = UnitIndex(OrgUnit.objects.only("pk", "name", "short_name", "parent_id"))

    def ensure(value: str) -> int | None:
        """The unit's id, created if need be; None when a part of the path is ambiguous
        (the row stays in error: HR writes a longer path)."""
        unit_id, ambiguous = units.find(value)
        if unit_id is not None or ambiguous:
            return unit_id
        parts = [part.strip() for part in value.split("/") if part.strip()]
        parent_id = ensure(" / ".join(parts[:-1])) if len(parts) > 1 else None
        if len(parts) > 1 and parent_id is None:
            return None
        unit = OrgUnit.objects.create(name=parts[-1][:200], parent_id=parent_id, kind=OrgUnit.Kind.SERVICE)
        created.append(UNIT_PATH_SEPARATOR.join(parts))
        units.units[unit.pk] = unit
        units.paths[unit.pk] = units._path(unit.pk)
        units.by_name[normalise(unit.name)].append(unit.pk)
        return unit.pk

    for value in values:
        ensure(value)
    return created


def _create_sites(values: Iterable[str]) -> list[str]:
    created = []
    for value in values:
        site, was_created = Site.objects.get_or_create(name=value[:200], defaults={"kind": Site.Kind.AUTRE})
        if was_created:
            created.append(site.name)
    return created


AGENT_FIELDS = (
    "matricule",
    "last_name",
    "first_name",
    "email",
    "job_title",
    "org_unit",
    "site",
    "arrival_date",
    "departure_date",
    "phone",
    "category",
    "status",
    "filiere",
)


def _attribute(key: str) -> str:
    return f"{key}_id" if key in ("org_unit", "site") else key


def import_apply(
    *, content: bytes, filename: str, user, create_units: bool = False, ip_address: str | None = None
) -> ImportResult:
    """Apply the file in one transaction (see the module's docstring). Raises ImportFileError
    when the file cannot be read or the database refuses the whole import."""
    try:
        with transaction.atomic():
            result = _apply(
                content=content, filename=filename, user=user, create_units=create_units, ip_address=ip_address
            )
    except IntegrityError as error:
        raise ImportFileError(
            _("La base de données a refusé l'import (doublon de matricule ou d'e-mail ?) : rien n'a été modifié.")
        ) from error
    # No search column to refresh: the directory's search indexes Agent's own columns
    # (intranet/directory/search.py), so bulk writes need no follow-up.
    return result


def _apply(*, content, filename, user, create_units, ip_address) -> ImportResult:
    first = import_preview(content=content, filename=filename, create_units=create_units)
    if first.file_errors:
        raise ImportFileError(first.file_errors)
    orgchart_changed()  # units, heads, who works where: the cached tree and headcounts go
    result = ImportResult(preview=first)
    if create_units:
        wanted_units = [value for value in first.unknown_units]
        wanted_sites = [value for value in first.unknown_sites]
        result.units_created = _create_units(wanted_units)
        result.sites_created = _create_sites(wanted_sites)
        if wanted_units or wanted_sites:
            # Compare again now that the units exist: rows then point at their real ids, and
            # a unit that could not be created (under an ambiguous path) is an error.
            result.preview = import_preview(content=content, filename=filename, create_units=False)
            result.preview.create_units = True
    preview = result.preview

    creates, updates, update_fields = [], [], set()
    agents_by_pk = {}
    pks = [row.agent_id for row in preview.rows if row.status == "changed"]
    for chunk in _chunks(pks):
        agents_by_pk.update((agent.pk, agent) for agent in Agent.objects.filter(pk__in=chunk))
    for row in preview.rows:
        if row.status == "new":
            values = {_attribute(key): value for key, value in row.values.items() if key in AGENT_FIELDS}
            for key in ("job_title", "phone", "category", "status", "filiere"):
                values[key] = values.get(key) or ""
            creates.append(Agent(password=UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(20), is_active=True, **values))
        elif row.status == "changed":
            agent = agents_by_pk[row.agent_id]
            changed = [change.field for change in row.changes if change.field in AGENT_FIELDS]
            for key in changed:
                value = row.values[key]
                setattr(agent, _attribute(key), "" if value is None and key in TEXT_LIMITS else value)
                update_fields.add(_attribute(key))
            if changed:
                updates.append(agent)
    Agent.objects.bulk_create(creates, batch_size=BATCH_SIZE)
    if updates:
        Agent.objects.bulk_update(updates, sorted(update_fields), batch_size=BATCH_SIZE)
    _apply_managers(preview)

    counts = preview.counts
    result.created, result.updated = counts["new"], counts["changed"]
    result.unchanged, result.skipped = counts["unchanged"], counts["error"]
    audit_log_record(actor=user, action="agent.import", details=result.as_dict(), ip_address=ip_address)
    return result


def _apply_managers(preview: Preview) -> None:
    """Second pass: every agent now exists, so managers resolve by matricule."""
    rows = [
        row
        for row in preview.rows
        if row.status in ("new", "changed") and any(change.field == "manager" for change in row.changes)
    ]
    if not rows:
        return
    matricules = {row.values["manager"] for row in rows if row.values["manager"]}
    matricules |= {row.matricule for row in rows if row.agent_id is None}
    ids: dict[str, int] = {}
    for chunk in _chunks(sorted(matricules)):
        ids.update(Agent.objects.filter(matricule__in=chunk).values_list("matricule", "pk"))
    # One UPDATE per manager (and batch): a team shares its manager, so this is far fewer
    # statements than rows, and each is simpler than bulk_update's CASE over every row.
    teams: dict[int | None, list[int]] = defaultdict(list)
    for row in rows:
        manager_id = ids.get(row.values["manager"]) if row.values["manager"] else None
        teams[manager_id].append(row.agent_id or ids[row.matricule])
    for manager_id, agent_ids in teams.items():
        for chunk in _chunks(agent_ids):
            Agent.objects.filter(pk__in=chunk).update(manager_id=manager_id)
