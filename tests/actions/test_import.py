"""Import of another administration's plan from the documented template (CSV/XLSX): preview
with line-numbered French errors, all or nothing, idempotent."""

import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from actions.importer import COLUMNS, plan_import_apply, plan_import_preview, plan_import_template_csv
from actions.models import ActionCard, CardChange, Plan
from intranet.models import AuditLogEntry

HEADER = ";".join(column.header for column in COLUMNS)


def _csv(*rows: str) -> bytes:
    return ("\ufeff" + "\r\n".join([HEADER, *rows]) + "\r\n").encode("utf-8")


def _upload(client, content: bytes, name="plan.csv", title="Projet d'administration de Testville"):
    return client.post(
        reverse("actions:plan-import"),
        {
            "file": SimpleUploadedFile(name, content),
            "title": title,
            "organisation": "Testville",
            "period_start": "2024-01-01",
            "period_end": "2027-12-31",
        },
    )


def test_template_round_trip_preview_apply_and_idempotent_rerun(client, rh):
    client.force_login(rh)
    template = client.get(reverse("actions:plan-import-template-xlsx"))
    assert template.status_code == 200
    workbook = load_workbook(io.BytesIO(template.content))
    assert [cell.value for cell in workbook.active[1]] == [column.header for column in COLUMNS]
    assert "Mode d'emploi" in workbook.sheetnames

    response = _upload(client, template.content, name="modele.xlsx")
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert "à créer : 2" in preview.text
    assert "Importer le plan" in preview.text
    applied = client.post(response["Location"] + "appliquer/", follow=True)
    assert "2 fiche(s) créée(s)" in applied.text

    plan = Plan.objects.get(slug="projet-dadministration-de-testville")
    assert plan.is_current
    assert (plan.organisation, plan.period_end) == ("Testville", datetime.date(2027, 12, 31))
    card = plan.cards.get(number="1.1")
    assert card.status == ActionCard.Status.IN_PROGRESS
    assert card.objective.title == "Co construire les politiques intra et interservices"
    assert card.objectives_list == [
        "Améliorer la communication entre les agents et les élus",
        "Valoriser le travail effectué",
    ]
    first_step = card.steps.get(position=1)
    assert first_step.due_date == datetime.date(2022, 12, 31)
    indicator = card.indicators.get(position=1)
    assert (indicator.unit, indicator.baseline, indicator.target) == ("agents", Decimal("0"), Decimal("40"))
    assert [c.number for c in card.related_cards.all()] == ["1.2"]
    assert AuditLogEntry.objects.filter(action="plan.import").count() == 1

    # The same file imported again changes nothing.
    before = CardChange.objects.count(), list(plan.cards.values_list("pk", "title", "status", "updated_at"))
    response = _upload(client, template.content, name="modele.xlsx")
    preview = client.get(response["Location"])
    assert "inchangées : 2" in preview.text
    client.post(response["Location"] + "appliquer/")
    assert (CardChange.objects.count(), list(plan.cards.values_list("pk", "title", "status", "updated_at"))) == before
    assert Plan.objects.count() == 1

    # A status the file gives wins over the one followed in the intranet (docs/plan_import.md).
    card.status = ActionCard.Status.DONE
    card.save()
    preview = plan_import_preview(content=template.content, filename="modele.xlsx", title=plan.title)
    assert [row.status for row in preview.rows] == ["changed", "unchanged"]


def test_csv_template_has_the_documented_columns(client, rh):
    content = plan_import_template_csv().decode("utf-8-sig")
    assert content.splitlines()[0] == HEADER
    preview = plan_import_preview(content=plan_import_template_csv(), filename="modele.csv", title="Essai")
    assert not preview.has_errors


def test_errors_are_listed_by_line_in_french_and_nothing_is_stored(client, rh):
    content = _csv(
        "1;Objectif un;1.1;Action correcte;;;;Étape | 31/02/2025;;Taux | % | x | 90 | hausse;;;;;",
        "1;Objectif un;1.1;Doublon;;;;;;;;01/01/2025;01/01/2024;Commencée;",
        "2;Objectif deux;3.1;Mauvais objectif;;;;;;;;;;;9.9",
        "2;Autre titre;2.1;;;;;;;;;;;;",
    )
    client.force_login(rh)
    response = _upload(client, content)
    text = client.get(response["Location"]).text
    for expected in (
        "Ligne 2 : Échéance de l&#x27;étape 1 « 31/02/2025 » invalide",
        "Ligne 2 : Indicateur 1 : valeur de départ « x » n&#x27;est pas un nombre.",
        "Ligne 3 : L&#x27;action 1.1 figure déjà à la ligne 2.",
        "Ligne 3 : La date de fin précède la date de début.",
        "Ligne 3 : Statut « Commencée » inconnu",
        "Ligne 4 : L&#x27;action 3.1 n&#x27;appartient pas à l&#x27;objectif 2.",
        "Ligne 4 : Action liée 9.9 absente du fichier.",
        "Ligne 5 : Action obligatoire.",
        "Ligne 5 : L&#x27;objectif 2 porte un autre intitulé à la ligne 4",
    ):
        assert expected in text, expected
    assert "Importer le plan</button>" not in text
    refused = client.post(response["Location"] + "appliquer/", follow=True)
    assert "Ligne 3 : L&#x27;action 1.1 figure déjà à la ligne 2." in refused.text
    assert not Plan.objects.exists()


def test_a_file_without_the_required_columns_is_refused(rh):
    preview = plan_import_preview(content="Nom;Prénom\r\nDupont;Jean\r\n".encode(), filename="x.csv", title="Essai")
    assert preview.file_errors[0].startswith("Colonne(s) obligatoire(s) absente(s) : « N° objectif »")
    preview = plan_import_preview(content=b"\xd0\xcf\x11\xe0rest", filename="vieux.xls", title="Essai")
    assert "Excel 97-2003" in preview.file_errors[0]


def test_bad_upload_form_is_french_and_no_500(client, rh):
    client.force_login(rh)
    response = client.post(
        reverse("actions:plan-import"),
        {
            "file": SimpleUploadedFile("plan.pdf", b"%PDF"),
            "title": "  ",
            "period_start": "2025-01-01",
            "period_end": "2024-01-01",
        },
    )
    assert response.status_code == 400
    assert "Choisissez un fichier CSV ou XLSX." in response.text
    assert "Ce champ est obligatoire." in response.text
    assert "La fin de la période doit suivre son début." in response.text


def test_cards_missing_from_the_file_are_announced_then_removed(rh):
    content = _csv("1;Objectif un;1.1;Première;;;;;;;;;;;", "1;Objectif un;1.2;Deuxième;;;;;;;;;;;")
    plan_import_apply(content=content, filename="p.csv", user=rh, title="Essai")
    shorter = _csv("1;Objectif un;1.1;Première;;;;;;;;;;;")
    preview = plan_import_preview(content=shorter, filename="p.csv", title="Essai")
    assert preview.removed == ["1.2"]
    assert preview.count("unchanged") == 1
    result = plan_import_apply(content=shorter, filename="p.csv", user=rh, title="Essai")
    assert result.removed == 1
    assert list(Plan.objects.get().cards.values_list("number", flat=True)) == ["1.1"]


def test_an_expired_or_foreign_token_is_404(client, rh):
    client.force_login(rh)
    assert client.get(reverse("actions:plan-import-preview", args=["0" * 32])).status_code == 404


def test_an_unforeseen_database_refusal_is_a_french_error_and_stores_nothing(rh, monkeypatch):
    import pytest
    from django.db import IntegrityError

    from actions.services import plan_loading
    from intranet.directory.importer import ImportFileError

    def failing_load(*, data):
        Plan.objects.create(title="À moitié", slug="a-moitie")
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(plan_loading, "plan_load", failing_load)
    content = _csv("1;Objectif un;1.1;Première;;;;;;;;;;;")
    with pytest.raises(ImportFileError, match="Le plan n'a pas pu être importé"):
        plan_import_apply(content=content, filename="p.csv", user=rh, title="Essai")
    assert not Plan.objects.exists()
