"""Uploaded files (the resource library, the materials of events), checked by their content: an
upload is trusted for nothing, not its name, not the type the browser announces.

`document_check(upload)` reads the bytes and accepts only:

- PDF (`%PDF-`), without active content: no JavaScript, no launch action, no embedded file, no
  rich media, no form script (every object is read through pypdf, compressed or not), not
  protected by a password;
- Office Open XML (.docx, .xlsx, .pptx) and OpenDocument (.odt, .ods, .odp) files, told apart by
  the parts inside their zip, without macros (vbaProject.bin, a macro-enabled content type,
  OpenDocument Basic or scripts) nor ActiveX controls; the zip itself is bounded (entries,
  unpacked size: no « zip bomb »);
- JPEG, PNG and WebP images, verified by Pillow and written again without their metadata (EXIF,
  GPS position).

Everything else is refused with a French message: HTML, SVG (a picture that can carry a script),
scripts, executables, archives, old binary Office formats (.doc, .xls: macros cannot be ruled out).
The stored file is named by the kind found, never by the name given; it is served as an
attachment, behind the permission check of the app that stores it (content.views.library,
events.views.materials).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 20 * 1024 * 1024
ZIP_MAX_ENTRIES = 5_000
ZIP_MAX_UNPACKED = 200 * 1024 * 1024
PDF_MAX_OBJECTS = 200_000
IMAGE_MAX_SIDE = 8_000


@dataclass(frozen=True)
class Kind:
    key: str
    extension: str
    content_type: str
    label: str


KINDS = {
    kind.key: kind
    for kind in (
        Kind("pdf", "pdf", "application/pdf", "PDF"),
        Kind("docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"),
        Kind("xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"),
        Kind("pptx", "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "PowerPoint"),
        Kind("odt", "odt", "application/vnd.oasis.opendocument.text", "OpenDocument (texte)"),
        Kind("ods", "ods", "application/vnd.oasis.opendocument.spreadsheet", "OpenDocument (tableur)"),
        Kind("odp", "odp", "application/vnd.oasis.opendocument.presentation", "OpenDocument (présentation)"),
        Kind("jpeg", "jpg", "image/jpeg", "JPEG"),
        Kind("png", "png", "image/png", "PNG"),
        Kind("webp", "webp", "image/webp", "WebP"),
    )
}

ERROR_TYPE = _(
    "Ce type de fichier n'est pas accepté : envoyez un PDF, un document Word, Excel ou PowerPoint (.docx, .xlsx, "
    ".pptx), un document OpenDocument (.odt, .ods, .odp) ou une image JPEG, PNG ou WebP."
)
ERROR_SIZE = _("Le fichier dépasse 20 Mo.")
ERROR_EMPTY = _("Le fichier est vide.")
ERROR_OLD_OFFICE = _(
    "Les anciens formats Office (.doc, .xls, .ppt) ne sont pas acceptés : enregistrez le fichier au format .docx, "
    ".xlsx, .pptx ou en PDF."
)
ERROR_MACROS = _(
    "Ce document contient des macros ou des contrôles actifs : enregistrez-le sans macros (.docx, .xlsx, .pptx)."
)
ERROR_PDF_ACTIVE = _(
    "Ce PDF contient du contenu actif (script, lancement d'application, fichier joint ou média) : "
    "enregistrez-le de nouveau en PDF simple (« Imprimer en PDF »)."
)
ERROR_PDF_PASSWORD = _("Ce PDF est protégé par un mot de passe : envoyez-le sans protection.")
ERROR_DAMAGED = _("Ce fichier est endommagé ou illisible.")

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODF_KINDS = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
OOXML_MAIN_PARTS = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx", "ppt/presentation.xml": "pptx"}
# PDF names that make a file do something when opened or carry another file.
PDF_ACTIVE_NAMES = frozenset(
    {
        "/JavaScript",
        "/JS",
        "/Launch",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/RichMedia",
        "/XFA",
        "/SubmitForm",
        "/ImportData",
    }
)


@dataclass(frozen=True)
class CheckedFile:
    kind: Kind
    data: bytes  # what is stored: the upload as sent, or an image written again without metadata
    sha256: str


def _read(upload) -> bytes:
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(ERROR_SIZE, code="too_heavy")
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    upload.seek(0)
    if len(data) > MAX_BYTES:
        raise ValidationError(ERROR_SIZE, code="too_heavy")
    if not data:
        raise ValidationError(ERROR_EMPTY, code="empty")
    return data


def sniff(data: bytes) -> str | None:
    """The kind the bytes say, before the deeper checks; None for anything not accepted."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if data.startswith(OLE2_MAGIC):
        return "ole2"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def _zip_kind(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ValidationError(ERROR_DAMAGED, code="damaged") from error
    if len(entries) > ZIP_MAX_ENTRIES or sum(entry.file_size for entry in entries) > ZIP_MAX_UNPACKED:
        raise ValidationError(ERROR_DAMAGED, code="zip_bomb")
    names = {entry.filename for entry in entries}
    lowered = {name.lower() for name in names}
    if "mimetype" in names:
        mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
        kind = ODF_KINDS.get(mimetype)
        if kind is None:
            raise ValidationError(ERROR_TYPE, code="type")
        if any(name.startswith(("basic/", "scripts/")) for name in lowered):
            raise ValidationError(ERROR_MACROS, code="macros")
        return kind
    if "[Content_Types].xml" in names:
        kind = next((kind for part, kind in OOXML_MAIN_PARTS.items() if part in names), None)
        if kind is None:
            raise ValidationError(ERROR_TYPE, code="type")
        content_types = archive.read("[Content_Types].xml")[:1_000_000].lower()
        if (
            any(name.endswith("vbaproject.bin") or "/activex/" in f"/{name}" for name in lowered)
            or b"macroenabled" in content_types
            or b"vbaproject" in content_types
        ):
            raise ValidationError(ERROR_MACROS, code="macros")
        return kind
    raise ValidationError(ERROR_TYPE, code="type")


def _pdf_walk(value, seen: set, budget: list) -> None:
    """Raise when a PDF object (dictionaries, arrays, streams' dictionaries, followed through their
    references) names active content."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    stack = [value]
    while stack:
        budget[0] -= 1
        if budget[0] < 0:
            raise ValidationError(ERROR_DAMAGED, code="too_complex")
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if isinstance(item, NameObject) and item in PDF_ACTIVE_NAMES:
            raise ValidationError(ERROR_PDF_ACTIVE, code="pdf_active")
        if isinstance(item, DictionaryObject):
            for key, child in item.items():
                if key in PDF_ACTIVE_NAMES:
                    raise ValidationError(ERROR_PDF_ACTIVE, code="pdf_active")
                stack.append(child)
        elif isinstance(item, ArrayObject):
            stack.extend(item)


def _pdf_check(data: bytes) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # Names may be written with # escapes (/J#61vaScript): pypdf decodes them; the raw bytes are
    # looked at too, for objects the structure does not reach.
    raw = re.sub(rb"#([0-9A-Fa-f]{2})", lambda match: bytes([int(match.group(1), 16)]), data)
    if re.search(rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia)\b", raw):
        raise ValidationError(ERROR_PDF_ACTIVE, code="pdf_active")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(ERROR_PDF_PASSWORD, code="pdf_password")
        seen: set = set()
        budget = [PDF_MAX_OBJECTS]
        _pdf_walk(reader.trailer, seen, budget)
        size = int(reader.trailer.get("/Size", 0))
        for number in range(1, min(size, PDF_MAX_OBJECTS)):
            obj = reader.get_object(number)
            if obj is not None:
                _pdf_walk(obj, seen, budget)
    except ValidationError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError) as error:
        raise ValidationError(ERROR_DAMAGED, code="damaged") from error


def _image_clean(data: bytes, kind: str) -> bytes:
    """The image's pixels written again in its own format, without any metadata."""
    import warnings

    from PIL import Image, ImageOps

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            if image.format != {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}[kind]:
                raise ValidationError(ERROR_TYPE, code="type")
            if max(image.size) > IMAGE_MAX_SIDE:
                raise ValidationError(ERROR_DAMAGED, code="too_large")
            image.load()
            image = ImageOps.exif_transpose(image)
        except ValidationError:
            raise
        except Exception as error:  # Pillow raises many kinds on a corrupt file
            raise ValidationError(ERROR_DAMAGED, code="damaged") from error
    out = io.BytesIO()
    if kind == "jpeg":
        image.convert("RGB").save(out, format="JPEG", quality=90, optimize=True)
    elif kind == "png":
        image.save(out, format="PNG", optimize=True)
    else:
        image.save(out, format="WEBP", quality=90)
    return out.getvalue()


def document_check(upload) -> CheckedFile:
    """The upload's kind and the bytes to store, or the French ValidationError saying why not."""
    data = _read(upload)
    found = sniff(data)
    if found == "ole2":
        raise ValidationError(ERROR_OLD_OFFICE, code="old_office")
    if found is None:
        raise ValidationError(ERROR_TYPE, code="type")
    if found == "zip":
        found = _zip_kind(data)
    elif found == "pdf":
        _pdf_check(data)
    else:
        data = _image_clean(data, found)
    return CheckedFile(kind=KINDS[found], data=data, sha256=hashlib.sha256(data).hexdigest())
