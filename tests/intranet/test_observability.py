"""Logs, metrics and error reports (issue 20, item 4): every log line of a request carries its id
(JSON in production), Prometheus reads the site's figures from the monitoring server's address
only, errors go to Sentry when — and only when — a DSN is set."""

import io
import json
import logging
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.conf import settings
from pythonjsonlogger.json import JsonFormatter

from intranet.logs import RequestIdFilter
from intranet.services import email_queue
from tests.harness import BASE_DIR


@pytest.fixture
def json_log():
    """The production formatter and filter (settings.LOGGING) on django.request's records."""
    config = settings.LOGGING["formatters"]["json"]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter(config["fmt"], rename_fields=config["rename_fields"]))
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


@pytest.mark.django_db
def test_a_request_s_log_lines_carry_its_id_in_json_and_the_response_gives_it_back(client, json_log):
    response = client.get("/page-qui-n-existe-pas/", headers={"X-Request-ID": "proxy-7f3a9c21"})

    assert response.status_code == 404
    assert response["X-Request-ID"] == "proxy-7f3a9c21"
    [line] = json_log()
    assert line["request_id"] == "proxy-7f3a9c21"
    assert (line["level"], line["logger"]) == ("WARNING", "django.request")
    assert "Not Found" in line["message"]
    assert {"time", "pid"} <= set(line)


@pytest.mark.django_db
def test_a_request_without_a_usable_id_gets_a_fresh_one(client, json_log):
    first = client.get("/page-qui-n-existe-pas/")["X-Request-ID"]
    second = client.get("/page-qui-n-existe-pas/", headers={"X-Request-ID": "<script>"})["X-Request-ID"]

    assert (len(first), len(second)) == (32, 32)
    assert first != second
    assert [line["request_id"] for line in json_log()] == [first, second]


@pytest.mark.django_db
def test_prometheus_reads_the_requests_and_the_background_work_from_its_address_only(client):
    email_queue(to="helene.dupont@test.local", subject="Réunion", text="À jeudi.", kind="test.metrics")
    client.get("/sante/")

    metrics = client.get("/metrics").content.decode()  # the test client comes from 127.0.0.1

    assert 'maison_commune_outbox_emails{status="pending"} 1.0' in metrics
    assert 'maison_commune_documents{status="pending"} 0.0' in metrics
    assert 'maison_commune_mailing_deliveries{status="sent"}' in metrics
    assert "django_http_requests_total_by_method_total" in metrics
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404


def test_error_reporting_is_off_without_a_dsn():
    import sentry_sdk

    assert not settings.SENTRY_DSN
    assert not sentry_sdk.get_client().is_active()


class _Envelopes(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        encoding = self.headers.get("Content-Encoding")
        if encoding == "gzip":
            import gzip

            body = gzip.decompress(body)
        elif encoding == "br":
            import brotli

            body = brotli.decompress(body)
        _Envelopes.received.append(body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.mark.services
def test_with_a_dsn_errors_reach_the_reporting_server_without_personal_data(tmp_path):
    server = HTTPServer(("127.0.0.1", 0), _Envelopes)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    script = (
        "import django, sentry_sdk\n"
        "django.setup()\n"
        "assert sentry_sdk.get_client().is_active()\n"
        "try:\n"
        "    1 / 0\n"
        "except ZeroDivisionError:\n"
        "    sentry_sdk.capture_exception()\n"
        "sentry_sdk.flush(10)\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "intranet.settings",
        "DJANGO_SECRET_KEY": "tests-only-sentry-secret-key-0123456789",
        "SENTRY_DSN": f"http://public@127.0.0.1:{server.server_port}/1",
        "PYTHONPATH": str(BASE_DIR),
    }
    try:
        subprocess.run([sys.executable, "-c", script], env=env, cwd=BASE_DIR, check=True, timeout=60)  # noqa: S603
    finally:
        server.shutdown()

    sent = b"".join(_Envelopes.received).decode("utf-8", "replace")
    assert "ZeroDivisionError" in sent
