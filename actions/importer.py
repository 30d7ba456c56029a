"""Import the plan of an administration from a spreadsheet (CSV or XLSX), documented for HR
in docs/plan_import.md; `plan_import_template_xlsx/csv()` write the template to fill in.

One row per action card. The file is read with the directory's agent import helpers
(`intranet.directory.importer`: encodings, delimiters, XLSX, formulas, dates), validated row
by row with line-numbered French errors, and turned into the data `actions.services.plan_loading.plan_load`
takes (the format of actions/data/*.json), so the import is idempotent: a second run of the
same file changes nothing, cards are matched by their number.

- `plan_import_preview(content=, filename=, title=)` reads, validates and compares with the
  plan of the same identifier; writes nothing.
- `plan_import_apply(content=, filename=, user=, title=, ...)` refuses a file with errors (a
  plan is all or nothing) and loads the rest in one transaction.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from actions.models import ActionCard, Indicator, Plan
from intranet.directory.importer import Column, ImportFileError, _parse_date, map_headers, normalise, read_table

LINE_SEPARATOR = " | "  # inside a cell: "Réunir le groupe de travail | 31/03/2025"
NUMBER_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})$")

COLUMNS = (
    Column("objective_number", "N° objectif", ("numero objectif", "objectif n", "num objectif")),
    Column("objective_title", "Objectif", ("intitule de l objectif", "titre de l objectif")),
    Column("number", "N° action", ("numero action", "numero de l action", "action n", "numero")),
    Column("title", "Action", ("intitule de l action", "titre de l action", "intitule")),
    Column("subtitle", "Sous-titre", (), required=False),
    Column("context_note", "En lien avec", (), required=False),
    Column("objectives", "Objectifs de l'action", ("objectifs",), required=False),
    Column("steps", "Étapes", ("modalites et etapes", "etapes de mise en oeuvre", "modalites"), required=False),
    Column("resources", "Ressources", ("ressources necessaires",), required=False),
    Column("indicators", "Indicateurs", ("indicateurs d evaluation",), required=False),
    Column("pilot_label", "Pilote", ("pilotes",), required=False),
    Column("start_date", "Date de début", ("debut",), required=False),
    Column("end_date", "Date de fin", ("fin",), required=False),
    Column("status", "Statut", (), required=False),
    Column("links", "Actions liées", ("liens", "lien avec", "liens avec d autres actions"), required=False),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
STATUS_INDEX = {
    **{normalise(value): value for value in ActionCard.Status.values},
    **{normalise(str(label)): value for value, label in ActionCard.Status.choices},
}
DIRECTION_INDEX = {
    "": Indicator.Direction.HIGHER,
    "hausse": Indicator.Direction.HIGHER,
    "haut": Indicator.Direction.HIGHER,
    "baisse": Indicator.Direction.LOWER,
    "bas": Indicator.Direction.LOWER,
}
TEXT_LIMITS = {"objective_title": 255, "title": 255, "subtitle": 255, "context_note": 255, "pilot_label": 255}

EXAMPLE_ROWS = [
    [
        "1",
        "Co construire les politiques intra et interservices",
        "1.1",
        "Former les agents au reporting (prise de note/ rapport)",
        "",
        "",
        "Améliorer la communication entre les agents et les élus\nValoriser le travail effectué",
        "Inscription de l'action au plan de formation | 31/12/2022\nMise en œuvre de plusieurs sessions",
        "Ressources Humaines",
        "Nombre d'agents formés | agents | 0 | 40 | hausse\nRetour des agents et des élus",
        "DGA",
        "01/01/2022",
        "31/12/2023",
        "En cours",
        "1.2",
    ],
    [
        "1",
        "Co construire les politiques intra et interservices",
        "1.2",
        "Favoriser les échanges et la convivialité entre les services",
        "",
        "",
        "",
        "",
        "",
        "",
        "Direction",
        "",
        "",
        "",
        "",
    ],
]


# --- Reading and validating ---------------------------------------------------------------------


@dataclass
class CardRow:
    line: int
    values: dict
    errors: list[str] = field(default_factory=list)
    status: str = ""  # "new", "changed", "unchanged", "error" (set by the preview)

    @property
    def number(self) -> str:
        return self.values.get("number", "")


@dataclass
class PlanPreview:
    filename: str
    title: str
    slug: str
    plan_exists: bool
    rows: list[CardRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # card numbers of the plan the file no longer has

    @property
    def errors(self) -> list[tuple[int, str]]:
        return [(row.line, error) for row in self.rows for error in row.errors]

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors or self.errors)

    @property
    def objective_count(self) -> int:
        return len({row.values.get("objective_number") for row in self.rows})

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def count_new(self) -> int:
        return self.count("new")

    @property
    def count_changed(self) -> int:
        return self.count("changed")

    @property
    def count_unchanged(self) -> int:
        return self.count("unchanged")


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


def plan_slug(title: str) -> str:
    return slugify(title)[:100] or "plan"


def plan_data(
    *,
    rows: list[CardRow],
    title: str,
    slug: str,
    organisation: str = "",
    period_start: date | None = None,
    period_end: date | None = None,
) -> dict:
    """The rows as the data `plan_load` takes (cards in the file's order within each objective)."""
    objectives: dict[int, dict] = {}
    for row in rows:
        values = row.values
        objective = objectives.setdefault(
            values["objective_number"],
            {"number": values["objective_number"], "title": values["objective_title"], "cards": []},
        )
        card = {
            key: values[key]
            for key in (
                "number",
                "title",
                "subtitle",
                "context_note",
                "pilot_label",
                "objectives",
                "resources",
                "steps",
                "indicators",
                "links",
                "status",
            )
        }
        for key in ("start_date", "end_date"):
            if values.get(key):
                card[key] = values[key].isoformat()
        objective["cards"].append(card)
    for objective in objectives.values():
        objective["cards"].sort(key=lambda card: int(NUMBER_RE.match(card["number"]).group(2)))
    return {
        "slug": slug,
        "title": title,
        "organisation": organisation,
        "period_start": period_start.isoformat() if period_start else None,
        "period_end": period_end.isoformat() if period_end else None,
        "objectives": [objectives[number] for number in sorted(objectives)],
    }


def _card_signature(card: ActionCard) -> tuple:
    """What the file says about a card, read from the database, to tell changed from unchanged."""
    return (
        card.objective.number,
        card.objective.title,
        card.title,
        card.subtitle,
        card.context_note,
        card.pilot_label,
        card.objectives_list,
        card.resources_list,
        [(s.title, s.due_date) for s in card.steps.all()],
        [(i.definition, i.unit, i.baseline, i.target, i.direction) for i in card.indicators.all()],
    )


def _row_signature(row: CardRow, card: ActionCard) -> tuple:
    values = row.values
    steps = [(s["title"], date.fromisoformat(s["due_date"]) if s.get("due_date") else None) for s in values["steps"]]
    # The file's empty due dates, units or targets leave the database's as they are (see plan_load).
    existing_steps = {s.position: s for s in card.steps.all()}
    steps = [
        (title, due or getattr(existing_steps.get(n), "due_date", None))
        for n, (title, due) in enumerate(steps, start=1)
    ]
    existing_indicators = {i.position: i for i in card.indicators.all()}
    indicators = []
    for n, i in enumerate(values["indicators"], start=1):
        old = existing_indicators.get(n)
        indicators.append(
            (
                i["definition"],
                i.get("unit") or getattr(old, "unit", ""),
                Decimal(i["baseline"]) if "baseline" in i else getattr(old, "baseline", None),
                Decimal(i["target"]) if "target" in i else getattr(old, "target", None),
                i.get("direction") or getattr(old, "direction", Indicator.Direction.HIGHER),
            )
        )
    return (
        values["objective_number"],
        values["objective_title"],
        values["title"],
        values["subtitle"],
        values["context_note"],
        values["pilot_label"],
        values["objectives"],
        values["resources"],
        steps,
        indicators,
    )


def plan_import_preview(*, content: bytes, filename: str, title: str) -> PlanPreview:
    """Read and check the file, compare it with the plan of the same identifier. Writes nothing."""
    slug = plan_slug(title)
    plan = Plan.objects.filter(slug=slug).first()
    preview = PlanPreview(filename=filename, title=title, slug=slug, plan_exists=plan is not None)
    try:
        table = read_table(content=content, filename=filename)
    except ImportFileError as error:
        preview.file_errors = error.messages
        return preview
    if not table.headers:
        preview.file_errors = [_("Le fichier est vide.")]
        return preview
    positions, errors, preview.ignored_columns = map_headers(table.headers, COLUMNS)
    if errors:
        preview.file_errors = errors
        return preview
    preview.rows = [_clean_row(line, cells, positions) for line, cells in table.rows]
    if not preview.rows:
        preview.file_errors = [_("Le fichier ne contient aucune action.")]
        return preview
    _check_across_rows(preview.rows)
    existing = {}
    if plan is not None:
        existing = {
            card.number: card
            for card in plan.cards.select_related("objective").prefetch_related("steps", "indicators", "related_cards")
        }
        numbers = {row.number for row in preview.rows}
        preview.removed = sorted(
            (n for n in existing if n not in numbers),
            key=lambda n: [int(p) if p.isdigit() else 0 for p in n.split(".")],
        )
    for row in preview.rows:
        if row.errors:
            row.status = "error"
        elif row.number not in existing:
            row.status = "new"
        else:
            card = existing[row.number]
            same = _card_signature(card) == _row_signature(row, card)
            # Links are only ever added (a link is both ways: the other card's row may have made it).
            same = same and set(row.values["links"]) <= {other.number for other in card.related_cards.all()}
            same = same and (not row.values["status"] or row.values["status"] == card.status)
            for key in ("start_date", "end_date"):
                same = same and (not row.values.get(key) or row.values[key] == getattr(card, key))
            row.status = "unchanged" if same else "changed"
    return preview


@dataclass
class PlanImportResult:
    plan: Plan
    created: int
    changed: int
    unchanged: int
    removed: int


def plan_import_apply(
    *,
    content: bytes,
    filename: str,
    user,
    title: str,
    organisation: str = "",
    period_start: date | None = None,
    period_end: date | None = None,
    make_current: bool = True,
) -> PlanImportResult:
    """Load the file's plan (created, or updated in place when its identifier exists). A file
    with any error is refused whole (`ImportFileError` listing the errors by line)."""
    preview = plan_import_preview(content=content, filename=filename, title=title)
    if preview.has_errors:
        messages = list(preview.file_errors)
        messages += [_("Ligne %(line)s : %(error)s") % {"line": line, "error": error} for line, error in preview.errors]
        raise ImportFileError(messages)
    data = plan_data(
        rows=preview.rows,
        title=title,
        slug=preview.slug,
        organisation=organisation,
        period_start=period_start,
        period_end=period_end,
    )
    try:
        return _apply(data=data, preview=preview, user=user, filename=filename, make_current=make_current)
    except (ValidationError, IntegrityError) as error:  # what the checks above did not foresee: nothing is stored
        raise ImportFileError(
            _("Le plan n'a pas pu être importé : %(error)s")
            % {"error": "; ".join(getattr(error, "messages", [str(error)]))}
        ) from error


@transaction.atomic
def _apply(*, data: dict, preview: PlanPreview, user, filename: str, make_current: bool) -> PlanImportResult:
    from actions.services.plan_loading import plan_load
    from intranet.services import audit_log_record

    plan = plan_load(data=data)
    if make_current:
        Plan.objects.exclude(pk=plan.pk).filter(is_current=True).update(is_current=False)
        if not plan.is_current:
            plan.is_current = True
            plan.save(update_fields=["is_current"])
    result = PlanImportResult(
        plan=plan,
        created=preview.count("new"),
        changed=preview.count("changed"),
        unchanged=preview.count("unchanged"),
        removed=len(preview.removed),
    )
    audit_log_record(
        actor=user,
        action="plan.import",
        target=plan,
        details={
            "fichier": filename,
            "creees": result.created,
            "modifiees": result.changed,
            "inchangees": result.unchanged,
            "supprimees": result.removed,
        },
    )
    return result


# --- The template to fill in ----------------------------------------------------------------------


def template_headers() -> list[str]:
    return [column.header for column in COLUMNS]


def plan_import_template_csv() -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(template_headers())
    writer.writerows(EXAMPLE_ROWS)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def plan_import_template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Actions")
    sheet.append(template_headers())
    for row in EXAMPLE_ROWS:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.number_format = "@"  # text: 1.10 stays 1.10, dates stay as typed
    for index, width in enumerate([8, 30, 8, 40, 20, 20, 40, 50, 25, 50, 15, 12, 12, 12, 12]):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    notes = workbook.create_sheet(_("Mode d'emploi"))
    for line in (
        _("Une ligne par fiche action. Colonnes obligatoires : N° objectif, Objectif, N° action, Action."),
        _(
            "Dans une cellule, un élément par ligne (Alt+Entrée dans Excel) : objectifs, étapes, ressources, "
            "indicateurs."
        ),
        _("Étape : « intitulé | échéance JJ/MM/AAAA » (l'échéance est facultative)."),
        _(
            "Indicateur : « définition | unité | valeur de départ | cible | hausse ou baisse » (seule la "
            "définition est obligatoire)."
        ),
        _("Statut : À lancer, En cours, En retard, Réalisée, Reportée ou Abandonnée ; vide : inchangé."),
        _("Actions liées : les numéros séparés par des virgules, par exemple 3.3, 4.1."),
        _("La documentation complète : docs/plan_import.md."),
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
