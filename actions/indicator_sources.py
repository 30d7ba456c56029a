"""Indicators fed by other modules (a survey's satisfaction rate, the number of job-shadowing
visits): each module registers an `intranet.registry.IndicatorSource` from its `plugins.py`; an
indicator names one in `Indicator.source` as "key" or "key:argument" (e.g. "surveys.satisfaction:12").

`actions.services.indicators.indicator_refresh_from_sources` records the sources' values as dated
measurements (daily by Celery beat, and on demand from the card page).
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from intranet.registry import IndicatorSource, registry


def indicator_source_parse(value: str) -> tuple[str, str]:
    """ "surveys.satisfaction:12" → ("surveys.satisfaction", "12"); "" → ("", "")."""
    key, _sep, argument = (value or "").strip().partition(":")
    return key.strip(), argument.strip()


def indicator_source_get(value: str) -> IndicatorSource | None:
    """The registered source an `Indicator.source` value names, None if none or unknown."""
    key, _argument = indicator_source_parse(value)
    return registry.indicator_sources.get(key) if key else None


def indicator_sources() -> list[IndicatorSource]:
    """Every registered source, by label."""
    return sorted(registry.indicator_sources.values(), key=lambda source: str(source.label))


def indicator_source_choices() -> list[tuple[str, str]]:
    """The choices of an indicator's "alimenté par" select: manual entry, then each source
    (with one choice per argument when the source lists them)."""
    choices = [("", _("Saisie manuelle"))]
    for source in indicator_sources():
        if source.choices is None:
            choices.append((source.key, str(source.label)))
            continue
        for argument, label in source.choices():
            choices.append((f"{source.key}:{argument}", f"{source.label} — {label}"))
    return choices


def indicator_source_label(value: str, *, argument_labels: dict[str, dict[str, str]] | None = None) -> str:
    """How the card shows what feeds an indicator: the source's label (and its argument's label
    when known), or the raw value when no module registers that key (a source since removed)."""
    key, argument = indicator_source_parse(value)
    if not key:
        return ""
    source = registry.indicator_sources.get(key)
    if source is None:
        return _("%(source)s (module non disponible)") % {"source": value}
    if not argument:
        return str(source.label)
    labels = (argument_labels or {}).get(key)
    if labels is None and source.choices is not None:
        labels = dict(source.choices())
    return f"{source.label} — {(labels or {}).get(argument, argument)}"


def indicator_source_compute(value: str) -> Decimal | None:
    """The source's value today (None when unknown, unregistered or not computable yet)."""
    source = indicator_source_get(value)
    if source is None:
        return None
    _key, argument = indicator_source_parse(value)
    result = source.compute(argument)
    return None if result is None else Decimal(str(result))
