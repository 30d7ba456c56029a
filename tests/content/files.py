"""Files for the library's tests, built in memory (no binary fixtures in the repository)."""

import io
import zipfile
from functools import lru_cache

from django.core.files.uploadedfile import SimpleUploadedFile

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@lru_cache(maxsize=8)
def pdf_bytes(text: str = "Guide du manager en télétravail") -> bytes:
    from intranet.pdf import pdf_from_html

    return pdf_from_html(f"<html><body><h1>{text}</h1><p>Animer une équipe à distance.</p></body></html>")


def pdf_with_javascript() -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _zip(parts: dict[str, str | bytes], *, first: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if first:
            archive.writestr(first, parts[first], compress_type=zipfile.ZIP_STORED)
        for name, content in parts.items():
            if name != first:
                archive.writestr(name, content)
    return out.getvalue()


def docx_bytes(paragraphs=("Procédure d'accueil", "Le référent remet le badge."), *, macros=False) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
    content_type = "application/vnd.ms-word.document.macroEnabled.main+xml" if macros else "application/xml"
    parts = {
        "[Content_Types].xml": f'<?xml version="1.0"?><Types><Override ContentType="{content_type}"/></Types>',
        "word/document.xml": f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>',
    }
    if macros:
        parts["word/vbaProject.bin"] = b"\x00" * 64
    return _zip(parts)


def xlsx_bytes(cells=("Tableau des astreintes", "Voirie")) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for number, value in enumerate(cells, start=1):
        workbook.active.cell(row=number, column=1, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def odt_bytes(text="Charte des réunions efficaces") -> bytes:
    ns = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    return _zip(
        {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "content.xml": f'<?xml version="1.0"?><office:document-content '
            f'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="{ns}">'
            f"<office:body><office:text><text:p>{text}</text:p></office:text></office:body></office:document-content>",
        },
        first="mimetype",
    )


HTML = b"<!DOCTYPE html><html><body><script>document.title='pwned'</script>Bonjour</body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'


def upload(data: bytes, name: str = "document.pdf", content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)
