"""The template to fill in, as CSV or XLSX: the headers, example rows, and a sheet of instructions."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from actions.importer.columns import COLUMNS

EXAMPLE_ROWS = [
    [
        "1",
        "Co construire les politiques intra et interservices",
        "1.1",
        "Former les agents au reporting (prise de note/ rapport)",
        "",
        "",
        "Améliorer la communication entre les agents et les élus\nValoriser le travail effectué",
        "Inscription de l'action au plan de formation | 31/12/2022\nMise en œuvre de plusieurs sessions",
        "Ressources Humaines",
        "Nombre d'agents formés | agents | 0 | 40 | hausse\nRetour des agents et des élus",
        "DGA",
        "01/01/2022",
        "31/12/2023",
        "En cours",
        "1.2",
    ],
    [
        "1",
        "Co construire les politiques intra et interservices",
        "1.2",
        "Favoriser les échanges et la convivialité entre les services",
        "",
        "",
        "",
        "",
        "",
        "",
        "Direction",
        "",
        "",
        "",
        "",
    ],
]


def template_headers() -> list[str]:
    return [column.header for column in COLUMNS]


def plan_import_template_csv() -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(template_headers())
    writer.writerows(EXAMPLE_ROWS)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def plan_import_template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Actions")
    sheet.append(template_headers())
    for row in EXAMPLE_ROWS:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.number_format = "@"  # text: 1.10 stays 1.10, dates stay as typed
    for index, width in enumerate([8, 30, 8, 40, 20, 20, 40, 50, 25, 50, 15, 12, 12, 12, 12]):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    notes = workbook.create_sheet(_("Mode d'emploi"))
    for line in (
        _("Une ligne par fiche action. Colonnes obligatoires : N° objectif, Objectif, N° action, Action."),
        _(
            "Dans une cellule, un élément par ligne (Alt+Entrée dans Excel) : objectifs, étapes, ressources, "
            "indicateurs."
        ),
        _("Étape : « intitulé | échéance JJ/MM/AAAA » (l'échéance est facultative)."),
        _(
            "Indicateur : « définition | unité | valeur de départ | cible | hausse ou baisse » (seule la "
            "définition est obligatoire)."
        ),
        _("Statut : À lancer, En cours, En retard, Réalisée, Reportée ou Abandonnée ; vide : inchangé."),
        _("Actions liées : les numéros séparés par des virgules, par exemple 3.3, 4.1."),
        _("La documentation complète : docs/plan_import.md."),
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
