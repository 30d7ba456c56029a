"""The plan as CSV, XLSX and PDF (the PDF rendered by a real worker, read back with pypdf)."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from actions import exports
from actions.services.cards import card_update
from actions.services.indicators import measurement_record
from actions.services.plan_loading import plan_data_read, plan_load
from actions.services.steps import card_step_set_state
from intranet.models import DocumentRequest
from intranet.services import document_render
from tests.actions.factories import (
    ActionCardFactory,
    IndicatorFactory,
    MeasurementFactory,
    ObjectiveFactory,
    PlanFactory,
    StepFactory,
)
from tests.harness import wait_until
from tests.querycount import assert_same_queries

# Committed rows for the worker. No serialized_rollback: its closing flush would skip post_migrate and
# leave no content types for the transactional tests that follow (the browser tests sort after this folder).
WORKER_DB = pytest.mark.django_db(transaction=True)


def _pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", " ", text)


def _followed(seed_plan, rh):
    card = seed_plan.cards.get(number="1.1")
    card.start_date, card.end_date = datetime.date(2022, 1, 1), datetime.date(2023, 6, 30)
    card.save()
    card_step_set_state(step=card.steps.get(position=1), user=rh, state="realisee", due_date=datetime.date(2022, 3, 31))
    indicator = card.indicators.first()
    indicator.target, indicator.unit = 120, "agents"
    indicator.save()
    measurement_record(indicator=indicator, user=rh, date=datetime.date(2022, 6, 1), value=40)
    measurement_record(indicator=indicator, user=rh, date=datetime.date(2023, 1, 1), value=75)
    return card, indicator


def test_csv_has_one_row_per_card_with_its_follow_up(client, agent, rh, seed_plan):
    card, indicator = _followed(seed_plan, rh)
    client.force_login(agent)
    response = client.get(reverse("actions:plan-export-csv"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="projet-administration-mad-et-moselle.csv"'
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:5] == ["Objectif", "Numéro", "Action", "Statut", "Avancement (%)"]
    assert len(rows) == 27
    assert [row[1] for row in rows[1:]][:3] == ["1.1", "1.2", "1.3"]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Objectif"].startswith("1. ")
    assert first["Date de début"] == "01/01/2022"
    assert first["Date de fin"] == "30/06/2023"
    assert "1. " in first["Étapes"]
    assert "[Réalisée, échéance 31/03/2022]" in first["Étapes"]
    latest = f"{indicator.definition} : 75 agents le 01/01/2023 (cible 120 agents)"
    assert latest in first["Indicateurs (dernière valeur)"]
    assert first["Avancement (%)"].isdigit()


def test_csv_neutralises_formulas(client, agent):
    ActionCardFactory(title='=HYPERLINK("http://x")')
    client.force_login(agent)
    content = client.get(reverse("actions:plan-export-csv")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert rows[1][2] == '\'=HYPERLINK("http://x")'  # text to a spreadsheet, not a formula


def test_xlsx_reads_back(client, agent, rh, seed_plan):
    _followed(seed_plan, rh)
    client.force_login(agent)
    response = client.get(reverse("actions:plan-export-xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 27
    assert rows[0][2] == "Action"
    titles = {row[2] for row in rows[1:]}
    assert titles == set(seed_plan.cards.values_list("title", flat=True))
    assert rows[1][6] == "01/01/2022"


@pytest.mark.parametrize("name", ["actions:plan-export-csv", "actions:plan-export-xlsx"])
def test_export_query_count_does_not_grow(client, agent, name):
    objective = ObjectiveFactory(plan=PlanFactory())
    card = ActionCardFactory(objective=objective)
    StepFactory(card=card)
    MeasurementFactory(indicator=IndicatorFactory(card=card))
    client.force_login(agent)

    def grow():
        for _index in range(20):
            other = ActionCardFactory(objective=ObjectiveFactory(plan=objective.plan))
            other.related_cards.add(card)
            for _step in range(3):
                StepFactory(card=other)
            indicator = IndicatorFactory(card=other)
            for _measure in range(10):
                MeasurementFactory(indicator=indicator)

    assert_same_queries(client, reverse(name), grow)


def test_plan_pdf_has_every_card_and_the_calendar(rh, seed_plan):
    _followed(seed_plan, rh)
    text = _pdf_text(exports.plan_pdf_render(plan=seed_plan))
    for title in seed_plan.cards.values_list("title", flat=True):
        assert re.sub(r"\s+", " ", title) in text, title
    assert "Calendrier du plan d'action" in text
    assert "Modalités et étapes de mise en œuvre" in text
    assert "dernière valeur 75 agents le 01/01/2023" in text


def test_pdf_button_asks_a_document_and_goes_to_its_status_page(client, agent, seed_plan):
    client.force_login(agent)
    response = client.post(reverse("actions:plan-export-pdf"))
    document = DocumentRequest.objects.get()
    assert response["Location"] == reverse("intranet:document-status", args=[document.pk])
    assert document.kind == "actions.plan"
    assert document.params["plan_id"] == seed_plan.pk
    # Asked again while it is being prepared: the same request, not a second rendering.
    client.post(reverse("actions:plan-export-pdf"))
    assert DocumentRequest.objects.count() == 1
    assert document_render(request_id=document.pk)
    document.refresh_from_db()
    assert document.filename == "projet-administration-mad-et-moselle.pdf"


def test_a_changed_plan_is_rendered_again(client, agent, rh, seed_plan):
    client.force_login(agent)
    client.post(reverse("actions:plan-export-pdf"))
    first = DocumentRequest.objects.get()
    document_render(request_id=first.pk)
    client.post(reverse("actions:plan-export-pdf"))
    assert DocumentRequest.objects.count() == 1  # unchanged plan: the file of the hour is given again
    card_update(card=seed_plan.cards.get(number="2.1"), user=rh, data={"status": "realisee"})
    client.post(reverse("actions:plan-export-pdf"))
    assert DocumentRequest.objects.count() == 2


@WORKER_DB
@pytest.mark.services
def test_worker_renders_the_plan_pdf(client, agent, celery_worker_process):
    plan = plan_load(data=plan_data_read())
    client.force_login(agent)
    client.post(reverse("actions:plan-export-pdf"))
    document = DocumentRequest.objects.get()

    def done():
        document.refresh_from_db()
        return document.status != DocumentRequest.Status.PENDING

    try:
        wait_until(done, timeout=120, message="the plan's PDF rendered")
    except AssertionError as error:
        raise AssertionError(f"{error}\n--- worker log ---\n{celery_worker_process.log()[-4000:]}") from None
    assert document.status == DocumentRequest.Status.DONE, document.error
    with document.file.open("rb") as stored:
        text = _pdf_text(stored.read())
    for title in plan.cards.values_list("title", flat=True):
        assert re.sub(r"\s+", " ", title) in text, title
    response = client.get(reverse("intranet:document-download", args=[document.pk]))
    assert response.status_code == 200
