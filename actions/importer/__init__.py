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

By subject:
- `columns`: the spreadsheet's columns and the words its cells may hold;
- `parsing`: each row read and validated, then the checks across rows;
- `preview`: the comparison with the plan of the same identifier;
- `writing`: the data `plan_load` takes, loaded in one transaction;
- `template`: the template to fill in (CSV, XLSX).

Every public name is re-exported here: callers import from `actions.importer`.
"""

from actions.importer.columns import (
    COLUMN_BY_KEY,
    COLUMNS,
    DIRECTION_INDEX,
    LINE_SEPARATOR,
    NUMBER_RE,
    STATUS_INDEX,
    TEXT_LIMITS,
)
from actions.importer.parsing import CardRow
from actions.importer.preview import PlanPreview, plan_import_preview, plan_slug
from actions.importer.template import (
    EXAMPLE_ROWS,
    plan_import_template_csv,
    plan_import_template_xlsx,
    template_headers,
)
from actions.importer.writing import PlanImportResult, plan_data, plan_import_apply

__all__ = [
    "COLUMNS",
    "COLUMN_BY_KEY",
    "CardRow",
    "DIRECTION_INDEX",
    "EXAMPLE_ROWS",
    "LINE_SEPARATOR",
    "NUMBER_RE",
    "PlanImportResult",
    "PlanPreview",
    "STATUS_INDEX",
    "TEXT_LIMITS",
    "plan_data",
    "plan_import_apply",
    "plan_import_preview",
    "plan_import_template_csv",
    "plan_import_template_xlsx",
    "plan_slug",
    "template_headers",
]
