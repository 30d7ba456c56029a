"""One row of the file, cleaned and checked on its own and against the file's other rows:
required cells, e-mails, choices, dates, lengths, a matricule or e-mail given twice."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from intranet.directory.importer.reading import COLUMN_BY_KEY, TEXT_LIMITS, Cell, _parse_date, normalise
from intranet.models import Agent


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


def clean_row(line: int, cells: list[Cell], positions: dict[str, int]) -> Row:
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


def flag_duplicates(rows: list[Row], key: str, label: str) -> None:
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
