import datetime

import pytest

from actions.models import Step
from actions.reviews.services.committee import review_open
from tests.actions.factories import (
    ActionCardFactory,
    IndicatorFactory,
    MeasurementFactory,
    ObjectiveFactory,
    PlanFactory,
    StepFactory,
)
from tests.reviews.factories import ReviewFactory


@pytest.fixture
def plan(db):
    return PlanFactory(title="Projet d'administration de test")


@pytest.fixture
def cards(plan, pilote):
    """Three cards: 1.1 piloted by `pilote` (2 steps of 4 done, an indicator at 30),
    1.2 and 2.1 without pilot."""
    first, second = ObjectiveFactory(plan=plan, number=1), ObjectiveFactory(plan=plan, number=2)
    card = ActionCardFactory(objective=first, position=1, title="Co-construire les politiques", status="en_cours")
    card.pilot_agents.add(pilote)
    for position, state in enumerate([Step.State.DONE, Step.State.DONE, Step.State.TODO, Step.State.TODO], 1):
        StepFactory(card=card, position=position, state=state)
    indicator = IndicatorFactory(card=card, position=1, definition="Nombre de réunions", unit="réunions", target=12)
    MeasurementFactory(indicator=indicator, date=datetime.date(2025, 1, 1), value=10)
    MeasurementFactory(indicator=indicator, date=datetime.date(2025, 6, 1), value=30)
    return [
        card,
        ActionCardFactory(objective=first, position=2, title="Améliorer le lien avec les communes"),
        ActionCardFactory(objective=second, position=1, title="Mieux connaître les services"),
    ]


@pytest.fixture
def review(plan, cards):
    return ReviewFactory(plan=plan, year=2026, date=datetime.date(2026, 12, 10))


@pytest.fixture
def open_review(review, copil):
    return review_open(review=review, user=copil)
