"""An HR file as a table: its columns, CSV in any encoding and delimiter or XLSX, the header row
mapped to our columns, dates in the formats HR systems write. The rest of
`intranet.directory.importer` validates and applies it; the action plan's import
(`actions.importer`) reads its files the same way.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _

MAX_ROWS = 100_000
UNIT_PATH_SEPARATOR = " / "
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, empty, required columns missing)."""

    def __init__(self, messages: list[str] | str):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("; ".join(self.messages))


def normalise(text: str) -> str:
    """Lower case, no accents, words separated by one space: "Date d'arrivée" → "date d arrivee"."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


# --- Columns ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str  # the Agent field it fills (org_unit, site and manager are resolved)
    header: str  # the documented header, as the export writes it
    aliases: tuple[str, ...] = ()  # other accepted headers, normalised
    required: bool = True  # the header must be present (a cell may still be empty)

    def matches(self, header: str) -> bool:
        return normalise(header) in {normalise(self.header), *self.aliases}


COLUMNS = (
    Column("matricule", "Matricule", ("matricule agent", "numero de matricule")),
    Column("last_name", "Nom", ("nom d usage", "nom de famille")),
    Column("first_name", "Prénom"),
    Column("email", "E-mail", ("email", "courriel", "adresse e mail", "adresse email", "mail")),
    Column("job_title", "Fonction", ("poste", "intitule du poste", "emploi")),
    Column("org_unit", "Service", ("unite", "affectation")),
    Column("site", "Site", ("lieu de travail", "site d affectation")),
    Column("manager", "Matricule du responsable", ("matricule responsable", "matricule du manager")),
    Column("arrival_date", "Date d'arrivée", ("date arrivee", "arrivee", "date d entree")),
    Column("departure_date", "Date de départ", ("date depart", "depart", "date de sortie")),
    Column("phone", "Téléphone", ("tel", "telephone professionnel"), required=False),
    Column("category", "Catégorie", (), required=False),
    Column("status", "Statut", (), required=False),
    Column("filiere", "Filière", (), required=False),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
# How each field is named in the preview.
FIELD_LABELS = {
    "matricule": "Matricule",
    "last_name": "Nom",
    "first_name": "Prénom",
    "email": "E-mail",
    "job_title": "Fonction",
    "org_unit": "Service",
    "site": "Site",
    "manager": "Responsable",
    "arrival_date": "Date d'arrivée",
    "departure_date": "Date de départ",
    "phone": "Téléphone",
    "category": "Catégorie",
    "status": "Statut",
    "filiere": "Filière",
}
TEXT_LIMITS = {"matricule": 30, "last_name": 100, "first_name": 100, "job_title": 200, "phone": 30}
DATE_FORMAT_HELP = "JJ/MM/AAAA"
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y")


# --- Reading the file ---------------------------------------------------------------------

Cell = str | date


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[Cell]]]  # (line number in the file, cells)


def _decode(content: bytes) -> str:
    """UTF-8 with or without BOM; otherwise Windows-1252 (what Excel writes in France)."""
    if content.startswith(codecs.BOM_UTF8):
        content = content[len(codecs.BOM_UTF8) :]
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _sniff_delimiter(text: str) -> str:
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ";"


def _unquote_formula(value: str) -> str:
    """Our exports neutralise formulas with a leading apostrophe: take it off on the way back."""
    if value.startswith("'") and value[1:2] and value[1] in FORMULA_PREFIXES:
        return value[1:]
    return value


def _read_csv(content: bytes) -> Table:
    text = _decode(content)
    if "\x00" in text:
        raise ImportFileError(_("Le fichier contient des caractères nuls : ce n'est pas un fichier CSV lisible."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    headers: list[str] | None = None
    rows: list[tuple[int, list[Cell]]] = []
    try:
        line = 1
        for record in reader:
            start, line = line, reader.line_num + 1
            cells = [_unquote_formula(cell.strip()) for cell in record]
            if not any(cells):
                continue
            if headers is None:
                headers = cells
                continue
            rows.append((start, cells))
            if len(rows) > MAX_ROWS:
                raise ImportFileError(_("Le fichier dépasse %(max)s lignes.") % {"max": MAX_ROWS})
    except csv.Error as error:
        raise ImportFileError(
            _("Fichier CSV illisible à la ligne %(line)s : %(error)s") % {"line": reader.line_num, "error": error}
        ) from error
    return Table(headers=headers or [], rows=rows)


def _xlsx_cell(value) -> Cell:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged or foreign file
        raise ImportFileError(_("Fichier XLSX illisible : enregistrez-le à nouveau depuis votre tableur.")) from error
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            return Table(headers=[], rows=[])
        headers: list[str] | None = None
        rows: list[tuple[int, list[Cell]]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_xlsx_cell(value) for value in values]
            if not any(cells):
                continue
            if headers is None:
                headers = [str(cell) for cell in cells]
                continue
            rows.append((number, cells))
            if len(rows) > MAX_ROWS:
                raise ImportFileError(_("Le fichier dépasse %(max)s lignes.") % {"max": MAX_ROWS})
        return Table(headers=headers or [], rows=rows)
    except ImportFileError:
        raise
    except Exception as error:
        raise ImportFileError(_("Fichier XLSX illisible : enregistrez-le à nouveau depuis votre tableur.")) from error
    finally:
        workbook.close()


def read_table(*, content: bytes, filename: str) -> Table:
    name = filename.lower()
    if name.endswith(".xls") or content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _("Le format Excel 97-2003 (.xls) n'est pas pris en charge : enregistrez le fichier au format XLSX ou CSV.")
        )
    if name.endswith((".xlsx", ".xlsm")) or content.startswith(b"PK\x03\x04"):
        if not zipfile.is_zipfile(io.BytesIO(content)):
            raise ImportFileError(_("Fichier XLSX illisible : enregistrez-le à nouveau depuis votre tableur."))
        return _read_xlsx(content)
    return _read_csv(content)


def map_headers(headers: list[str], columns=None) -> tuple[dict[str, int], list[str], list[str]]:
    """{column key: index}, the errors (missing or repeated columns), the ignored headers — for the
    agents' COLUMNS, or another import's (the action plan's)."""
    columns = COLUMNS if columns is None else columns
    positions: dict[str, int] = {}
    errors, ignored = [], []
    for index, header in enumerate(headers):
        if not str(header).strip():
            continue
        column = next((column for column in columns if column.matches(header)), None)
        if column is None:
            ignored.append(str(header))
        elif column.key in positions:
            errors.append(_("La colonne « %(column)s » apparaît deux fois.") % {"column": column.header})
        else:
            positions[column.key] = index
    missing = [column.header for column in columns if column.required and column.key not in positions]
    if missing:
        errors.append(
            _("Colonne(s) obligatoire(s) absente(s) : %(columns)s. Les colonnes attendues sont : %(expected)s.")
            % {
                "columns": ", ".join(f"« {header} »" for header in missing),
                "expected": ", ".join(column.header for column in columns if column.required),
            }
        )
    return positions, errors, ignored


def _parse_date(value: Cell, label: str) -> tuple[date | None, str | None]:
    if isinstance(value, date):
        return value, None
    text = value.strip()
    if not text:
        return None, None
    candidate = text.split(" ")[0] if re.fullmatch(r"\S+ 00:00(:00)?", text) else text
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(candidate, fmt).date(), None  # noqa: DTZ007 (a calendar date)
        except ValueError:
            continue
    return None, _("%(label)s « %(value)s » invalide : format attendu %(format)s (par exemple 01/09/2024).") % {
        "label": label,
        "value": text,
        "format": DATE_FORMAT_HELP,
    }
