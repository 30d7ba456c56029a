"""A card's steps: a state set by its pilots; added, renamed, dated, moved, deleted by HR."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from actions.models import ActionCard, CardChange, Step
from actions.services.history import _card_touch, _change_record, _display
from intranet.kept import model_version_name, renew


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
    renew(model_version_name("actions.Step"))  # updates: no signal renews the kept pages


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
