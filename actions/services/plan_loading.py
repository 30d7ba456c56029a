"""Loading a plan (the bundled JSON, or the data an import turns a spreadsheet into): objectives,
cards, sub-objectives, steps and indicators, created or updated in place."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from actions.models import ActionCard, Indicator, Objective, Plan, Step, SubObjective

DEFAULT_PLAN_FILE = Path(__file__).resolve().parent.parent / "data" / "mad_et_moselle.json"


def plan_data_read(*, path: Path | str = DEFAULT_PLAN_FILE) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def _lines(items) -> str:
    if isinstance(items, str):
        return items
    return "\n".join(item.strip() for item in items or [] if item and item.strip())


def _date(value) -> date | None:
    return date.fromisoformat(value) if value else None


@transaction.atomic
def plan_load(*, data: dict) -> Plan:
    """Create or update a plan from its data (the format of `actions/data/*.json`).

    Idempotent: objectives, cards, sub-objectives, steps and indicators are matched by
    their number or position and updated in place, never duplicated. What people do with
    the plan is kept: step states and due dates, card statuses, indicators' units and
    targets (unless the data gives them), measurements and history. Items the data no
    longer has (a step removed from a card) are deleted."""
    plan, _created = Plan.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "title": data["title"],
            "organisation": data.get("organisation", ""),
            "period_start": _date(data.get("period_start")),
            "period_end": _date(data.get("period_end")),
            "vision": data.get("vision", ""),
            "values": data.get("values", []),
            "governance": data.get("governance", ""),
        },
    )
    cards_by_number: dict[str, ActionCard] = {}
    links: list[tuple[ActionCard, list[str]]] = []
    seen_objectives = []
    for objective_data in data["objectives"]:
        objective, _created = Objective.objects.update_or_create(
            plan=plan,
            number=objective_data["number"],
            defaults={"title": objective_data["title"], "description": objective_data.get("description", "")},
        )
        seen_objectives.append(objective.pk)
        for position, card_data in enumerate(objective_data["cards"], start=1):
            card = _card_load(plan=plan, objective=objective, position=position, data=card_data)
            cards_by_number[card.number] = card
            links.append((card, card_data.get("links", [])))
    plan.cards.exclude(number__in=cards_by_number).delete()
    plan.objectives.exclude(pk__in=seen_objectives).delete()
    for card, numbers in links:
        missing = [n for n in numbers if n not in cards_by_number]
        if missing:
            raise ValidationError(
                _("La fiche %(card)s renvoie à des actions inconnues : %(missing)s")
                % {"card": card.number, "missing": ", ".join(missing)}
            )
        if numbers:
            card.related_cards.add(*(cards_by_number[n] for n in numbers))
    return plan


def _card_load(*, plan: Plan, objective: Objective, position: int, data: dict) -> ActionCard:
    fields = {
        "objective": objective,
        "position": position,
        "title": data["title"],
        "subtitle": data.get("subtitle", ""),
        "context_note": data.get("context_note", ""),
        "objectives": _lines(data.get("objectives")),
        "resources": _lines(data.get("resources")),
        "pilot_label": data.get("pilot_label", ""),
    }
    for key in ("start_date", "end_date"):
        if data.get(key):
            fields[key] = _date(data[key])
    if data.get("status"):
        fields["status"] = data["status"]
    card = ActionCard.objects.filter(plan=plan, number=data["number"]).first()
    if card is None:
        # Positions are unique within an objective: free this one if another card holds it.
        ActionCard.objects.filter(objective=objective, position=position).update(position=1000 + position)
        card = ActionCard.objects.create(plan=plan, number=data["number"], **fields)
    else:
        if card.objective_id != objective.pk or card.position != position:
            ActionCard.objects.filter(objective=objective, position=position).exclude(pk=card.pk).update(
                position=1000 + position
            )
        for key, value in fields.items():
            setattr(card, key, value)
        card.save(update_fields=list(fields))

    if "sub_objectives" in data:  # a file without them (the import's template) leaves them as they are
        _sub_objectives_load(card=card, subs=data["sub_objectives"])
    _steps_and_indicators_load(card=card, data=data)
    return card


def _sub_objectives_load(*, card: ActionCard, subs: list[dict]) -> None:
    sub_numbers = []
    for sub_position, sub in enumerate(subs, start=1):
        SubObjective.objects.filter(card=card, position=sub_position).exclude(number=sub["number"]).delete()
        SubObjective.objects.update_or_create(
            card=card,
            number=sub["number"],
            defaults={"position": sub_position, "title": sub["title"], "items": _lines(sub.get("items"))},
        )
        sub_numbers.append(sub["number"])
    card.sub_objectives.exclude(number__in=sub_numbers).delete()


def _steps_and_indicators_load(*, card: ActionCard, data: dict) -> None:
    steps = data.get("steps", [])
    for step_position, step in enumerate(steps, start=1):
        defaults = {"title": step["title"]}
        if "details" in step:  # the import's template has none: keep what is there
            defaults["details"] = _lines(step["details"])
        if step.get("due_date"):
            defaults["due_date"] = _date(step["due_date"])
        Step.objects.update_or_create(card=card, position=step_position, defaults=defaults)
    card.steps.filter(position__gt=len(steps)).delete()

    indicators = data.get("indicators", [])
    for indicator_position, indicator in enumerate(indicators, start=1):
        defaults = {"definition": indicator["definition"]}
        for key in ("unit", "direction", "source"):
            if indicator.get(key):
                defaults[key] = indicator[key]
        for key in ("baseline", "target"):
            if indicator.get(key) is not None:
                defaults[key] = Decimal(str(indicator[key]))
        Indicator.objects.update_or_create(card=card, position=indicator_position, defaults=defaults)
    card.indicators.filter(position__gt=len(indicators)).delete()
