"""The text of a library document, for the search: PDF through pypdf, Office Open XML and
OpenDocument files through the XML inside their zip (read with defusedxml), nothing for images.

Bounded: at most PDF_MAX_PAGES pages, TEXT_MAX characters, XML parts of XML_MAX_BYTES each. Runs in
the worker (content.tasks), after the upload's commit.
"""

from __future__ import annotations

import io
import re
import zipfile

from defusedxml import ElementTree

PDF_MAX_PAGES = 300
TEXT_MAX = 200_000
XML_MAX_BYTES = 20 * 1024 * 1024

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def _clean(text: str) -> str:
    return re.sub(r"[ \t\r\f\v]+", " ", re.sub(r"\n\s*\n+", "\n", text)).strip()[:TEXT_MAX]


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        reader.decrypt("")
    parts, total = [], 0
    for page in reader.pages[:PDF_MAX_PAGES]:
        text = page.extract_text() or ""
        parts.append(text)
        total += len(text)
        if total > TEXT_MAX:
            break
    return "\n".join(parts)


def _xml(archive: zipfile.ZipFile, name: str):
    info = archive.getinfo(name)
    if info.file_size > XML_MAX_BYTES:
        return None
    return ElementTree.fromstring(archive.read(name), forbid_dtd=True)


def _paragraphs(root, paragraph_tag: str, text_tags: tuple[str, ...]) -> list[str]:
    lines = []
    for paragraph in root.iter(paragraph_tag):
        lines.append("".join(node.text or "" for node in paragraph.iter() if node.tag in text_tags))
    return lines


def _docx_text(archive: zipfile.ZipFile) -> str:
    root = _xml(archive, "word/document.xml")
    return "" if root is None else "\n".join(_paragraphs(root, f"{_W}p", (f"{_W}t",)))


def _pptx_text(archive: zipfile.ZipFile) -> str:
    def number(name):
        found = re.search(r"(\d+)\.xml$", name)
        return int(found.group(1)) if found else 0

    slides = sorted(
        (name for name in archive.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", name)), key=number
    )
    lines = []
    for name in slides:
        root = _xml(archive, name)
        if root is not None:
            lines += _paragraphs(root, f"{_A}p", (f"{_A}t",))
    return "\n".join(lines)


def _xlsx_text(archive: zipfile.ZipFile) -> str:
    lines = []
    if "xl/sharedStrings.xml" in archive.namelist():
        root = _xml(archive, "xl/sharedStrings.xml")
        if root is not None:
            lines += ["".join(node.text or "" for node in item.iter(f"{_S}t")) for item in root.iter(f"{_S}si")]
    for name in sorted(n for n in archive.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)):
        root = _xml(archive, name)
        if root is not None:  # cells typed inline (« inlineStr »), not in the shared strings
            lines += ["".join(node.text or "" for node in cell.iter(f"{_S}t")) for cell in root.iter(f"{_S}is")]
    return "\n".join(lines)


def _odf_text(archive: zipfile.ZipFile) -> str:
    root = _xml(archive, "content.xml")
    if root is None:
        return ""
    lines = []
    for node in root.iter():
        if node.tag in (f"{_TEXT}p", f"{_TEXT}h"):
            lines.append("".join(node.itertext()))
    return "\n".join(lines)


def document_text(data: bytes, kind: str) -> str:
    """The searchable text of a checked file of `kind` (intranet.uploads.KINDS); "" for an image."""
    if kind == "pdf":
        return _clean(_pdf_text(data))
    if kind in ("docx", "pptx", "xlsx", "odt", "ods", "odp"):
        archive = zipfile.ZipFile(io.BytesIO(data))
        reader = {"docx": _docx_text, "pptx": _pptx_text, "xlsx": _xlsx_text}.get(kind, _odf_text)
        return _clean(reader(archive))
    return ""
