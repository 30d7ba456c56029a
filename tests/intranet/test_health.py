"""/sante/ tells the parts of the installation apart (issue 20, item 4): JSON for monitors without
error messages, a page for administrators with them; 503 only when the database does not answer."""

import shutil
from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone

from intranet import smtp
from intranet.models import Heartbeat
from intranet.services import heartbeat_record
from tests.harness import free_port, wait_until

URL = "/sante/"


def _alive(**ages):
    for key in ("worker", "beat"):
        Heartbeat.objects.update_or_create(key=key, defaults={"at": timezone.now() - ages.get(key, timedelta(0))})


@pytest.mark.django_db
def test_the_json_gives_each_part_its_status_and_no_error_message(client, smtp_server):
    _alive()

    response = client.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok", body
    assert set(body["checks"]) == {"database", "redis", "worker", "beat", "smtp", "disk"}
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["worker"]["heartbeat_age_seconds"] <= 1
    assert body["checks"]["smtp"]["status"] == "ok"
    assert body["checks"]["disk"]["media_free_bytes"] > 0
    assert all("detail" not in check for check in body["checks"].values())


@pytest.mark.django_db
def test_a_silent_worker_or_beat_is_an_error_told_apart(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    body = client.get(URL).json()
    assert body["status"] == "degraded"  # nothing ever signalled
    assert body["checks"]["worker"]["status"] == body["checks"]["beat"]["status"] == "error"
    assert body["checks"]["smtp"]["status"] == "off"

    _alive(worker=timedelta(minutes=10))
    body = client.get(URL).json()
    assert (body["checks"]["worker"]["status"], body["checks"]["beat"]["status"]) == ("error", "ok")
    assert body["checks"]["worker"]["heartbeat_age_seconds"] >= 600

    _alive(beat=timedelta(minutes=10))
    body = client.get(URL).json()
    assert (body["checks"]["worker"]["status"], body["checks"]["beat"]["status"]) == ("ok", "error")


@pytest.mark.django_db
def test_an_unreachable_smtp_server_is_an_error_with_its_reason_for_administrators_only(
    client, admin_user, smtp_server
):
    _alive()
    smtp_server.stop()

    assert client.get(URL).json()["checks"]["smtp"]["status"] == "error"
    client.force_login(admin_user)
    page = client.get(reverse("intranet:health-detail")).content.decode()
    assert 'data-check="smtp" data-check-status="error"' in page
    assert "ConnectionRefusedError" in page

    # A sender met the outage: the page says since when and how often it is tried again.
    smtp.mark_unreachable(ConnectionRefusedError(111, "Connection refused"))
    page = client.get(reverse("intranet:health-detail")).content.decode()
    assert "Le serveur SMTP est injoignable depuis" in page


@pytest.mark.django_db
def test_a_full_disk_is_an_error_a_filling_one_a_warning(client, monkeypatch, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _alive()
    gib = 1024**3

    monkeypatch.setattr(shutil, "disk_usage", lambda path: shutil._ntuple_diskusage(100 * gib, 95 * gib, 5 * gib))
    assert client.get(URL).json()["checks"]["disk"]["status"] == "warning"
    monkeypatch.setattr(shutil, "disk_usage", lambda path: shutil._ntuple_diskusage(100 * gib, 99.8 * gib, 0.2 * gib))
    body = client.get(URL).json()
    assert (body["status"], body["checks"]["disk"]["status"]) == ("degraded", "error")


@pytest.mark.django_db
def test_a_database_that_does_not_answer_gives_503(client):
    def refuse(execute, sql, params, many, context):
        raise OperationalError("the server closed the connection unexpectedly")

    with connection.execute_wrapper(refuse):
        response = client.get(URL)

    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert response.json()["checks"]["database"]["status"] == "error"


@pytest.mark.django_db
def test_redis_down_is_told_apart(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _alive()

    body = client.get(URL).json()

    assert body["checks"]["redis"]["status"] == "error"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["status"] == "degraded"


@pytest.mark.django_db
def test_the_administrators_page_is_in_french_and_for_them_only(client, admin_user, agent):
    heartbeat_record(key="worker")
    client.force_login(agent)
    assert client.get(reverse("intranet:health-detail")).status_code == 403
    client.force_login(admin_user)

    page = client.get(reverse("intranet:health-detail")).content.decode()

    assert '<h1 class="h2 mb-3">État de l\'installation</h1>' in page
    assert "Un worker s&#x27;est signalé il y a" in page
    assert "ne s&#x27;est jamais signalé." in page  # beat


@pytest.mark.django_db(transaction=True)
@pytest.mark.services
def test_a_running_worker_and_beat_show_as_alive(client, celery_worker_with_beat):
    def alive() -> bool:
        checks = client.get(URL).json()["checks"]
        return checks["worker"]["status"] == checks["beat"]["status"] == "ok"

    wait_until(alive, timeout=30, message="the worker's and beat's heartbeats")
