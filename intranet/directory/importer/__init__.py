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

One module per step; this package's names are the importer's interface:

- `reading`: the columns, the file read as a table (CSV or XLSX), headers and dates;
- `uploads`: the uploaded file kept between the preview and the apply;
- `rows`: one row cleaned and checked, duplicates within the file;
- `units`: the org units and sites a file names;
- `matching`: the agent, unit, site and manager each row designates;
- `preview`: the comparison with the database (`import_preview`);
- `writing`: the apply (`import_apply`).
"""

from intranet.directory.importer.preview import Change, Preview, PreviewRow, import_preview
from intranet.directory.importer.reading import (
    COLUMN_BY_KEY,
    COLUMNS,
    FIELD_LABELS,
    FORMULA_PREFIXES,
    Column,
    ImportFileError,
    _parse_date,
    map_headers,
    normalise,
    read_table,
)
from intranet.directory.importer.rows import CHOICE_DISPLAY
from intranet.directory.importer.units import SiteIndex, UnitIndex
from intranet.directory.importer.uploads import import_file_discard, import_file_read, import_file_store
from intranet.directory.importer.writing import ImportResult, import_apply

__all__ = [
    "CHOICE_DISPLAY",
    "COLUMNS",
    "COLUMN_BY_KEY",
    "FIELD_LABELS",
    "FORMULA_PREFIXES",
    "Change",
    "Column",
    "ImportFileError",
    "ImportResult",
    "Preview",
    "PreviewRow",
    "SiteIndex",
    "UnitIndex",
    "_parse_date",
    "import_apply",
    "import_file_discard",
    "import_file_read",
    "import_file_store",
    "import_preview",
    "map_headers",
    "normalise",
    "read_table",
]
