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
