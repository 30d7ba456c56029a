"""Communication in the browser: the send's control page, its progress refreshed live (htmx
polling), pause, the list of mailings; zero axe violations, no console or CSP error."""

import pytest
from django.urls import reverse

from mailing.models import Mailing
from mailing.services import mailing_send_batch, mailing_start
from tests.e2e.conftest import assert_no_axe_violations, assert_no_console_errors, login_as
from tests.harness import celery_broker
from tests.mailing.factories import make_agents, make_mailing

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _empty_memory_broker():
    """kombu's memory:// queues live as long as the process: leave none of this test's tasks."""
    yield
    from kombu import Connection

    with Connection("memory://") as connection, connection.SimpleQueue("celery") as queue:
        queue.clear()


def test_communication_follows_the_send_live_and_pauses_it(page, axe, live_server, communication, smtp_server):
    from django.contrib.contenttypes.models import ContentType
    from playwright.sync_api import expect  # installed with the browser tests' extras

    ContentType.objects.clear_cache()  # ids cached before an earlier transactional test's flush
    mailing = make_mailing(agents=make_agents(6), created_by=communication, subject="Bienvenue n° 7")
    with celery_broker("memory://"):  # no worker: the test sends the batches itself
        mailing_start(mailing=mailing, user=communication)
        mailing_send_batch(mailing_id=mailing.pk, size=2)
    login_as(page, live_server, communication)

    page.goto(live_server.url + reverse("mailing:mailing-detail", args=[mailing.pk]))
    assert page.get_by_role("heading", name="Bienvenue n° 7").is_visible()
    progress = page.get_by_label("Envois par e-mail traités : 33 %")
    assert progress.evaluate("element => element.value") == 33
    assert page.locator("#mailing-progress").get_attribute("aria-live") == "polite"
    assert page.locator("[data-count=sent]").inner_text() == "2"
    assert_no_axe_violations(page, axe)

    with celery_broker("memory://"):
        mailing_send_batch(mailing_id=mailing.pk, size=2)  # the worker moves on: the page follows
    expect(page.locator("[data-count=sent]")).to_have_text("4", timeout=10_000)  # polled every 2 s
    assert page.locator("[data-count=remaining]").inner_text() == "2"

    page.get_by_role("button", name="Mettre en pause").click()
    page.wait_for_url(live_server.url + reverse("mailing:mailing-detail", args=[mailing.pk]))
    assert page.get_by_text("L'envoi est en pause.").is_visible()
    assert Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.PAUSED
    assert page.get_by_role("button", name="Reprendre l'envoi").is_visible()
    assert_no_axe_violations(page, axe)

    page.get_by_role("link", name="Envois de courriels").last.click()  # the breadcrumb: every mailing
    page.wait_for_url(live_server.url + reverse("mailing:mailing-list"))
    assert page.get_by_role("link", name="Bienvenue n° 7").is_visible()
    assert page.get_by_role("cell", name="4 / 6").is_visible()
    assert_no_axe_violations(page, axe)
    assert_no_console_errors(page)
