"""The demo library: the managers' space of seed 002 and the shared folders, each guide rendered as a
PDF and each office document written at seeding (the data in `library_data`)."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.text import slugify

from content.demo.common import EVERYONE, MANAGERS, WITH_PARTNERS
from intranet.models import Agent

GUIDE_HTML = """<html><head><style>
@page {{ size: A4; margin: 2cm; @bottom-center {{ content: "Espace managers — " counter(page); font-size: 9pt; }} }}
body {{ font-family: sans-serif; font-size: 11pt; color: #1d2433; }}
.band {{ background: #1f4e79; color: white; padding: 1.2cm 1cm; margin: -2cm -2cm 1cm; }}
h1 {{ font-size: 22pt; margin: 0; }} .sub {{ font-size: 11pt; opacity: .9; }}
h2 {{ color: #1f4e79; border-bottom: 2px solid #f0b43c; padding-bottom: 3pt; }}
</style></head><body>
<div class="band"><div class="sub">Manag'Est — l'école des managers</div><h1>{title}</h1></div>
<p><strong>{description}</strong></p>{sections}
<p style="margin-top:1cm;font-size:9pt">Direction des ressources humaines et délégation à l'innovation.</p>
</body></html>"""


def _guide_pdf(title: str, description: str, sections) -> bytes:
    from html import escape

    from intranet.pdf import pdf_from_html

    body = "".join(
        f"<h2>{escape(heading)}</h2><ul>" + "".join(f"<li>{escape(point)}</li>" for point in points) + "</ul>"
        for heading, points in sections
    )
    return pdf_from_html(GUIDE_HTML.format(title=escape(title), description=escape(description), sections=body))


def _office_file(kind: str, title: str, description: str) -> bytes:
    import zipfile
    from html import escape

    out = BytesIO()
    if kind == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.append([title])
        sheet.append(["Semaine", "Voirie", "Bâtiments"])
        for week in range(1, 9):
            sheet.append([f"Semaine {week}", f"Équipe {week % 3 + 1}", f"Équipe {(week + 1) % 3 + 1}"])
        workbook.save(out)
        return out.getvalue()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if kind == "odt":
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
            archive.writestr(
                "content.xml",
                '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
                'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
                f"<text:h>{escape(title)}</text:h><text:p>{escape(description)}</text:p>"
                "</office:text></office:body></office:document-content>",
            )
        else:
            namespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
            archive.writestr(
                "[Content_Types].xml",
                '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                'wordprocessingml.document.main+xml"/></Types>',
            )
            paragraphs = "".join(f"<w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p>" for text in (title, description))
            archive.writestr(
                "word/document.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{namespace}">'
                f"<w:body>{paragraphs}</w:body></w:document>",
            )
    return out.getvalue()


def library_seed(*, stdout) -> None:
    from content import services
    from content.demo.library_data import GUIDES, SHARED
    from content.models import Folder

    if Folder.objects.exists():
        stdout.write("Bibliothèque : déjà chargée.\n")
        return
    by_email = {agent.email: agent for agent in Agent.objects.filter(email__endswith="@demo.local")}
    communication, rh = by_email.get("communication@demo.local"), by_email.get("rh@demo.local")
    if communication is None or rh is None:
        return
    managers = services.folder_create(
        user=communication,
        title="Espace managers — Ressourcez-vous",
        description="Guides, fiches réflexes et supports des webinaires pour accompagner les managers.",
        audience=MANAGERS,
        moderator=rh,
        position=0,
    )
    extensions = {"pdf": "pdf", "docx": "docx", "xlsx": "xlsx", "odt": "odt"}
    for number, (title, description, sections) in enumerate(GUIDES):
        data = _guide_pdf(title, description, sections)
        services.document_create(
            user=rh,
            folder=managers,
            title=title,
            description=description,
            owner=rh,
            review_on=timezone.localdate() + timedelta(days=30 * (number + 1)),
            upload=SimpleUploadedFile(f"{slugify(title)[:60]}.pdf", data, content_type="application/pdf"),
        )
    audiences = {"everyone": EVERYONE, "partners": WITH_PARTNERS}
    for position, (folder_title, folder_description, audience, documents) in enumerate(SHARED, start=1):
        folder = services.folder_create(
            user=communication,
            title=folder_title,
            description=folder_description,
            audience=audiences[audience],
            position=position,
        )
        for title, description, kind in documents:
            data = (
                _guide_pdf(title, description, (("Calendrier", ("Juillet : toitures", "Août : cuisines")),))
                if kind == "pdf"
                else _office_file(kind, title, description)
            )
            services.document_create(
                user=communication,
                folder=folder,
                title=title,
                description=description,
                owner=rh if folder_title == "Ressources humaines" else communication,
                upload=SimpleUploadedFile(f"{slugify(title)[:60]}.{extensions[kind]}", data),
            )
    services.document_texts_extract_pending(seconds=120)
    from content.models import Document

    for number, document in enumerate(Document.objects.order_by("pk")):
        Document.objects.filter(pk=document.pk).update(download_count=(number * 37) % 180 + 3)
    stdout.write(f"Bibliothèque : {Folder.objects.count()} dossiers, {Document.objects.count()} documents.\n")
