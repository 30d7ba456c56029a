"""What the actions app does: load a plan, update cards, their steps and indicators.

Every change of a card goes through these functions, which write its history
(`CardChange`) and mark it as followed up (`updated_at`). Permission checks are the
caller's (views ask `actions.permissions`); these functions trust their caller.
"""

import json
import logging
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.models import ActionCard, CardChange, Indicator, Measurement, Objective, Plan, Step, SubObjective
from intranet.roles import roles_changed

logger = logging.getLogger(__name__)

DEFAULT_PLAN_FILE = Path(__file__).resolve().parent / "data" / "mad_et_moselle.json"

# Fields of a card its pilots may change through `card_update`.
CARD_EDITABLE_FIELDS = (
    "title",
    "subtitle",
    "context_note",
    "objectives",
    "resources",
    "pilot_label",
    "start_date",
    "end_date",
    "status",
    "progress_mode",
    "progress_indicator",
    "manual_progress",
    "weight",
)


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


def _display(card: ActionCard, field: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if field == "status":
        return str(ActionCard.Status(value).label)
    if field == "progress_mode":
        return str(ActionCard.ProgressMode(value).label)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _change_record(
    *, card: ActionCard, user, field: str, old: str, new: str, at=None, author_label: str = ""
) -> CardChange:
    author = user if user is not None and getattr(user, "is_authenticated", False) else None
    return CardChange.objects.create(
        card=card,
        at=at or timezone.now(),
        author=author,
        author_label=str(author) if author else author_label,
        field=field,
        old_value=old,
        new_value=new,
    )


def _card_touch(*, card: ActionCard, at=None) -> None:
    card.updated_at = at or timezone.now()
    card.save(update_fields=["updated_at"])


@transaction.atomic
def card_update(*, card: ActionCard, user, data: dict[str, Any]) -> list[CardChange]:
    """Change some of a card's fields (`CARD_EDITABLE_FIELDS`); write one history line per
    field whose value changed. Returns those lines (empty when nothing changed)."""
    unknown = set(data) - set(CARD_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Champs non modifiables : %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    before = {field: getattr(card, field) for field in data}
    for field, value in data.items():
        setattr(card, field, value)
    card.full_clean(exclude=["plan", "objective", "number", "position"], validate_unique=False)
    changed = [field for field in data if before[field] != getattr(card, field)]
    if not changed:
        return []
    now = timezone.now()
    card.updated_at = now
    card.save(update_fields=[*changed, "updated_at"])
    return [
        _change_record(
            card=card,
            user=user,
            field=field,
            at=now,
            old=_display(card, field, before[field]),
            new=_display(card, field, getattr(card, field)),
        )
        for field in changed
    ]


@transaction.atomic
def card_pilots_set(*, card: ActionCard, user, agents=None, units=None) -> None:
    """Replace the card's pilot agents and/or pilot units (None leaves them as they are)."""
    for field, new in (("pilot_agents", agents), ("pilot_units", units)):
        if new is None:
            continue
        manager = getattr(card, field)
        old_labels = sorted(str(o) for o in manager.all())
        manager.set(new)
        roles_changed()  # who pilots a card
        new_labels = sorted(str(o) for o in new)
        if old_labels != new_labels:
            _change_record(card=card, user=user, field=field, old=", ".join(old_labels), new=", ".join(new_labels))
    _card_touch(card=card)


@transaction.atomic
def card_step_set_state(*, step: Step, user, state: str, due_date: date | None = None) -> Step:
    """Set a step's state (and its due date, when given); record it in the card's history."""
    if state not in Step.State.values:
        raise ValidationError(_("État d'étape inconnu : %(state)s") % {"state": state})
    old_state, old_due = step.state, step.due_date
    step.state = state
    if due_date is not None:
        step.due_date = due_date
    if (old_state, old_due) == (step.state, step.due_date):
        return step
    step.save(update_fields=["state", "due_date"])
    field = f"step:{step.position}"
    if old_state != step.state:
        _change_record(
            card=step.card,
            user=user,
            field=field,
            old=str(Step.State(old_state).label),
            new=str(Step.State(step.state).label),
        )
    if old_due != step.due_date:
        _change_record(
            card=step.card,
            user=user,
            field=f"{field}:due_date",
            old=_display(step.card, "due_date", old_due),
            new=_display(step.card, "due_date", step.due_date),
        )
    _card_touch(card=step.card)
    return step


@transaction.atomic
def measurement_record(
    *,
    indicator: Indicator,
    user,
    date: date,
    value: Decimal | int | float | str,
    comment: str = "",
    touch: bool = True,
    author_label: str = "",
) -> Measurement:
    """Record the indicator's value on a date (one value per date: a second call that day
    corrects the first) and note it in the card's history. `touch=False` (a value fed by
    another module, with no one acting) does not count as a follow-up of the card."""
    value = Decimal(str(value))
    existing = Measurement.objects.select_for_update().filter(indicator=indicator, date=date).first()
    author = user if user is not None and getattr(user, "is_authenticated", False) else None
    if existing is None:
        measurement = Measurement.objects.create(
            indicator=indicator, date=date, value=value, comment=comment, author=author
        )
        old = ""
    elif existing.value == value and existing.comment == comment:
        return existing
    else:
        old = str(existing.value)
        existing.value, existing.comment, existing.author = value, comment, author
        existing.save(update_fields=["value", "comment", "author"])
        measurement = existing
    _change_record(
        card=indicator.card,
        user=user,
        field=f"indicator:{indicator.position}",
        old=old,
        new=f"{value} ({date:%d/%m/%Y})",
        author_label=author_label,
    )
    if touch:
        _card_touch(card=indicator.card)
    return measurement


def indicator_refresh_from_sources(*, indicators=None, user=None, today: date | None = None) -> dict[str, int]:
    """Record today's value of every indicator fed by another module (`Indicator.source`, see
    `actions.indicator_sources`) as a dated measurement, when the source knows it.

    `indicators` limits the refresh (a card's, from its page); by default every fed indicator.
    Idempotent: one measurement per indicator and day (a second run that day corrects it), and
    none when the value equals the latest one already recorded (a daily run does not pile up
    identical points). One indicator whose source fails does not stop the others: it is counted
    in "failed" and logged. A run by beat (`user=None`) does not mark the cards as followed up.

    Returns counts: recorded, unchanged, unknown (source has no value yet), failed."""
    from actions.indicator_sources import indicator_source_compute, indicator_source_get, indicator_source_label

    today = today or timezone.localdate()
    if indicators is None:
        indicators = Indicator.objects.exclude(source="")
    indicators = [i for i in indicators if i.source]
    counts = {"recorded": 0, "unchanged": 0, "unknown": 0, "failed": 0}
    for indicator in indicators:
        if indicator_source_get(indicator.source) is None:
            counts["unknown"] += 1
            continue
        try:
            value = indicator_source_compute(indicator.source)
        except Exception:  # a module's bug must not stop the other indicators
            logger.exception("Indicator %s: source %r failed", indicator.pk, indicator.source)
            counts["failed"] += 1
            continue
        if value is None:
            counts["unknown"] += 1
            continue
        value = value.quantize(Decimal("0.01"))
        same_day = indicator.measurements.filter(date=today).first()
        before = indicator.measurements.filter(date__lt=today).order_by("-date").first()
        reference = same_day or before
        if reference is not None and reference.value == value:
            counts["unchanged"] += 1
            continue
        label = indicator_source_label(indicator.source)
        with transaction.atomic():
            measurement_record(
                indicator=indicator,
                user=user,
                date=today,
                value=value,
                comment=_("Valeur fournie par : %(source)s") % {"source": label},
                touch=user is not None,
                author_label=_("Alimentation automatique"),
            )
        counts["recorded"] += 1
    return counts


@transaction.atomic
def card_history_anonymise(*, agent, label: str) -> None:
    """RGPD: an anonymised agent's name must not survive in the cards' history."""
    CardChange.objects.filter(author=agent).update(author_label=label)


# --- HR and administrators manage the plan: every change goes into the card's history ---------

CARD_RELATION_FIELDS = ("pilot_agents", "pilot_units", "contributing_units", "related_cards")


def _relation_label(field: str, obj) -> str:
    if field == "related_cards":
        return obj.number
    return str(obj)


@transaction.atomic
def card_relations_set(*, card: ActionCard, user, **relations) -> list[CardChange]:
    """Replace some of the card's pilot agents, pilot units, contributing units and linked cards
    (keyword arguments named after the fields; a missing one is left as it is). One history
    line per relation that changed."""
    unknown = set(relations) - set(CARD_RELATION_FIELDS)
    if unknown:
        raise ValidationError(_("Champs non modifiables : %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    changes = []
    for field, new in relations.items():
        if new is None:
            continue
        new = list(new)
        if field == "related_cards" and any(other.pk == card.pk or other.plan_id != card.plan_id for other in new):
            raise ValidationError(_("Une fiche ne peut être liée qu'à d'autres fiches du même plan."))
        manager = getattr(card, field)
        old_labels = sorted(_relation_label(field, o) for o in manager.all())
        new_labels = sorted(_relation_label(field, o) for o in new)
        if old_labels == new_labels:
            continue
        manager.set(new)
        if field in ("pilot_agents", "pilot_units"):
            roles_changed()  # who pilots a card
        changes.append(
            _change_record(card=card, user=user, field=field, old=", ".join(old_labels), new=", ".join(new_labels))
        )
    if changes:
        _card_touch(card=card)
    return changes


@transaction.atomic
def card_edit(*, card: ActionCard, user, data: dict[str, Any]) -> list[CardChange]:
    """HR's edit of a whole card: its fields (`CARD_EDITABLE_FIELDS`) and relations
    (`CARD_RELATION_FIELDS`) from one form, in one transaction, with its history."""
    fields = {k: v for k, v in data.items() if k in CARD_EDITABLE_FIELDS}
    relations = {k: v for k, v in data.items() if k in CARD_RELATION_FIELDS}
    unknown = set(data) - set(fields) - set(relations)
    if unknown:
        raise ValidationError(_("Champs non modifiables : %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    indicator = fields.get("progress_indicator")
    if indicator is not None and indicator.card_id != card.pk:
        raise ValidationError(_("L'indicateur doit être un indicateur de cette fiche."))
    return [*card_update(card=card, user=user, data=fields), *card_relations_set(card=card, user=user, **relations)]


def _step_field(step: Step, detail: str = "") -> str:
    return f"step:{step.position}:{detail}" if detail else f"step:{step.position}"


@transaction.atomic
def step_create(*, card: ActionCard, user, title: str, due_date: date | None = None) -> Step:
    """Add a step at the end of the card's steps."""
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Donnez un intitulé à l'étape."))
    last = card.steps.order_by("-position").values_list("position", flat=True).first() or 0
    step = Step.objects.create(card=card, position=last + 1, title=title, due_date=due_date)
    _change_record(
        card=card,
        user=user,
        field=_step_field(step, "added"),
        old="",
        new=title + (f" ({due_date:%d/%m/%Y})" if due_date else ""),
    )
    _card_touch(card=card)
    return step


@transaction.atomic
def step_edit(*, step: Step, user, due_date: date | None, title: str | None = None) -> list[CardChange]:
    """Change a step's due date (pilots and HR) and, when given, its title (HR)."""
    changes = []
    if title is not None:
        title = title.strip()
        if not title:
            raise ValidationError(_("Donnez un intitulé à l'étape."))
        if title != step.title:
            changes.append(
                _change_record(card=step.card, user=user, field=_step_field(step, "title"), old=step.title, new=title)
            )
            step.title = title
    if due_date != step.due_date:
        changes.append(
            _change_record(
                card=step.card,
                user=user,
                field=_step_field(step, "due_date"),
                old=_display(step.card, "due_date", step.due_date),
                new=_display(step.card, "due_date", due_date),
            )
        )
        step.due_date = due_date
    if changes:
        step.save(update_fields=["title", "due_date"])
        _card_touch(card=step.card)
    return changes


def _steps_renumber(card: ActionCard, ordered: list[Step]) -> None:
    """Give `ordered` the positions 1…n (through free positions: (card, position) is unique)."""
    offset = max([s.position for s in ordered] + [0]) + len(ordered) + 1
    for index, step in enumerate(ordered, start=1):
        Step.objects.filter(pk=step.pk).update(position=offset + index)
    for index, step in enumerate(ordered, start=1):
        Step.objects.filter(pk=step.pk).update(position=index)
        step.position = index


@transaction.atomic
def step_move(*, step: Step, user, direction: str) -> bool:
    """Move a step one place up or down. False when it is already first (last)."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Sens de déplacement inconnu."))
    ordered = list(Step.objects.select_for_update().filter(card=step.card_id).order_by("position"))
    index = next(i for i, s in enumerate(ordered) if s.pk == step.pk)
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(ordered):
        return False
    old_position = ordered[index].position
    ordered[index], ordered[other] = ordered[other], ordered[index]
    _steps_renumber(step.card, ordered)
    moved = next(s for s in ordered if s.pk == step.pk)
    _change_record(
        card=step.card,
        user=user,
        field=f"step:{moved.position}:position",
        old=str(old_position),
        new=f"{moved.position} — {moved.title}",
    )
    step.position = moved.position
    _card_touch(card=step.card)
    return True


@transaction.atomic
def step_delete(*, step: Step, user) -> None:
    """Delete a step; the following ones move up a place."""
    card = step.card
    _change_record(card=card, user=user, field=_step_field(step, "deleted"), old=step.title, new="")
    step.delete()
    _steps_renumber(card, list(Step.objects.select_for_update().filter(card=card).order_by("position")))
    _card_touch(card=card)


INDICATOR_EDITABLE_FIELDS = ("definition", "unit", "baseline", "target", "direction", "source")


def _indicator_display(field: str, value) -> str:
    if value is None or value == "":
        return ""
    if field == "direction":
        return str(Indicator.Direction(value).label)
    if field == "source":
        from actions.indicator_sources import indicator_source_label

        return indicator_source_label(value)
    return str(value)


def _indicator_clean(data: dict) -> dict:
    unknown = set(data) - set(INDICATOR_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Champs non modifiables : %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if "definition" in data and not (data["definition"] or "").strip():
        raise ValidationError(_("Donnez la définition de l'indicateur."))
    if data.get("direction") and data["direction"] not in Indicator.Direction.values:
        raise ValidationError(_("Sens inconnu : %(value)s") % {"value": data["direction"]})
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}


@transaction.atomic
def indicator_create(*, card: ActionCard, user, data: dict[str, Any]) -> Indicator:
    data = _indicator_clean(data)
    last = card.indicators.order_by("-position").values_list("position", flat=True).first() or 0
    indicator = Indicator.objects.create(card=card, position=last + 1, **data)
    _change_record(
        card=card, user=user, field=f"indicator:{indicator.position}:added", old="", new=indicator.definition
    )
    _card_touch(card=card)
    return indicator


@transaction.atomic
def indicator_edit(*, indicator: Indicator, user, data: dict[str, Any]) -> list[CardChange]:
    data = _indicator_clean(data)
    changed = [field for field, value in data.items() if getattr(indicator, field) != value]
    if not changed:
        return []
    changes = [
        _change_record(
            card=indicator.card,
            user=user,
            field=f"indicator:{indicator.position}:{field}",
            old=_indicator_display(field, getattr(indicator, field)),
            new=_indicator_display(field, data[field]),
        )
        for field in changed
    ]
    for field in changed:
        setattr(indicator, field, data[field])
    indicator.save(update_fields=changed)
    _card_touch(card=indicator.card)
    return changes


@transaction.atomic
def indicator_delete(*, indicator: Indicator, user) -> None:
    """Delete an indicator and its measurements (the history keeps its definition). A card whose
    progress it measured goes back to the share of steps done."""
    card = indicator.card
    if card.progress_indicator_id == indicator.pk:
        card_update(
            card=card, user=user, data={"progress_mode": ActionCard.ProgressMode.STEPS, "progress_indicator": None}
        )
    _change_record(
        card=card, user=user, field=f"indicator:{indicator.position}:deleted", old=indicator.definition, new=""
    )
    indicator.delete()
    _card_touch(card=card)


def card_history_note(*, card: ActionCard, user, field: str, old: Any, new: Any) -> CardChange | None:
    """Record in the card's history a change made outside these services (Django's admin)."""
    if old == new:
        return None
    return _change_record(
        card=card, user=user, field=field, old=_display(card, field, old), new=_display(card, field, new)
    )
