"""Applying the preview in one transaction: units and sites created if asked, agents created and
updated in bulk, managers resolved in a second pass, one audit-log entry."""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from intranet.directory.importer.matching import BATCH_SIZE, chunks
from intranet.directory.importer.preview import Preview, import_preview
from intranet.directory.importer.reading import TEXT_LIMITS, UNIT_PATH_SEPARATOR, ImportFileError, normalise
from intranet.directory.importer.units import UnitIndex
from intranet.directory.selectors.orgchart import orgchart_changed
from intranet.models import Agent, OrgUnit, Site
from intranet.services import audit_log_record


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
    """Apply the file in one transaction (see the package's docstring). Raises ImportFileError
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
    for chunk in chunks(pks):
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
    for chunk in chunks(sorted(matricules)):
        ids.update(Agent.objects.filter(matricule__in=chunk).values_list("matricule", "pk"))
    # One UPDATE per manager (and batch): a team shares its manager, so this is far fewer
    # statements than rows, and each is simpler than bulk_update's CASE over every row.
    teams: dict[int | None, list[int]] = defaultdict(list)
    for row in rows:
        manager_id = ids.get(row.values["manager"]) if row.values["manager"] else None
        teams[manager_id].append(row.agent_id or ids[row.matricule])
    for manager_id, agent_ids in teams.items():
        for chunk in chunks(agent_ids):
            Agent.objects.filter(pk__in=chunk).update(manager_id=manager_id)
