"""intranet.pdf: a PDF reads our media and static files and inline data, never another URL."""

import base64
import http.server
import io
import threading

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from pypdf import PdfReader

from intranet.pdf import pdf_document, pdf_from_html
from tests.intranet.directory.images import image_bytes


def _images(pdf: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def loopback_server():
    """An HTTP server on loopback that records every request it gets."""
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(image_bytes())

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", requests
    server.shutdown()
    server.server_close()


def test_media_static_and_inline_images_are_printed(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    name = default_storage.save("photos/portrait.jpg", ContentFile(image_bytes("JPEG", size=(40, 40))))
    inline = "data:image/png;base64," + base64.b64encode(image_bytes(size=(40, 40))).decode()
    assert _images(pdf_from_html(f'<img src="media:{name}"><img src="{inline}">')) == 2


def test_static_files_are_read_from_our_static_folders():
    from django.contrib.staticfiles import finders

    from intranet.pdf import _own_files_fetcher

    response = _own_files_fetcher().fetch("static:img/favicon.svg")
    with open(finders.find("img/favicon.svg"), "rb") as own:
        assert response.read() == own.read()


def test_other_urls_are_never_fetched(loopback_server, tmp_path):
    url, requests = loopback_server
    secret = tmp_path / "secret.png"
    secret.write_bytes(image_bytes())
    document = pdf_document(
        f'<link rel="stylesheet" href="{url}/style.css"><img src="{url}/tracker.png">'
        f'<img src="file://{secret}"><p style="background: url({url}/bg.png)">Texte</p>'
    )
    assert requests == []
    assert _images(document.write_pdf()) == 0
