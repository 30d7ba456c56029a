"""Build HR files for the import tests: CSV (any encoding, any delimiter) and XLSX."""

import csv
import io

HEADERS = [
    "Matricule",
    "Nom",
    "Prénom",
    "E-mail",
    "Fonction",
    "Service",
    "Site",
    "Matricule du responsable",
    "Date d'arrivée",
    "Date de départ",
]


def agent_row(
    matricule,
    last_name="Martin",
    first_name="Léa",
    email=None,
    job="Gestionnaire",
    unit="Service des ressources humaines",
    site="Siège",
    manager="",
    arrival="01/09/2024",
    departure="",
):
    return [
        matricule,
        last_name,
        first_name,
        email or f"{matricule.lower()}@test.local",
        job,
        unit,
        site,
        manager,
        arrival,
        departure,
    ]


def csv_bytes(rows, *, headers=HEADERS, delimiter=";", encoding="utf-8", bom=False) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows, *, headers=HEADERS) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
