"""Writing: the checked rows turned into the data `plan_load` takes, and the plan loaded in one
transaction (a file with any error is refused whole)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from actions.importer.columns import NUMBER_RE
from actions.importer.parsing import CardRow
from actions.importer.preview import PlanPreview, plan_import_preview
from actions.models import Plan
from intranet.directory.importer import ImportFileError
from intranet.kept import model_version_name, renew


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
        renew(model_version_name("actions.Plan"))  # an update: no signal renews the kept plan pages
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
