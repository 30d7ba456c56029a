"""The columns of the plan's spreadsheet (headers, required ones, aliases) and the words its cells
may hold (statuses, directions, the separator inside a cell, text limits)."""

from __future__ import annotations

import re

from actions.models import ActionCard, Indicator
from intranet.directory.importer import Column, normalise

LINE_SEPARATOR = " | "  # inside a cell: "Réunir le groupe de travail | 31/03/2025"
NUMBER_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})$")

COLUMNS = (
    Column("objective_number", "N° objectif", ("numero objectif", "objectif n", "num objectif")),
    Column("objective_title", "Objectif", ("intitule de l objectif", "titre de l objectif")),
    Column("number", "N° action", ("numero action", "numero de l action", "action n", "numero")),
    Column("title", "Action", ("intitule de l action", "titre de l action", "intitule")),
    Column("subtitle", "Sous-titre", (), required=False),
    Column("context_note", "En lien avec", (), required=False),
    Column("objectives", "Objectifs de l'action", ("objectifs",), required=False),
    Column("steps", "Étapes", ("modalites et etapes", "etapes de mise en oeuvre", "modalites"), required=False),
    Column("resources", "Ressources", ("ressources necessaires",), required=False),
    Column("indicators", "Indicateurs", ("indicateurs d evaluation",), required=False),
    Column("pilot_label", "Pilote", ("pilotes",), required=False),
    Column("start_date", "Date de début", ("debut",), required=False),
    Column("end_date", "Date de fin", ("fin",), required=False),
    Column("status", "Statut", (), required=False),
    Column("links", "Actions liées", ("liens", "lien avec", "liens avec d autres actions"), required=False),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
STATUS_INDEX = {
    **{normalise(value): value for value in ActionCard.Status.values},
    **{normalise(str(label)): value for value, label in ActionCard.Status.choices},
}
DIRECTION_INDEX = {
    "": Indicator.Direction.HIGHER,
    "hausse": Indicator.Direction.HIGHER,
    "haut": Indicator.Direction.HIGHER,
    "baisse": Indicator.Direction.LOWER,
    "bas": Indicator.Direction.LOWER,
}
TEXT_LIMITS = {"objective_title": 255, "title": 255, "subtitle": 255, "context_note": 255, "pilot_label": 255}
