"""A card's indicators: measurements recorded by hand or fed by other modules (beat), and the
indicators added, changed or deleted by HR."""

import logging
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.models import ActionCard, CardChange, Indicator, Measurement
from actions.services.cards import card_update
from actions.services.history import _card_touch, _change_record

logger = logging.getLogger(__name__)


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
