"""The preview: the file read and checked, each row compared with the card of the same number in
the plan of the same identifier (new, changed, unchanged, in error). Writes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.text import slugify
from django.utils.translation import gettext as _

from actions.importer.columns import COLUMNS
from actions.importer.parsing import CardRow, _check_across_rows, _clean_row
from actions.models import ActionCard, Indicator, Plan
from intranet.directory.importer import ImportFileError, map_headers, read_table


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


def plan_slug(title: str) -> str:
    return slugify(title)[:100] or "plan"


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
