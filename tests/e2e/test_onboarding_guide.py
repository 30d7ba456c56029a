"""Onboarding in the browser: rh@ records an arrival, the new agent finds their checklist,
ticks a task, reads their guide and downloads it as a PDF rendered by a real Celery worker
(which also e-mails it to them through the SMTP test server). Zero axe violations."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from onboarding import content
from onboarding.models import Arrival
from tests.e2e.conftest import assert_no_axe_violations, assert_no_console_errors, login_as, pick
from tests.factories import AgentFactory

pytestmark = pytest.mark.browser


def test_hr_records_an_arrival_and_the_new_agent_downloads_their_guide(
    page, axe, live_server, rh, manager, unit, site, settings, tmp_path, smtp_server, celery_worker_process
):
    settings.MEDIA_ROOT = str(tmp_path / "media")  # where the worker writes the PDF
    content.chapters_seed()
    content.journey_template_seed(it_email="dsi@test.local")
    newcomer = AgentFactory(
        first_name="Nina",
        last_name="Nouvelle",
        email="nina.nouvelle@test.local",
        org_unit=unit,
        site=site,
        job_title="Gestionnaire paie",
    )
    arrival_day = timezone.localdate() + timedelta(days=7)

    login_as(page, live_server, rh)
    page.goto(live_server.url + reverse("onboarding:my-journey"))
    assert_no_axe_violations(page, axe)
    page.get_by_role("link", name="Arrivées", exact=True).click()
    page.get_by_role("link", name="Enregistrer une arrivée").click()
    assert_no_axe_violations(page, axe)
    pick(page, "Agent qui arrive*", "nina", f"Nouvelle Nina — {unit}")
    page.get_by_label("Date d'arrivée").fill(arrival_day.isoformat())
    pick(page, "Encadrant", manager.last_name, f"{manager.last_name} {manager.first_name} — {unit}")
    page.get_by_role("button", name="Enregistrer l'arrivée").click()
    page.wait_for_selector("text=son parcours est prêt")
    arrival = Arrival.objects.get(agent=newcomer)
    assert arrival.manager == manager
    assert arrival.tasks.count() == len(content.JOURNEY_TASKS)
    first_task = "Préparer le poste de travail et le planning de la première semaine"
    assert page.get_by_role("cell", name=first_task, exact=True).is_visible()
    assert_no_axe_violations(page, axe)
    page.goto(live_server.url + reverse("onboarding:arrival-list"))
    assert page.get_by_role("link", name="Nina Nouvelle").is_visible()
    assert_no_axe_violations(page, axe)
    assert_no_console_errors(page)

    page.context.clear_cookies()
    login_as(page, live_server, newcomer)
    assert page.get_by_role("link", name="Voir mon parcours").is_visible()  # the home page's slot
    assert_no_axe_violations(page, axe)
    page.get_by_role("button", name="Emploi et parcours").click()
    page.get_by_role("link", name="Intégration des nouveaux agents").click()
    page.get_by_role("link", name="Ma liste de tâches").click()
    assert_no_axe_violations(page, axe)
    task = "Lire le guide d'accueil et se connecter à l'intranet"
    page.get_by_role("button", name=f"Cocher « {task} » comme faite").click()
    page.get_by_role("button", name=f"Décocher « {task} »").wait_for()
    assert arrival.tasks.get(title__startswith="Lire le guide").done_at is not None
    assert_no_axe_violations(page, axe)

    page.get_by_role("link", name="Lire le guide d'accueil").click()
    assert page.get_by_role("heading", name="Votre encadrant et votre parrain ou marraine").is_visible()
    assert_no_axe_violations(page, axe)

    page.goto(live_server.url + reverse("onboarding:guide-status", args=[arrival.pk]))
    download_link = page.get_by_role("link", name="Télécharger le guide (PDF)")
    download_link.wait_for(timeout=60_000)  # the worker renders it (polled by htmx)
    assert_no_axe_violations(page, axe)
    with page.expect_download() as info:
        download_link.click()
    pdf = PdfReader(info.value.path())
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "Nina Nouvelle" in text
    assert "Martine Encadrante" in text
    assert "Sommaire" in text
    assert_no_console_errors(page)

    # The manager was told of the arrival; the newcomer received the guide, PDF attached.
    mails = smtp_server.wait_for(2, timeout=60)
    [mail] = [m for m in mails if newcomer.email in m.rcpt_tos]
    [attachment] = list(mail.message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert "Nina Nouvelle" in PdfReader(io.BytesIO(attachment.get_content())).pages[0].extract_text()
