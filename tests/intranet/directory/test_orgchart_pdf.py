"""The printable trombinoscope and org chart: real PDFs from WeasyPrint, read back with pypdf."""

from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from intranet.directory import pdf_orgchart
from intranet.directory.pdf_orgchart import PdfTooLarge, orgchart_pdf_render, trombinoscope_pdf_render
from intranet.models import DocumentRequest
from tests.factories import AgentFactory
from tests.intranet.directory.orgchart_factories import build_tree, jpeg_file


@pytest.fixture
def tree(db):
    return build_tree()


def _text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def _image_count(pdf: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(BytesIO(pdf)).pages)


def test_trombinoscope_pdf_of_a_unit_has_its_agents_and_sub_units(tree):
    text = _text(trombinoscope_pdf_render(unit=tree.direction))
    for name in ["Dora Finances", "Hélène Dupont", "Jean Martin", "Lina Paie", "Gestionnaire de paie"]:
        assert name in text
    assert "Camille Com" not in text  # another unit
    assert "Parti Inactif" not in text


def test_trombinoscope_pdf_of_a_site(tree):
    text = _text(trombinoscope_pdf_render(site=tree.lycee))
    assert "Lina Paie" in text
    assert "Marc Paie" in text
    assert "Dora Finances" not in text


def test_trombinoscope_pdf_embeds_allowed_photos_only(tree):
    AgentFactory(first_name="Anne", last_name="Visible", org_unit=tree.paie, photo=jpeg_file("a.jpg"))
    AgentFactory(first_name="Henri", last_name="Cache", org_unit=tree.paie, photo=jpeg_file("h.jpg"), show_photo=False)
    pdf = trombinoscope_pdf_render(unit=tree.paie)
    text = _text(pdf)
    assert "Anne Visible" in text
    assert "HC" in text  # initials instead of the hidden photo
    assert _image_count(pdf) == 1


def test_trombinoscope_pdf_refuses_too_many_agents(tree, monkeypatch):
    monkeypatch.setattr(pdf_orgchart, "PDF_SYNC_MAX_AGENTS", 2)
    with pytest.raises(PdfTooLarge):
        trombinoscope_pdf_render(unit=tree.direction)


def test_same_content_renders_once(tree, monkeypatch):
    first = trombinoscope_pdf_render(unit=tree.paie)
    monkeypatch.setattr(pdf_orgchart, "pdf_from_html", None)  # a second rendering would fail
    assert trombinoscope_pdf_render(unit=tree.paie) == first


def test_orgchart_pdf_has_units_heads_and_headcounts(tree):
    text = _text(orgchart_pdf_render())
    assert "Pôle Ressources" in text
    assert "Paul Directeur" in text
    assert "7 agents" in text
    assert "Comptabilité" in text


def test_trombinoscope_pdf_view(client, agent, tree):
    client.force_login(agent)
    response = client.get(reverse("directory:trombinoscope-pdf"), {"unite": tree.paie.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Lina Paie" in _text(response.content)


def test_trombinoscope_pdf_view_without_a_choice_goes_back_with_a_message(client, agent, tree):
    client.force_login(agent)
    response = client.get(reverse("directory:trombinoscope-pdf"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("directory:trombinoscope")
    assert "Choisissez un service ou un site" in response.content.decode()


def test_trombinoscope_pdf_view_too_large_is_left_to_a_worker(
    client, agent, tree, monkeypatch, django_capture_on_commit_callbacks
):
    """Over the synchronous limit: no rendering in the request, a DocumentRequest recorded and
    the requester sent to its status page (tests/intranet/test_documents.py: the rest)."""
    monkeypatch.setattr(pdf_orgchart, "PDF_SYNC_MAX_AGENTS", 2)
    monkeypatch.setattr(pdf_orgchart, "pdf_from_html", None)  # a rendering in the request would fail
    client.force_login(agent)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.get(reverse("directory:trombinoscope-pdf"), {"unite": tree.direction.pk})
    document = DocumentRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("intranet:document-status", kwargs={"pk": document.pk})
    assert document.kind == "directory.trombinoscope"
    assert document.params == {"unit_id": tree.direction.pk, "site_id": None}
    assert document.requested_by == agent
    assert document.status == DocumentRequest.Status.PENDING


def test_trombinoscope_pdf_view_unknown_unit_is_404(client, agent, tree):
    client.force_login(agent)
    assert client.get(reverse("directory:trombinoscope-pdf"), {"unite": 999999}).status_code == 404


def test_orgchart_pdf_view(client, agent, tree):
    client.force_login(agent)
    response = client.get(reverse("directory:orgchart-pdf"))
    assert response.status_code == 200
    assert "Direction des finances" in _text(response.content)


def test_a_large_orgchart_pdf_is_left_to_a_worker_then_served_from_the_cache(
    client, agent, tree, monkeypatch, django_capture_on_commit_callbacks
):
    """Issue 19: beyond ORGCHART_SYNC_MAX_UNITS units, the request records a DocumentRequest; once a
    worker rendered the chart, the same chart's PDF is served at once."""
    from intranet.services import document_render

    monkeypatch.setattr(pdf_orgchart, "ORGCHART_SYNC_MAX_UNITS", 2)
    client.force_login(agent)
    real_render = pdf_orgchart.pdf_from_html
    monkeypatch.setattr(pdf_orgchart, "pdf_from_html", None)  # a rendering in the request would fail
    with django_capture_on_commit_callbacks(execute=False):
        response = client.get(reverse("directory:orgchart-pdf"))
    document = DocumentRequest.objects.get()
    assert response["Location"] == reverse("intranet:document-status", kwargs={"pk": document.pk})
    assert document.kind == "directory.orgchart"

    monkeypatch.setattr(pdf_orgchart, "pdf_from_html", real_render)
    assert document_render(request_id=document.pk) is True  # the worker
    monkeypatch.setattr(pdf_orgchart, "pdf_from_html", None)
    response = client.get(reverse("directory:orgchart-pdf"))
    assert response.status_code == 200
    assert "Direction des finances" in _text(response.content)
