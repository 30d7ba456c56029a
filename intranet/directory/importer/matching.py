"""Which agent each row designates (by matricule, then by e-mail), which unit and site it names,
and whether its manager exists or is imported with it. Queries go by chunks of BATCH_SIZE."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from intranet.directory.importer.reading import FIELD_LABELS, UNIT_PATH_SEPARATOR
from intranet.directory.importer.rows import Row
from intranet.directory.importer.units import SiteIndex, UnitIndex
from intranet.models import Agent

if TYPE_CHECKING:
    from intranet.directory.importer.preview import Preview

BATCH_SIZE = 500


def chunks(values: list, size: int = BATCH_SIZE) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def existing_agents(rows: list[Row]) -> tuple[dict[str, Agent], dict[str, Agent]]:
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
    for chunk in chunks(matricules):
        for agent in query.filter(matricule__in=chunk):
            by_matricule[agent.matricule] = agent
            by_email[agent.email.lower()] = agent
    # Re-running a file: the matricules found them all already, only new e-mails are looked up.
    for chunk in chunks([email for email in emails if email not in by_email]):
        for agent in query.filter(email__in=chunk):
            by_email[agent.email.lower()] = agent
    return by_matricule, by_email


def _known_matricules(matricules: set[str]) -> set[str]:
    known: set[str] = set()
    for chunk in chunks(sorted(matricules)):
        known.update(Agent.objects.filter(matricule__in=chunk).values_list("matricule", flat=True))
    return known


def match_and_resolve(row: Row, preview: Preview, by_matricule, by_email, units: UnitIndex, sites: SiteIndex):
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


def check_managers(rows: list[Row]) -> None:
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
