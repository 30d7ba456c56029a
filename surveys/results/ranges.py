"""Ranges of numbers and dates (anonymous surveys): each holds at least MIN_RESPONDENTS answers and
the first and last are open, so no label gives the smallest or the largest value."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from surveys.results.filters import MIN_RESPONDENTS


@dataclass
class _Range:
    low: object  # included
    high: object  # excluded
    count: int


def _tiled(buckets: Counter, edge) -> list[_Range]:
    """Ranges from the non-empty buckets (index → count) of a regular grid whose edges `edge(index)`
    gives; each range starts where the previous one ends, so the ranges cover every value."""
    ranges: list[_Range] = []
    for index in sorted(buckets):
        low = ranges[-1].high if ranges else edge(index)
        ranges.append(_Range(low, edge(index + 1), buckets[index]))
    return ranges


def _inner(values: dict) -> tuple:
    """The 5th smallest and the 5th largest value: the grid's step is chosen on them, so one
    extreme value cannot make every range wide."""
    ordered = [value for value, count in sorted(values.items()) for _ in range(count)]
    return ordered[min(MIN_RESPONDENTS - 1, len(ordered) - 1)], ordered[max(len(ordered) - MIN_RESPONDENTS, 0)]


def _number_bins(values: dict) -> list[_Range]:
    low, high = _inner(values)
    parts = max(1, min(5, sum(values.values()) // MIN_RESPONDENTS))
    raw = Decimal(high - low) / parts
    integral = all(Decimal(value) == Decimal(value).to_integral_value() for value in values)
    width = Decimal(1) if integral else Decimal("0.01")
    if raw > width:
        width = Decimal(10) ** raw.adjusted()
        width = next(width * factor for factor in (1, 2, 5, 10) if width * factor >= raw)
    start = (Decimal(min(values)) / width).to_integral_value(rounding=ROUND_FLOOR) * width
    buckets = Counter()
    for value, count in values.items():
        buckets[int(((Decimal(value) - start) / width).to_integral_value(rounding=ROUND_FLOOR))] += count
    return _tiled(buckets, lambda index: start + index * width)


def _month(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _date_bins(values: dict) -> list[_Range]:
    low, high = _inner(values)
    step = 12 if high.year - low.year >= 2 else 1  # years, or months over a short span
    first = min(values)
    origin = date(first.year, 1, 1) if step == 12 else date(first.year, first.month, 1)
    buckets = Counter()
    for value, count in values.items():
        buckets[((value.year - origin.year) * 12 + value.month - origin.month) // step] += count
    return _tiled(buckets, lambda index: _month(origin, index * step))


def _merged(bins: list[_Range]) -> list[_Range]:
    """Neighbouring ranges put together until each holds at least MIN_RESPONDENTS answers."""
    merged: list[_Range] = []
    for current in bins:
        if merged and merged[-1].count < MIN_RESPONDENTS:
            merged[-1] = _Range(merged[-1].low, current.high, merged[-1].count + current.count)
        else:
            merged.append(current)
    if len(merged) > 1 and merged[-1].count < MIN_RESPONDENTS:
        last = merged.pop()
        merged[-1] = _Range(merged[-1].low, last.high, merged[-1].count + last.count)
    return merged


def _number_label(value) -> str:
    return number_format(Decimal(value).normalize(), use_l10n=True)


def _date_label(day: date, *, years: bool) -> str:
    return str(day.year) if years else date_format(day, "F Y")


def value_ranges(values: dict) -> list[tuple[object, object, str, int]]:
    """[(low, high, label, count)] of number or date answers ({value: count}, at least
    MIN_RESPONDENTS in all), in ranges of at least MIN_RESPONDENTS answers each, open at both ends:
    no label gives the smallest or the largest value."""
    is_date = isinstance(next(iter(values)), date)
    bins = _merged(_date_bins(values) if is_date else _number_bins(values))
    if len(bins) == 1:
        return [(bins[0].low, bins[0].high, _("toutes les réponses"), bins[0].count)]
    found = []
    for index, current in enumerate(bins):
        first, last = index == 0, index == len(bins) - 1
        if is_date:
            years = (current.low.month, current.high.month) == (1, 1)
            begin = _date_label(current.low, years=years)
            end = _date_label(_month(current.high, -12 if years else -1), years=years)
            if first:
                label = _("jusqu'en %(end)s") % {"end": end}
            elif last:
                label = _("à partir de %(begin)s") % {"begin": begin}
            elif begin == end:
                label = _("en %(begin)s") % {"begin": begin}
            else:
                label = _("de %(begin)s à %(end)s") % {"begin": begin, "end": end}
        elif first:
            label = _("moins de %(high)s") % {"high": _number_label(current.high)}
        elif last:
            label = _("%(low)s ou plus") % {"low": _number_label(current.low)}
        else:
            label = _("de %(low)s à moins de %(high)s") % {
                "low": _number_label(current.low),
                "high": _number_label(current.high),
            }
        found.append((current.low, current.high, label, current.count))
    return found


def value_range_of(value, ranges: list[tuple]) -> str:
    """The label of the range `value` falls in (the exports' cells)."""
    return next((label for low, high, label, _count in ranges if low <= value < high), "")
