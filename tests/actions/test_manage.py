"""HR and administrators manage the plan: a card's fields, its steps and its indicators, every
change in the card's history; pilots set their steps' due dates; French errors, never a 500."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from actions.models import ActionCard, CardChange, Indicator, Step
from tests.actions.factories import ActionCardFactory, IndicatorFactory, MeasurementFactory, StepFactory
from tests.factories import AgentFactory, OrgUnitFactory
from tests.html import text_of


def _history(card):
    return {change.field: (change.old_value, change.new_value) for change in CardChange.objects.filter(card=card)}


def test_hr_edits_a_whole_card_and_history_records_each_change(client, rh, agent):
    card = ActionCardFactory(title="Ancien titre")
    other = ActionCardFactory(objective=card.objective, plan=card.plan, number="1.9", title="Autre action")
    indicator = IndicatorFactory(card=card)
    unit, helper = OrgUnitFactory(name="Ressources humaines"), OrgUnitFactory(name="Finances")
    client.force_login(rh)
    page = client.get(reverse("actions:card-edit", args=[card.pk]))
    assert page.status_code == 200
    assert "Agents pilotes (adresses e-mail)" in page.text
    response = client.post(
        reverse("actions:card-edit", args=[card.pk]),
        {
            "title": "Nouveau titre",
            "subtitle": "",
            "context_note": "",
            "objectives": "Un\nDeux",
            "resources": "",
            "pilot_label": "DGA",
            "pilot_emails": agent.email.upper(),
            "pilot_units": [unit.pk],
            "contributing_units": [helper.pk],
            "related_cards": [other.pk],
            "start_date": "2024-01-01",
            "end_date": "2025-06-30",
            "status": "en_cours",
            "progress_mode": "indicator",
            "progress_indicator": indicator.pk,
            "manual_progress": "",
            "weight": "2",
        },
    )
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.title == "Nouveau titre"
    assert card.end_date == datetime.date(2025, 6, 30)
    assert list(card.pilot_agents.all()) == [agent]
    assert list(card.related_cards.all()) == [other]
    assert card in other.related_cards.all()  # the link goes both ways
    history = _history(card)
    assert history["title"] == ("Ancien titre", "Nouveau titre")
    assert history["status"] == ("À lancer", "En cours")
    assert history["pilot_agents"] == ("", str(agent))
    assert history["pilot_units"] == ("", "Ressources humaines")
    assert history["contributing_units"] == ("", "Finances")
    assert history["related_cards"] == ("", "1.9")
    assert history["end_date"] == ("", "30/06/2025")
    detail = client.get(reverse("actions:card-detail", args=[card.pk])).text
    assert "Services contributeurs" in detail
    assert "<td>agents pilotes</td>" in detail  # the history names the field


def test_card_form_errors_are_french_and_nothing_is_stored(client, rh):
    card = ActionCardFactory(title="Titre gardé")
    client.force_login(rh)
    response = client.post(
        reverse("actions:card-edit", args=[card.pk]),
        {
            "title": "Autre",
            "pilot_emails": "inconnu@exemple.fr",
            "start_date": "2025-01-01",
            "end_date": "2024-01-01",
            "status": "en_cours",
            "progress_mode": "manual",
            "manual_progress": "150",
            "weight": "1",
        },
    )
    assert response.status_code == 400
    text = response.text
    assert "Aucun agent actif n&#x27;a cette adresse : inconnu@exemple.fr." in text
    assert "La date de fin doit suivre la date de début." in text
    assert "inférieure ou égale à 100" in text
    card.refresh_from_db()
    assert card.title == "Titre gardé"
    assert not CardChange.objects.filter(card=card).exists()


def test_hr_manages_steps_add_edit_reorder_delete(client, rh):
    card = ActionCardFactory()
    first = StepFactory(card=card, position=1, title="Première")
    second = StepFactory(card=card, position=2, title="Deuxième")
    client.force_login(rh)
    assert client.get(reverse("actions:card-steps", args=[card.pk])).status_code == 200

    client.post(
        reverse("actions:step-create", args=[card.pk]),
        {"nouvelle-title": "Troisième", "nouvelle-due_date": "2025-03-01"},
    )
    third = Step.objects.get(card=card, title="Troisième")
    assert (third.position, third.due_date) == (3, datetime.date(2025, 3, 1))

    client.post(
        reverse("actions:step-edit", args=[card.pk, first.pk]),
        {f"etape-{first.pk}-title": "Première, renommée", f"etape-{first.pk}-due_date": "2024-12-01"},
    )
    first.refresh_from_db()
    assert (first.title, first.due_date) == ("Première, renommée", datetime.date(2024, 12, 1))

    client.post(reverse("actions:step-move", args=[card.pk, third.pk]), {"direction": "up"})
    assert list(card.steps.order_by("position").values_list("title", flat=True)) == [
        "Première, renommée",
        "Troisième",
        "Deuxième",
    ]

    client.post(reverse("actions:step-delete", args=[card.pk, first.pk]))
    assert list(card.steps.order_by("position").values_list("position", "title")) == [(1, "Troisième"), (2, "Deuxième")]
    second.refresh_from_db()
    assert second.position == 2

    history = _history(card)
    assert history["step:3:added"] == ("", "Troisième (01/03/2025)")
    assert history["step:1:title"] == ("Première", "Première, renommée")
    assert history["step:1:due_date"] == ("", "01/12/2024")
    assert history["step:2:position"] == ("3", "2 — Troisième")
    assert history["step:1:deleted"] == ("Première, renommée", "")
    labels = {c.field_label for c in CardChange.objects.filter(card=card)}
    assert {"Étape 3 ajoutée", "Intitulé de l'étape 1", "Étape 1 supprimée", "Étape déplacée au rang 2"} <= labels


def test_step_errors_are_french(client, rh):
    card = ActionCardFactory()
    step = StepFactory(card=card, position=1, title="Gardée")
    client.force_login(rh)
    response = client.post(
        reverse("actions:step-edit", args=[card.pk, step.pk]),
        {f"etape-{step.pk}-title": " ", f"etape-{step.pk}-due_date": "31/02/2025"},
    )
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.text
    assert "Saisissez une date valide." in response.text
    response = client.post(reverse("actions:step-create", args=[card.pk]), {"nouvelle-title": ""})
    assert response.status_code == 400
    moved = client.post(reverse("actions:step-move", args=[card.pk, step.pk]), {"direction": "sideways"})
    assert moved.status_code == 302
    step.refresh_from_db()
    assert (step.title, step.position) == ("Gardée", 1)


def test_pilot_sets_due_dates_of_own_card_only(client, pilote):
    card = ActionCardFactory()
    card.pilot_agents.add(pilote)
    step = StepFactory(card=card, position=1, title="Intitulé du plan")
    client.force_login(pilote)
    assert reverse("actions:card-steps", args=[card.pk]) in client.get(reverse("actions:my-cards")).text
    response = client.get(reverse("actions:card-steps", args=[card.pk]))
    assert "Échéance de l'étape 1" in text_of(response)
    assert "Intitulé de l'étape 1" not in text_of(response)
    assert reverse("actions:step-delete", args=[card.pk, step.pk]) not in response.text
    client.post(
        reverse("actions:step-edit", args=[card.pk, step.pk]),
        {f"etape-{step.pk}-title": "Renommée par le pilote", f"etape-{step.pk}-due_date": "2025-09-30"},
    )
    step.refresh_from_db()
    assert step.title == "Intitulé du plan"  # a pilot changes the due date only
    assert step.due_date == datetime.date(2025, 9, 30)
    for name in ("step-delete", "step-move"):
        assert client.post(reverse(f"actions:{name}", args=[card.pk, step.pk]), {"direction": "up"}).status_code == 403
    assert client.post(reverse("actions:step-create", args=[card.pk]), {"nouvelle-title": "x"}).status_code == 403
    assert client.get(reverse("actions:card-edit", args=[card.pk])).status_code == 403
    someone_elses = StepFactory()
    url = reverse("actions:step-edit", args=[someone_elses.card.pk, someone_elses.pk])
    assert client.post(url, {f"etape-{someone_elses.pk}-due_date": "2025-01-01"}).status_code == 403


def test_hr_manages_indicators(client, rh, monkeypatch):
    from intranet.registry import IndicatorSource, register, registry

    monkeypatch.setattr(registry, "indicator_sources", {})
    register(
        IndicatorSource(key="shadowing.visits", label="Nombre de visites « vis ma vie »", compute=lambda argument: 4)
    )
    card = ActionCardFactory()
    client.force_login(rh)
    page = client.get(reverse("actions:card-indicators", args=[card.pk]))
    assert "Nombre de visites « vis ma vie »" in page.text
    response = client.post(
        reverse("actions:indicator-create", args=[card.pk]),
        {
            "nouvel-definition": "Nombre de visites",
            "nouvel-unit": "visites",
            "nouvel-baseline": "0",
            "nouvel-target": "12,5",
            "nouvel-direction": "higher",
            "nouvel-source": "shadowing.visits",
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(card=card)
    assert (indicator.target, indicator.source, indicator.position) == (Decimal("12.5"), "shadowing.visits", 1)
    MeasurementFactory(indicator=indicator, value=3)
    card.progress_mode, card.progress_indicator = ActionCard.ProgressMode.INDICATOR, indicator
    card.save()

    prefix = f"indicateur-{indicator.pk}"
    response = client.post(
        reverse("actions:indicator-edit", args=[card.pk, indicator.pk]),
        {
            f"{prefix}-definition": "Nombre de visites réalisées",
            f"{prefix}-unit": "visites",
            f"{prefix}-baseline": "0",
            f"{prefix}-target": "abc",
            f"{prefix}-direction": "higher",
            f"{prefix}-source": "",
        },
    )
    assert response.status_code == 400
    assert "Saisissez un nombre." in response.text
    client.post(
        reverse("actions:indicator-edit", args=[card.pk, indicator.pk]),
        {
            f"{prefix}-definition": "Nombre de visites réalisées",
            f"{prefix}-unit": "visites",
            f"{prefix}-baseline": "0",
            f"{prefix}-target": "20",
            f"{prefix}-direction": "higher",
            f"{prefix}-source": "",
        },
    )
    indicator.refresh_from_db()
    assert (indicator.definition, indicator.target, indicator.source) == ("Nombre de visites réalisées", 20, "")
    history = _history(card)
    assert history["indicator:1:target"] == ("12.50", "20")
    assert history["indicator:1:source"] == ("Nombre de visites « vis ma vie »", "")

    client.post(reverse("actions:indicator-delete", args=[card.pk, indicator.pk]))
    assert not Indicator.objects.filter(card=card).exists()
    card.refresh_from_db()
    assert card.progress_mode == ActionCard.ProgressMode.STEPS
    assert _history(card)["indicator:1:deleted"] == ("Nombre de visites réalisées", "")


@pytest.mark.parametrize("role", ["agent", "pilote", "copil", "manager"])
def test_only_hr_and_admins_manage_indicators(db, client, role, request):
    user = request.getfixturevalue(role)
    card = ActionCardFactory()
    card.pilot_agents.add(AgentFactory())
    client.force_login(user)
    assert client.get(reverse("actions:card-indicators", args=[card.pk])).status_code == 403
    assert client.post(reverse("actions:indicator-create", args=[card.pk]), {}).status_code == 403
