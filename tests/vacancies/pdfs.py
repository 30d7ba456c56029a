"""Files for the CV tests: a real PDF (read back by pypdf), an executable renamed .pdf, a big PDF."""

from django.core.files.uploadedfile import SimpleUploadedFile

from vacancies.demo import _cv_pdf


def pdf_upload(name="cv.pdf", text="Hélène Dupont") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _cv_pdf(text), content_type="application/pdf")


def exe_renamed_upload() -> SimpleUploadedFile:
    # A Windows executable's header (MZ, then the PE stub message), named and typed as a PDF.
    content = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"This program cannot be run in DOS mode."
    return SimpleUploadedFile("cv.pdf", content * 50, content_type="application/pdf")


def big_pdf_upload(megabytes=6) -> SimpleUploadedFile:
    pdf = _cv_pdf("gros")
    head, tail = pdf[: pdf.rindex(b"xref")], pdf[pdf.rindex(b"xref") :]
    padding = b"%" + b"0" * 1022 + b"\n"
    content = head + padding * (megabytes * 1024) + tail
    return SimpleUploadedFile("cv.pdf", content, content_type="application/pdf")


def fake_pdf_upload() -> SimpleUploadedFile:
    """The PDF signature and end marker around something else: the magic bytes alone pass."""
    return SimpleUploadedFile("cv.pdf", b"%PDF-1.7\n" + b"MZ\x90\x00 not a document " * 100 + b"\n%%EOF\n")


def encrypted_pdf_upload() -> SimpleUploadedFile:
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_cv_pdf("secret"))))
    writer.encrypt(user_password="secret", owner_password="owner")  # noqa: S106 (a test file)
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile("cv.pdf", out.getvalue(), content_type="application/pdf")
