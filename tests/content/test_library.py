"""The resource library: uploads checked by their content, folders with their audience, private
downloads, versions, download counts, the text of PDF and Office files in the search."""

from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from PIL import Image

from content import selectors, services
from content.models import DocumentVersion
from intranet import uploads
from intranet.audiences import AudienceSpec
from intranet.roles import Role
from tests.content import files
from tests.content.factories import FolderFactory
from tests.intranet.directory.images import image_bytes

MANAGERS = AudienceSpec(roles=(Role.MANAGER.value,))


@pytest.fixture
def guides(communication):
    return services.folder_create(user=communication, title="Espace managers — Ressourcez-vous", audience=MANAGERS)


def _add(user, folder, data=None, name="guide.pdf", **kwargs):
    return services.document_create(
        user=user,
        folder=folder,
        title=kwargs.pop("title", "Guide du manager"),
        upload=files.upload(data or files.pdf_bytes(), name),
        **kwargs,
    )


# --- Checked by content ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [
        (files.docx_bytes(), "procedure.docx", "docx"),
        (files.xlsx_bytes(), "astreintes.xlsx", "xlsx"),
        (files.odt_bytes(), "charte.odt", "odt"),
        (image_bytes(fmt="PNG"), "schema.png", "png"),
    ],
)
def test_accepted_files_are_recognised_by_their_bytes_not_their_name(data, name, kind):
    checked = uploads.document_check(files.upload(data, "nom-trompeur.pdf"))
    assert checked.kind.key == kind


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (files.HTML, "type"),
        (files.SVG, "type"),
        (b"MZ\x90\x00executable", "type"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "old_office"),
        (files.docx_bytes(macros=True), "macros"),
        (files.pdf_with_javascript(), "pdf_active"),
        (b"%PDF-1.4\n1 0 obj << /OpenAction << /S /J#61vaScript /JS (app.alert(1)) >> >> endobj\n%%EOF", "pdf_active"),
        (b"", "empty"),
    ],
)
def test_active_or_unknown_content_is_refused_with_a_reason(data, code):
    with pytest.raises(ValidationError) as error:
        uploads.document_check(files.upload(data, "guide.pdf"))
    assert error.value.code == code
    assert str(error.value.messages[0])[0].isupper()  # a French sentence, not a code


def test_size_and_zip_bombs_are_bounded(monkeypatch):
    with pytest.raises(ValidationError) as error:
        uploads.document_check(files.upload(b"%PDF-" + b"0" * uploads.MAX_BYTES, "gros.pdf"))
    assert error.value.code == "too_heavy"
    monkeypatch.setattr(uploads, "ZIP_MAX_UNPACKED", 100)
    with pytest.raises(ValidationError) as error:
        uploads.document_check(files.upload(files.docx_bytes(), "bombe.docx"))
    assert error.value.code == "zip_bomb"


def test_an_image_is_stored_without_its_metadata(communication, guides):
    document = _add(communication, guides, image_bytes(fmt="JPEG", gps=True), "photo.jpg", title="Photo")
    with document.current.file.open("rb") as stored:
        assert not Image.open(BytesIO(stored.read())).getexif()
    assert document.current.filename == "photo.jpg"


# --- Who reads what -------------------------------------------------------------------------


def test_a_managers_folder_is_read_by_managers_only(communication, guides, manager, agent, partenaire, client):
    document = _add(communication, guides)
    url = reverse("content:document-download", args=[document.pk])
    client.force_login(manager)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    for reader in (agent, partenaire):
        client.force_login(reader)
        assert client.get(url).status_code == 404
        assert client.get(guides.get_absolute_url()).status_code == 404
    assert selectors.document_search(user=agent, query="guide", limit=5) == []


def test_a_sub_folder_is_read_only_by_those_who_read_the_folders_above(communication, guides, manager, agent):
    inside = services.folder_create(
        user=communication, title="Webinaires", parent=guides, audience=AudienceSpec(everyone=True)
    )
    assert inside.pk in selectors.folder_visible_ids(user=manager)
    assert inside.pk not in selectors.folder_visible_ids(user=agent)


def test_a_download_is_an_attachment_the_browser_neither_sniffs_nor_runs(communication, guides, manager, client):
    document = _add(communication, guides)
    client.force_login(manager)
    response = client.get(reverse("content:document-download", args=[document.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    # Never from the public media address either.
    assert document.current.file.name.startswith("private/")
    assert client.get("/media/" + document.current.file.name).status_code == 404


def test_downloads_are_counted(communication, guides, manager, client):
    document = _add(communication, guides)
    client.force_login(manager)
    for _ in range(3):
        client.get(reverse("content:document-download", args=[document.pk]))
    document.refresh_from_db()
    assert document.download_count == 3


def test_a_moderator_adds_documents_to_their_folder_only(communication, manager, agent):
    theirs = services.folder_create(
        user=communication, title="Prévention", audience=AudienceSpec(everyone=True), moderator=agent
    )
    other = FolderFactory()
    _add(agent, theirs, title="Consignes")
    with pytest.raises(PermissionDenied):
        _add(agent, other, title="Ailleurs")


# --- Versions and text ----------------------------------------------------------------------


def test_a_new_version_becomes_the_current_one_and_the_old_stays(communication, guides, manager, client):
    document = _add(communication, guides, files.pdf_bytes("Version un"))
    services.document_version_add(
        document=document,
        user=communication,
        upload=files.upload(files.pdf_bytes("Version deux"), "guide.pdf"),
        note="Mise à jour",
    )
    document.refresh_from_db()
    assert document.current.number == 2
    client.force_login(manager)
    old = client.get(reverse("content:document-version-download", args=[document.pk, 1]))
    assert b"".join(old.streaming_content) == files.pdf_bytes("Version un")


def test_a_refused_upload_leaves_no_document(communication, guides):
    with pytest.raises(ValidationError) as error:
        _add(communication, guides, files.HTML, "page.html")
    assert "file" in error.value.error_dict
    assert not guides.documents.exists()


@pytest.mark.parametrize(
    ("data", "name", "word"),
    [
        (files.pdf_bytes("Guide du manager en télétravail"), "guide.pdf", "teletravail"),
        (files.docx_bytes(), "accueil.docx", "badge"),
        (files.xlsx_bytes(), "astreintes.xlsx", "astreintes"),
        (files.odt_bytes(), "charte.odt", "reunions"),
    ],
)
def test_the_text_of_pdf_and_office_files_is_searchable(communication, manager, guides, data, name, word):
    document = _add(communication, guides, data, name, title="Sans rapport")
    assert document.current.text_status == DocumentVersion.TextStatus.PENDING
    assert selectors.document_search(user=manager, query=word, limit=5) == []
    assert services.document_texts_extract_pending(seconds=30) == 1
    document.current.refresh_from_db()
    assert document.current.text_status == DocumentVersion.TextStatus.DONE
    assert [found.pk for found in selectors.document_search(user=manager, query=word, limit=5)] == [document.pk]


def test_the_folder_page_queries_do_not_grow(communication, guides, manager, client):
    from tests.querycount import assert_same_queries

    _add(communication, guides)
    client.force_login(manager)
    assert_same_queries(
        client,
        guides.get_absolute_url(),
        grow=lambda: [_add(communication, guides, title=f"Guide {number}") for number in range(5)],
    )
