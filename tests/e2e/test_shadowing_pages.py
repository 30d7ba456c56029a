"""Every job-shadowing page in a real browser, for the people who use it: zero axe violations,
no console or CSP error (the visitor signs the agreement through the page on the way)."""

import importlib

import pytest
from django.urls import reverse
from django.utils import timezone

from onboarding.shadowing.models import AgreementVersion, Visit
from tests.e2e.conftest import (
    assert_no_console_errors,
    axe_violations,
    format_violations_by_page,
    login_as,
)
from tests.shadowing.factories import CampaignFactory, OfferFactory, VisitFactory, host_with_manager

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _agreement(transactional_db):
    """The agreement's first version comes from a data migration, which an earlier transactional
    test's flush erased: put it back, as a fresh installation has it."""
    v1 = importlib.import_module("onboarding.shadowing.migrations.0002_agreement_v1")
    if not AgreementVersion.objects.exists():
        AgreementVersion.objects.create(version=1, text=v1.TEXT)


def _walk(page, axe, live_server, paths) -> dict:
    found = {}
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response.status == 200, f"{path}: {response.status}"
        violations = axe_violations(page, axe)
        if violations:
            found[path] = violations
        assert_no_console_errors(page)
    return found


def test_the_shadowing_pages_have_no_axe_violations(browser, page, axe, live_server, agent, manager, rh):
    campaign = CampaignFactory(title="Printemps")
    host, _boss = host_with_manager(first_name="Karim", last_name="Benali")
    offer = OfferFactory(host=host, org_unit=host.org_unit, site=host.site, job_title="Travailleur social")
    accepted = VisitFactory(campaign=campaign, visitor=agent, offer=offer, state=Visit.State.ACCEPTED)
    done = VisitFactory(
        campaign=campaign,
        visitor=agent,
        offer=offer,
        state=Visit.State.DONE,
        scheduled_on=timezone.localdate(),
        slot="matin",
        report="Très instructif.",
        report_publish_consent=True,
        report_published_at=timezone.now(),
    )
    free = VisitFactory(campaign=campaign, visitor=agent, offer=None, host=None, wished_job="Jardinier")
    found = {}

    login_as(page, live_server, agent)
    page.goto(live_server.url + reverse("shadowing:visit-agreement", args=[accepted.pk]))
    page.get_by_label("J'ai lu l'engagement de discrétion et je m'engage à le respecter.").check()
    page.get_by_role("button", name="Je signe l'engagement").click()
    # the copy for both is rendered (WeasyPrint) in this request: give a loaded machine time
    page.wait_for_url(live_server.url + accepted.get_absolute_url(), timeout=60_000)
    assert page.get_by_text("Engagement signé").first.is_visible()
    found |= _walk(
        page,
        axe,
        live_server,
        [
            reverse("shadowing:offer-list"),
            reverse("shadowing:offer-create"),
            reverse("shadowing:visit-create"),
            f"{reverse('shadowing:visit-create')}?offre={offer.pk}",
            reverse("shadowing:visit-mine"),
            accepted.get_absolute_url(),
            done.get_absolute_url(),
            reverse("shadowing:report-list"),
            reverse("shadowing:visit-agreement", args=[accepted.pk]),
        ],
    )
    page.context.clear_cookies()
    login_as(page, live_server, manager)
    found |= _walk(page, axe, live_server, [reverse("shadowing:visit-queue"), reverse("shadowing:absence")])
    page.context.clear_cookies()
    login_as(page, live_server, rh)
    found |= _walk(
        page,
        axe,
        live_server,
        [
            reverse("shadowing:campaign-list"),
            reverse("shadowing:campaign-detail", args=[campaign.pk]),
            reverse("shadowing:campaign-figures", args=[campaign.pk]),
            reverse("shadowing:agreement-edit"),
            free.get_absolute_url(),
            accepted.get_absolute_url(),
        ],
    )
    assert not found, format_violations_by_page(found)
