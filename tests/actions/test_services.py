import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from actions.models import ActionCard, CardChange, Indicator, Measurement, Objective, Plan, Step, SubObjective
from actions.progress import card_progress, indicator_progress, objective_progress, rollup
from actions.services.cards import card_update
from actions.services.indicators import measurement_record
from actions.services.plan_loading import plan_data_read, plan_load
from actions.services.steps import card_step_set_state
from tests.actions.factories import ActionCardFactory, IndicatorFactory, ObjectiveFactory, StepFactory

EXPECTED_NUMBERS = [
    "1.1",
    "1.2",
    "1.3",
    "1.4",
    "2.1",
    "2.2",
    "2.3",
    "2.4",
    "2.5",
    "2.6",
    "2.7",
    "3.1",
    "3.2",
    "3.3",
    "3.4",
    "4.1",
    "4.2",
    "4.3",
    "4.4",
    "4.5",
    "4.6",
    "4.7",
    "5.1",
    "5.2",
    "5.3",
    "5.4",
]


def test_plan_load_creates_the_5_objectives_and_26_cards_of_seed_001(seed_plan):
    assert list(seed_plan.objectives.values_list("number", flat=True)) == [1, 2, 3, 4, 5]
    assert list(seed_plan.cards.values_list("number", flat=True)) == EXPECTED_NUMBERS
    assert seed_plan.vision.startswith("Construire ensemble des services de qualité")
    assert [value["name"] for value in seed_plan.values] == [
        "Sens de l'intérêt général",
        "Cohésion d'équipe",
        "Adaptabilité",
        "Bien-être",
        "Bienveillance sans complaisance",
    ]
    assert "Le comité de pilotage se réunira une fois par an" in seed_plan.governance


def test_every_seed_card_has_its_full_text(seed_plan):
    for card in seed_plan.cards.prefetch_related("steps", "indicators"):
        assert card.title, card.number
        assert card.objectives_list, card.number
        assert card.resources_list, card.number
        assert card.steps.all(), card.number
        # The seed's fiche 3.3 leaves "Evaluation / indicateurs d'amélioration" empty.
        assert bool(card.indicators.all()) == (card.number != "3.3"), card.number


def test_plan_load_types_the_seed_faithfully(seed_plan):
    card = seed_plan.cards.get(number="1.3")
    assert card.subtitle == "Création d'une charte des services communs"
    assert list(card.sub_objectives.values_list("number", "title")) == [
        ("1.3.1", "Animer un réseau CC/communes"),
        ("1.3.2", "Création de la charte des services communs"),
        ("1.3.3", "Développer un poste ambassadeur pour faire le lien avec les communes"),
    ]
    group = card.steps.get(position=2)
    assert group.details_list[1] == "Etablir un diagnostic en lien avec les communes"
    assert "Questionnaire de satisfaction pour évaluer la qualité du lien CC / communes" in [
        i.definition for i in card.indicators.all()
    ]
    assert set(seed_plan.cards.get(number="3.3").related_cards.values_list("number", flat=True)) == {"3.1", "4.5"}
    assert seed_plan.cards.get(number="4.5").pilot_label == "DGA"
    assert seed_plan.cards.get(number="5.4").pilot_label == "Responsable RH"
    assert seed_plan.cards.get(number="2.6").context_note == "En lien avec le plan bien être/éco administration"


def test_plan_load_is_idempotent_and_keeps_what_people_did(seed_plan):
    step = Step.objects.get(card__number="2.3", position=1)
    card_step_set_state(step=step, user=None, state=Step.State.DONE)
    counts = [m.objects.count() for m in (Plan, Objective, ActionCard, SubObjective, Step, Indicator)]

    again = plan_load(data=plan_data_read())

    assert again.pk == seed_plan.pk
    assert [m.objects.count() for m in (Plan, Objective, ActionCard, SubObjective, Step, Indicator)] == counts
    assert Step.objects.get(pk=step.pk).state == Step.State.DONE


def test_plan_load_updates_texts_and_drops_removed_steps(seed_plan):
    data = plan_data_read()
    card_data = data["objectives"][0]["cards"][0]
    card_data["title"] = "Former les agents au reporting"
    card_data["steps"] = card_data["steps"][:1]
    plan_load(data=data)
    card = ActionCard.objects.get(plan=seed_plan, number="1.1")
    assert card.title == "Former les agents au reporting"
    assert card.steps.count() == 1


def test_load_action_plan_command_loads_the_default_file(db, capsys):
    call_command("load_action_plan")
    call_command("load_action_plan")
    assert ActionCard.objects.count() == 26
    assert "26 fiches actions" in capsys.readouterr().out


# --- progress ---------------------------------------------------------------------------


def test_rollup_rescales_weights_2_and_3():
    assert rollup([(2, 1.0), (3, 1.0)]) == pytest.approx(1.0)
    assert rollup([(2, 1.0), (3, 0.5)]) == pytest.approx(0.4 + 0.3)
    assert rollup([(2, 0.0), (3, None)]) == 0.0
    assert rollup([]) is None


def test_objective_progress_with_weights_2_and_3_never_exceeds_100(db):
    objective = ObjectiveFactory()
    for weight in (2, 3):
        ActionCardFactory(objective=objective, weight=weight, status=ActionCard.Status.DONE)
    progress = objective_progress(list(objective.cards.with_progress_data()))
    assert progress.percent == 100


def test_card_progress_is_the_share_of_steps_done_ignoring_abandoned_ones(db):
    card = ActionCardFactory()
    for state in (Step.State.DONE, Step.State.DONE, Step.State.TODO, Step.State.CANCELLED):
        StepFactory(card=card, state=state)
    annotated = ActionCard.objects.with_progress_data().get(pk=card.pk)
    assert card_progress(annotated).share == pytest.approx(2 / 3)
    assert card_progress(card).share == pytest.approx(2 / 3)  # same rule without the annotations


def _indicator_card(*, direction, baseline, target, value):
    indicator = IndicatorFactory(direction=direction, baseline=baseline, target=target)
    card = indicator.card
    card.progress_mode, card.progress_indicator = ActionCard.ProgressMode.INDICATOR, indicator
    card.save()
    measurement_record(indicator=indicator, user=None, date=datetime.date(2024, 1, 1), value=1)
    measurement_record(indicator=indicator, user=None, date=datetime.date(2025, 1, 1), value=value)
    return ActionCard.objects.with_progress_data().get(pk=card.pk)


def test_card_progress_from_a_higher_is_better_indicator(db):
    card = _indicator_card(direction=Indicator.Direction.HIGHER, baseline=20, target=120, value=70)
    assert card_progress(card).share == pytest.approx(0.5)
    assert "cible de 120" in card_progress(card).method


def test_card_progress_from_a_lower_is_better_indicator(db):
    card = _indicator_card(direction=Indicator.Direction.LOWER, baseline=48, target=30, value=39)
    assert card_progress(card).share == pytest.approx(0.5)


def test_indicator_progress_is_clamped_and_handles_missing_baselines(db):
    higher = IndicatorFactory(direction=Indicator.Direction.HIGHER, baseline=None, target=Decimal(40))
    lower = IndicatorFactory(direction=Indicator.Direction.LOWER, baseline=None, target=Decimal(10))
    assert indicator_progress(indicator=higher, value=10) == pytest.approx(0.25)
    assert indicator_progress(indicator=higher, value=90) == 1.0
    assert indicator_progress(indicator=lower, value=8) == 1.0
    assert indicator_progress(indicator=lower, value=20) == pytest.approx(0.5)
    assert indicator_progress(indicator=lower, value=None) is None


def test_abandoned_cards_leave_the_rollup_and_done_cards_count_as_100(db):
    objective = ObjectiveFactory()
    ActionCardFactory(
        objective=objective, status=ActionCard.Status.ABANDONED, progress_mode="manual", manual_progress=0
    )
    ActionCardFactory(
        objective=objective, status=ActionCard.Status.IN_PROGRESS, progress_mode="manual", manual_progress=40
    )
    assert objective_progress(list(objective.cards.with_progress_data())).percent == 40


# --- changes and their history ----------------------------------------------------------


def test_card_update_writes_one_history_line_per_changed_field(db, rh):
    card = ActionCardFactory(status=ActionCard.Status.TO_START)
    before = card.updated_at
    changes = card_update(
        card=card,
        user=rh,
        data={"status": ActionCard.Status.IN_PROGRESS, "title": card.title, "end_date": datetime.date(2025, 6, 30)},
    )
    assert {c.field for c in changes} == {"status", "end_date"}
    status_change = CardChange.objects.get(card=card, field="status")
    assert (status_change.author, status_change.old_value, status_change.new_value) == (rh, "À lancer", "En cours")
    assert CardChange.objects.get(card=card, field="end_date").new_value == "30/06/2025"
    card.refresh_from_db()
    assert card.updated_at > before
    assert card_update(card=card, user=rh, data={"status": ActionCard.Status.IN_PROGRESS}) == []


def test_card_update_refuses_unknown_fields_and_invalid_values(db, rh):
    card = ActionCardFactory()
    with pytest.raises(ValidationError):
        card_update(card=card, user=rh, data={"number": "9.9"})
    with pytest.raises(ValidationError):
        card_update(card=card, user=rh, data={"manual_progress": 140})
    with pytest.raises(ValidationError):
        card_update(
            card=card, user=rh, data={"start_date": datetime.date(2025, 1, 2), "end_date": datetime.date(2025, 1, 1)}
        )
    assert not CardChange.objects.exists()


def test_card_step_set_state_records_history(db, pilote):
    step = StepFactory(position=3)
    card_step_set_state(step=step, user=pilote, state=Step.State.DONE, due_date=datetime.date(2025, 3, 1))
    labels = {c.field_label: (c.old_value, c.new_value) for c in CardChange.objects.filter(card=step.card)}
    assert labels == {"Étape 3": ("À faire", "Réalisée"), "Échéance de l'étape 3": ("", "01/03/2025")}


def test_measurement_record_keeps_one_value_per_date(db, pilote):
    indicator = IndicatorFactory()
    measurement_record(indicator=indicator, user=pilote, date=datetime.date(2025, 1, 1), value=3)
    measurement_record(indicator=indicator, user=pilote, date=datetime.date(2025, 1, 1), value="4.5", comment="corrigé")
    measurement_record(indicator=indicator, user=pilote, date=datetime.date(2025, 1, 1), value="4.5", comment="corrigé")
    only = Measurement.objects.get(indicator=indicator)
    assert (only.value, only.comment, only.author) == (Decimal("4.5"), "corrigé", pilote)
    assert CardChange.objects.filter(card=indicator.card).count() == 2


def test_stale_and_late_querysets(db):
    now = timezone.now()
    stale = ActionCardFactory(status=ActionCard.Status.IN_PROGRESS, updated_at=now - datetime.timedelta(days=91))
    ActionCardFactory(status=ActionCard.Status.DONE, updated_at=now - datetime.timedelta(days=400))
    fresh = ActionCardFactory(
        status=ActionCard.Status.IN_PROGRESS, end_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    marked = ActionCardFactory(status=ActionCard.Status.LATE)
    assert list(ActionCard.objects.stale()) == [stale]
    assert set(ActionCard.objects.late()) == {fresh, marked}
