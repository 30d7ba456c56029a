"""A card's fields (its pilots' updates) and relations (HR's edit of the whole card), with their
history."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.models import ActionCard, CardChange
from actions.services.history import _card_touch, _change_record, _display
from intranet.roles import roles_changed

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
