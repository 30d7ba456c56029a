"""A card's history: the line every change writes (`CardChange`), the card marked as followed up,
a note of a change made in Django's admin, and the RGPD anonymisation of authors."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from actions.models import ActionCard, CardChange
from intranet.kept import model_version_name, renew


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
def card_history_anonymise(*, agent, label: str) -> None:
    """RGPD: an anonymised agent's name must not survive in the cards' history."""
    CardChange.objects.filter(author=agent).update(author_label=label)
    renew(model_version_name("actions.CardChange"))  # an update: no signal renews the kept card pages


def card_history_note(*, card: ActionCard, user, field: str, old: Any, new: Any) -> CardChange | None:
    """Record in the card's history a change made outside these services (Django's admin)."""
    if old == new:
        return None
    return _change_record(
        card=card, user=user, field=field, old=_display(card, field, old), new=_display(card, field, new)
    )
