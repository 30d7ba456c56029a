"""Reading and validating: each row of the file turned into a card's values, with line-numbered
French errors, then the checks across rows (numbers unique, linked actions present)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from actions.importer.columns import (
    COLUMN_BY_KEY,
    DIRECTION_INDEX,
    LINE_SEPARATOR,
    NUMBER_RE,
    STATUS_INDEX,
    TEXT_LIMITS,
)
from actions.models import ActionCard
from intranet.directory.importer import _parse_date, normalise


@dataclass
class CardRow:
    line: int
    values: dict
    errors: list[str] = field(default_factory=list)
    status: str = ""  # "new", "changed", "unchanged", "error" (set by the preview)

    @property
    def number(self) -> str:
        return self.values.get("number", "")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in re.split(r"\r\n|\r|\n", text) if line.strip()]


def _decimal(text: str) -> Decimal | None:
    text = text.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".").rstrip("%")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite() or abs(value) >= Decimal("1e10"):
        raise ValueError(text)
    return value.quantize(Decimal("0.01"))


def _parse_steps(text: str, row: CardRow) -> list[dict]:
    steps = []
    for index, line in enumerate(_lines(text), start=1):
        title, _sep, due = (part.strip() for part in line.partition(LINE_SEPARATOR.strip()))
        step = {"title": title}
        if due:
            value, error = _parse_date(due, _("Échéance de l'étape %(n)s") % {"n": index})
            if error:
                row.errors.append(error)
            elif value:
                step["due_date"] = value.isoformat()
        if not title:
            row.errors.append(_("L'étape %(n)s n'a pas d'intitulé.") % {"n": index})
        steps.append(step)
    return steps


def _parse_indicators(text: str, row: CardRow) -> list[dict]:
    indicators = []
    for index, line in enumerate(_lines(text), start=1):
        parts = [part.strip() for part in line.split(LINE_SEPARATOR.strip())]
        parts += [""] * (5 - len(parts))
        definition, unit, baseline, target, direction = parts[:5]
        indicator = {"definition": definition, "unit": unit[:50]}
        if not definition:
            row.errors.append(_("L'indicateur %(n)s n'a pas de définition.") % {"n": index})
        for key, raw, label in (("baseline", baseline, _("valeur de départ")), ("target", target, _("cible"))):
            try:
                value = _decimal(raw)
            except ValueError:
                row.errors.append(
                    _("Indicateur %(n)s : %(label)s « %(value)s » n'est pas un nombre.")
                    % {"n": index, "label": label, "value": raw}
                )
                continue
            if value is not None:
                indicator[key] = str(value)
        value = DIRECTION_INDEX.get(normalise(direction))
        if value is None:
            row.errors.append(
                _("Indicateur %(n)s : sens « %(value)s » inconnu (hausse ou baisse).")
                % {"n": index, "value": direction}
            )
        else:
            indicator["direction"] = value
        if len(parts) > 5 and any(parts[5:]):
            row.errors.append(_("Indicateur %(n)s : trop de parties séparées par « | » (5 au plus).") % {"n": index})
        indicators.append(indicator)
    return indicators


def _clean_row(line: int, cells: list, positions: dict[str, int]) -> CardRow:
    row = CardRow(line=line, values={})
    raw = {}
    for key, index in positions.items():
        value = cells[index] if index < len(cells) else ""
        raw[key] = value
    for key in ("start_date", "end_date"):
        if key in raw:
            value, error = _parse_date(raw[key], COLUMN_BY_KEY[key].header)
            if error:
                row.errors.append(error)
            row.values[key] = value
    text = {
        key: (value.isoformat() if isinstance(value, date) else str(value).strip())
        for key, value in raw.items()
        if key not in ("start_date", "end_date")
    }
    for key in (
        "objective_number",
        "objective_title",
        "number",
        "title",
        "subtitle",
        "context_note",
        "pilot_label",
        "status",
        "links",
    ):
        text[key] = " ".join(text.get(key, "").split())
    for key in ("objective_number", "objective_title", "number", "title"):
        if not text[key]:
            row.errors.append(_("%(label)s obligatoire.") % {"label": COLUMN_BY_KEY[key].header})
    if text["objective_number"] and not (text["objective_number"].isdigit() and int(text["objective_number"]) >= 1):
        row.errors.append(
            _("N° objectif « %(value)s » invalide : un nombre entier à partir de 1.")
            % {"value": text["objective_number"]}
        )
    match = NUMBER_RE.match(text["number"])
    if text["number"] and not match:
        row.errors.append(
            _("N° action « %(value)s » invalide : attendu « objectif.rang », par exemple 1.3.")
            % {"value": text["number"]}
        )
    elif match and text["objective_number"].isdigit() and int(match.group(1)) != int(text["objective_number"]):
        row.errors.append(
            _("L'action %(number)s n'appartient pas à l'objectif %(objective)s.")
            % {"number": text["number"], "objective": text["objective_number"]}
        )
    for key, limit in TEXT_LIMITS.items():
        if len(text.get(key, "")) > limit:
            row.errors.append(
                _("%(label)s trop long (%(length)s caractères, %(max)s au plus).")
                % {"label": COLUMN_BY_KEY[key].header, "length": len(text[key]), "max": limit}
            )
    status = ""
    if text["status"]:
        status = STATUS_INDEX.get(normalise(text["status"]), "")
        if not status:
            row.errors.append(
                _("Statut « %(value)s » inconnu : valeurs possibles %(allowed)s.")
                % {"value": text["status"], "allowed": ", ".join(str(label) for label in ActionCard.Status.labels)}
            )
    start, end = row.values.get("start_date"), row.values.get("end_date")
    if start and end and end < start:
        row.errors.append(_("La date de fin précède la date de début."))
    links = [n.strip() for n in re.split(r"[,;\s]+", text["links"]) if n.strip()]
    for number in links:
        if not NUMBER_RE.match(number):
            row.errors.append(
                _("Action liée « %(value)s » invalide : attendu un numéro comme 3.3.") % {"value": number}
            )
    row.values.update(
        objective_number=int(text["objective_number"]) if text["objective_number"].isdigit() else None,
        objective_title=text["objective_title"],
        number=text["number"],
        title=text["title"],
        subtitle=text["subtitle"],
        context_note=text["context_note"],
        pilot_label=text["pilot_label"],
        status=status,
        links=links,
        objectives=_lines(text.get("objectives", "")),
        resources=_lines(text.get("resources", "")),
        steps=_parse_steps(text.get("steps", ""), row),
        indicators=_parse_indicators(text.get("indicators", ""), row),
    )
    return row


def _check_across_rows(rows: list[CardRow]) -> None:
    first_line: dict[str, int] = {}
    objective_titles: dict[int, tuple[str, int]] = {}
    numbers = {row.number for row in rows if row.number}
    for row in rows:
        if row.number:
            if row.number in first_line:
                row.errors.append(
                    _("L'action %(number)s figure déjà à la ligne %(line)s.")
                    % {"number": row.number, "line": first_line[row.number]}
                )
            else:
                first_line[row.number] = row.line
        objective = row.values.get("objective_number")
        if objective is not None and row.values["objective_title"]:
            known = objective_titles.setdefault(objective, (row.values["objective_title"], row.line))
            if known[0] != row.values["objective_title"]:
                row.errors.append(
                    _("L'objectif %(n)s porte un autre intitulé à la ligne %(line)s : « %(title)s ».")
                    % {"n": objective, "line": known[1], "title": known[0]}
                )
        for number in row.values.get("links", []):
            if number == row.number:
                row.errors.append(_("Une action ne peut pas être liée à elle-même."))
            elif NUMBER_RE.match(number) and number not in numbers:
                row.errors.append(_("Action liée %(number)s absente du fichier.") % {"number": number})
