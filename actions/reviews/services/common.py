"""What the reviews' services share: the review row locked first (`_locked`), so a state checked
here cannot change under the write; the caller's instance synced; texts cleaned; the runner checked."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.models import ActionCard
from actions.reviews.models import CardSnapshot, Review
from actions.reviews.permissions import can_run_reviews

TEXT_MAX = 10_000


def _locked(review: Review) -> Review:
    return Review.objects.select_for_update().select_related("plan").get(pk=review.pk)


def _sync(original: Review, locked: Review, fields: list[str]) -> Review:
    """Give the caller's instance the new state too (the service wrote through a locked copy)."""
    for name in [*fields, "changed_at"]:
        setattr(original, name, getattr(locked, name))
    return locked


def _touch(review: Review, *, now=None) -> None:
    review.changed_at = now or timezone.now()
    Review.objects.filter(pk=review.pk).update(changed_at=review.changed_at)


def _check_runner(user) -> None:
    if not can_run_reviews(user):
        raise PermissionDenied(_("Seuls le comité de pilotage, les RH et les administrateurs conduisent les revues."))


def _clean_text(value: str, *, field: str, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("Ce champ est obligatoire.")})
    if len(value) > TEXT_MAX:
        raise ValidationError({field: _("Ce texte est trop long (%(max)s caractères au plus).") % {"max": TEXT_MAX}})
    return value


def _check_card_in_review(review: Review, card: ActionCard) -> None:
    if not CardSnapshot.objects.filter(review=review, card=card).exists():
        raise ValidationError(_("Cette fiche ne fait pas partie de la revue."))
