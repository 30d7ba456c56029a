"""How far along an action card and an objective are. Pure functions of loaded data: no
queries when the card comes from `ActionCard.objects.with_progress_data()`.

A card's progress, a share between 0 and 1, follows its `progress_mode`:

- "steps": the share of its steps done; abandoned steps do not count. No steps: unknown.
- "indicator": the progress indicator's latest value against its target, measured from
  the baseline: (value − baseline) / (target − baseline), for either direction (when lower
  is better both differences are negative). Without a baseline, a higher-is-better
  indicator starts from 0 (value / target) and a lower-is-better one counts as reached
  when value ≤ target, else target / value. No target or no value yet: unknown.
- "manual": the percentage the pilot entered.

Whatever the mode, a card marked "réalisée" is at 100 % and an abandoned card has no
progress (it leaves the objective's roll-up). Values are clamped to [0, 1].

An objective's progress is the weighted mean of its cards' known progress, the weights
rescaled to sum to 1 over those cards (weights 2 and 3 become 0.4 and 0.6): Decidim
multiplies by raw weights that must already sum to 1 and shows more than 100 %.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from actions.models import ActionCard, Indicator


@dataclass(frozen=True)
class Progress:
    share: float | None  # between 0 and 1, None when unknown
    method: str  # how it was computed, for the reader

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(self.share * 100)


def _clamp(share: float) -> float:
    return max(0.0, min(1.0, share))


def indicator_progress(*, indicator: Indicator, value: Decimal | float | None) -> float | None:
    """The share of the way from baseline to target that `value` has covered."""
    if value is None or indicator.target is None:
        return None
    value, target = float(value), float(indicator.target)
    baseline = None if indicator.baseline is None else float(indicator.baseline)
    if baseline is not None and baseline != target:
        return _clamp((value - baseline) / (target - baseline))
    if indicator.direction == Indicator.Direction.LOWER:
        if value <= target:
            return 1.0
        return _clamp(target / value) if value > 0 else 0.0
    if target <= 0:
        return 1.0 if value >= target else 0.0
    return _clamp(value / target)


def _steps_counts(card: ActionCard) -> tuple[int, int]:
    if hasattr(card, "steps_total"):
        return card.steps_done, card.steps_total
    from actions.models import Step

    steps = [s for s in card.steps.all() if s.state != Step.State.CANCELLED]
    return sum(1 for s in steps if s.state == Step.State.DONE), len(steps)


def _latest_value(card: ActionCard):
    if hasattr(card, "progress_latest_value"):
        return card.progress_latest_value
    latest = card.progress_indicator.measurements.order_by("-date").first()
    return latest.value if latest else None


def card_progress(card: ActionCard) -> Progress:
    mode = ActionCard.ProgressMode
    if card.status == ActionCard.Status.ABANDONED:
        return Progress(None, str(_("action abandonnée : hors du calcul")))
    if card.status == ActionCard.Status.DONE:
        return Progress(1.0, str(_("action réalisée")))
    if card.progress_mode == mode.MANUAL:
        share = None if card.manual_progress is None else _clamp(card.manual_progress / 100)
        return Progress(share, str(_("avancement saisi par le pilote")))
    if card.progress_mode == mode.INDICATOR and card.progress_indicator_id:
        indicator = card.progress_indicator
        value = _latest_value(card)
        share = indicator_progress(indicator=indicator, value=value)
        if share is None:
            return Progress(
                None,
                str(_("indicateur « %(name)s » : pas encore de valeur ou de cible")) % {"name": indicator.definition},
            )
        return Progress(
            share,
            str(_("indicateur « %(name)s » : %(value)s pour une cible de %(target)s"))
            % {"name": indicator.definition, "value": _number(value), "target": _number(indicator.target)},
        )
    done, total = _steps_counts(card)
    if total == 0:
        return Progress(None, str(_("aucune étape définie")))
    method = str(_("%(done)s étape(s) réalisée(s) sur %(total)s")) % {"done": done, "total": total}
    return Progress(done / total, method)


def rollup(weighted: list[tuple[float, float | None]]) -> float | None:
    """Weighted mean of the known shares, weights rescaled to sum to 1. All weights zero:
    the known shares count equally. Nothing known: None."""
    known = [(max(0.0, float(w)), share) for w, share in weighted if share is not None]
    if not known:
        return None
    total = sum(w for w, _share in known)
    if total == 0:
        return sum(share for _w, share in known) / len(known)
    return _clamp(sum(w / total * share for w, share in known))


def objective_progress(cards) -> Progress:
    progresses = [(card.weight, card_progress(card).share) for card in cards]
    share = rollup(progresses)
    counted = sum(1 for _w, s in progresses if s is not None)
    return Progress(share, str(_("moyenne pondérée de %(n)s action(s), poids ramenés à 100 %%")) % {"n": counted})


def _number(value) -> str:
    if value is None:
        return "–"
    value = Decimal(value)
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value:.2f}".rstrip("0")
