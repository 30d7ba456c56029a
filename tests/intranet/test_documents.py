"""Documents rendered by a worker (DocumentRequest): the row first, a real PDF, reuse, the
broker down, the status page and its download, and a real worker end to end."""

import logging
from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from intranet.directory import pdf_orgchart
from intranet.models import DocumentRequest
from intranet.services import document_dispatch_pending, document_render, document_request
from tests.factories import AgentFactory
from tests.harness import celery_broker, wait_until
from tests.intranet.directory.orgchart_factories import build_tree
from tests.intranet.test_outbox import CLOSED_BROKER, FAIL_FAST, WORKER_DB, _run_published_tasks

KIND = "directory.trombinoscope"


@pytest.fixture
def tree(db):
    return build_tree()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def _ask(tree, user, **kwargs):
    return document_request(kind=KIND, params={"unit_id": tree.direction.pk, "site_id": None}, user=user, **kwargs)


def test_document_request_records_the_row_and_document_render_makes_a_real_pdf(
    tree, agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = _ask(tree, agent)
    assert len(callbacks) == 1  # the task is published after the commit
    assert document.status == DocumentRequest.Status.PENDING
    assert document.requested_by == agent

    assert document_render(request_id=document.pk) is True
    assert document_render(request_id=document.pk) is False  # a task received twice renders once

    document.refresh_from_db()
    assert document.status == DocumentRequest.Status.DONE
    assert document.done_at is not None
    assert document.attempts == 1
    assert document.filename == f"trombinoscope-unite-{tree.direction.pk}.pdf"
    with document.file.open("rb") as stored:  # the worker's MEDIA_ROOT is this test's (tests/harness.py)
        assert "Lina Paie" in _text(stored.read())
    assert document.file.name.startswith("documents/")
    with document.file.open("rb") as stored:
        text = _text(stored.read())
    assert "Dora Finances" in text
    assert "Lina Paie" in text


def test_the_worker_renders_beyond_the_synchronous_limit(tree, agent, monkeypatch):
    monkeypatch.setattr(pdf_orgchart, "PDF_SYNC_MAX_AGENTS", 2)
    document = _ask(tree, agent)
    assert document_render(request_id=document.pk) is True


def test_an_identical_request_reuses_the_done_document(tree, agent, django_capture_on_commit_callbacks):
    first = _ask(tree, agent)
    document_render(request_id=first.pk)
    someone_else = AgentFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert _ask(tree, agent).pk == first.pk
        # another agent gets a row of their own, done, on the same file: nothing rendered again
        other = _ask(tree, someone_else)
    assert callbacks == []
    first.refresh_from_db()
    assert other.pk != first.pk
    assert other.status == DocumentRequest.Status.DONE
    assert other.file.name == first.file.name


def test_a_document_older_than_an_hour_is_rendered_again(tree, agent):
    first = _ask(tree, agent)
    document_render(request_id=first.pk)
    DocumentRequest.objects.filter(pk=first.pk).update(done_at=first.created_at - timedelta(hours=2))
    assert _ask(tree, agent).pk != first.pk


def test_a_renderer_error_is_kept_and_fails_after_three_attempts(tree, agent, monkeypatch):
    document = _ask(tree, agent)
    monkeypatch.setattr(pdf_orgchart, "pdf_from_html", None)
    for attempt in (1, 2, 3):
        assert document_render(request_id=document.pk) is False
        document.refresh_from_db()
        assert document.attempts == attempt
        assert "TypeError" in document.error
    assert document.status == DocumentRequest.Status.FAILED


def test_a_request_while_the_broker_is_down_is_kept_then_dispatched(
    tree, agent, django_capture_on_commit_callbacks, caplog
):
    with (
        caplog.at_level(logging.WARNING, logger="intranet.services"),
        celery_broker(CLOSED_BROKER, **FAIL_FAST),
        django_capture_on_commit_callbacks(execute=True),
    ):
        document = _ask(tree, agent)

    document.refresh_from_db()
    assert document.status == DocumentRequest.Status.PENDING
    assert "Broker unreachable" in caplog.text

    assert document_dispatch_pending() == 0  # asked for just now: its own task may be on its way
    with celery_broker("memory://") as app:
        with django_capture_on_commit_callbacks(execute=True):
            assert document_dispatch_pending(older_than=timedelta(0)) == 1
        assert _run_published_tasks(app) == 1

    document.refresh_from_db()
    assert document.status == DocumentRequest.Status.DONE


# --- the pages -------------------------------------------------------------------------------


def test_the_status_page_says_in_preparation_then_gives_the_link(client, tree, agent):
    document = _ask(tree, agent)
    client.force_login(agent)
    url = reverse("intranet:document-status", kwargs={"pk": document.pk})
    download = reverse("intranet:document-download", kwargs={"pk": document.pk})

    page = client.get(url).content.decode()
    assert "en préparation" in page
    assert 'hx-trigger="every 2s"' in page
    assert f'hx-get="{url}"' in page
    assert 'aria-live="polite"' in page
    assert f'href="{url}">Actualiser' in page  # without JavaScript
    assert download not in page
    assert client.get(download).status_code == 404  # not ready yet

    document_render(request_id=document.pk)
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert download in partial
    assert "<html" not in partial  # the partial only

    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "Lina Paie" in _text(b"".join(response.streaming_content))


def test_a_failed_document_says_so_and_can_be_asked_again(client, tree, agent, django_capture_on_commit_callbacks):
    document = _ask(tree, agent)
    DocumentRequest.objects.filter(pk=document.pk).update(status=DocumentRequest.Status.FAILED, attempts=3)
    client.force_login(agent)
    url = reverse("intranet:document-status", kwargs={"pk": document.pk})
    page = client.get(url).content.decode()
    assert "n&#x27;a pas pu être préparé" in page or "n'a pas pu être préparé" in page
    retry = reverse("intranet:document-retry", kwargs={"pk": document.pk})
    assert f'action="{retry}"' in page

    assert client.get(retry).status_code == 405  # a POST only
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(retry)
    assert response.status_code == 302
    assert response["Location"] == url
    assert len(callbacks) == 1
    document.refresh_from_db()
    assert document.status == DocumentRequest.Status.PENDING
    assert document.attempts == 0
    assert document_render(request_id=document.pk) is True


def test_another_agent_gets_404_an_administrator_sees_it(client, tree, agent, admin_user):
    document = _ask(tree, agent)
    document_render(request_id=document.pk)
    client.force_login(AgentFactory())
    for name in ("intranet:document-status", "intranet:document-download"):
        assert client.get(reverse(name, kwargs={"pk": document.pk})).status_code == 404
    client.force_login(admin_user)
    assert client.get(reverse("intranet:document-download", kwargs={"pk": document.pk})).status_code == 200


def test_the_big_trombinoscope_goes_to_the_status_page_then_the_pdf(
    client, tree, agent, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(pdf_orgchart, "PDF_SYNC_MAX_AGENTS", 2)
    client.force_login(agent)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.get(reverse("directory:trombinoscope-pdf"), {"unite": tree.direction.pk}, follow=True)
    document = DocumentRequest.objects.get()
    assert response.redirect_chain == [(reverse("intranet:document-status", kwargs={"pk": document.pk}), 302)]
    assert "en préparation" in response.content.decode()


def test_a_very_large_trombinoscope_is_a_zip_of_one_pdf_per_unit_with_its_progress(client, tree, agent, monkeypatch):
    """Issue 19: beyond PDF_SPLIT_AGENTS agents, one PDF per unit (its own members), in a ZIP; the
    status page says how many units are ready while it renders."""
    import zipfile

    from intranet.services import document_progress

    monkeypatch.setattr(pdf_orgchart, "PDF_SPLIT_AGENTS", 2)
    seen = []
    real_record = pdf_orgchart.trombinoscope_zip_render

    def watched(**kwargs):
        progress = kwargs["progress"]

        def record(done, total):
            progress(done, total)
            seen.append(document_progress(document.pk))

        return real_record(**{**kwargs, "progress": record})

    monkeypatch.setattr(pdf_orgchart, "trombinoscope_zip_render", watched)
    document = _ask(tree, agent)
    assert document_render(request_id=document.pk) is True
    document.refresh_from_db()
    assert document.filename == f"trombinoscope-unite-{tree.direction.pk}.zip"
    # the direction, then its two services (each with its own members)
    assert seen == [(1, 3), (2, 3), (3, 3)]
    with document.file.open("rb") as stored, zipfile.ZipFile(BytesIO(stored.read())) as archive:
        names = archive.namelist()
        texts = [_text(archive.read(name)) for name in names]
    assert names == ["001-direction-des-finances.pdf", "002-comptabilite.pdf", "003-paie.pdf"]
    assert "Dora Finances" in texts[0]
    assert "Lina Paie" not in texts[0]
    assert "Lina Paie" in texts[2]

    client.force_login(agent)
    response = client.get(reverse("intranet:document-download", kwargs={"pk": document.pk}))
    assert response["Content-Type"] == "application/zip"


def test_the_status_page_shows_the_progress_of_a_document_in_parts(client, tree, agent):
    from intranet.services import document_progress_record

    document = _ask(tree, agent)
    document_progress_record(document.pk, 2, 7)
    client.force_login(agent)
    page = client.get(reverse("intranet:document-status", kwargs={"pk": document.pk})).content.decode()
    assert "2 parties prêtes sur 7" in page
    assert '<progress id="avancement" max="7" value="2">' in page


# --- a real worker (Redis, PostgreSQL, a separate process) -----------------------------------


@WORKER_DB
@pytest.mark.services
def test_worker_renders_a_requested_document(tree, agent, celery_worker_process):
    document = _ask(tree, agent)

    def done():
        document.refresh_from_db()
        return document.status != DocumentRequest.Status.PENDING

    try:
        wait_until(done, timeout=90, message="the document rendered")
    except AssertionError as error:  # the worker's own account of it (a cold font cache is slow)
        raise AssertionError(f"{error}\n--- worker log ---\n{celery_worker_process.log()[-4000:]}") from None
    assert document.status == DocumentRequest.Status.DONE, document.error
    assert document.filename == f"trombinoscope-unite-{tree.direction.pk}.pdf"
    with document.file.open("rb") as stored:  # the worker's MEDIA_ROOT is this test's (tests/harness.py)
        assert "Lina Paie" in _text(stored.read())
