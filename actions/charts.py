"""Server-rendered SVG charts: the same markup goes into the page and, later, the PDF.

The Content-Security-Policy forbids inline styles, so the SVG uses presentation
attributes only (fill=, stroke=, font-size=), never style=. Each chart has a <title> and
a <desc> (referenced by aria-labelledby); the page adds the data as a table under it.
"""

from datetime import date
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 32
LINE_COLOUR = "#0a3d91"
TARGET_COLOUR = "#a4262c"
GRID_COLOUR = "#d0d4d9"
TEXT_COLOUR = "#212529"
MAX_DOTS = 80  # above this, points would blur into the line


def _fmt(value) -> str:
    value = Decimal(value)
    places = 0 if value == value.to_integral_value() else 1
    return number_format(value, decimal_pos=places)


def _nice_step(span: float) -> float:
    raw = span / 4 or 1
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 0.1
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def indicator_chart_svg(*, indicator, measurements, chart_id: str) -> SafeString:
    """A line chart of `measurements` (already loaded, in date order) with the indicator's
    target as a dashed line. Returns "" when there is nothing to draw."""
    points = [(m.date, float(m.value)) for m in measurements]
    if not points:
        return mark_safe("")  # noqa: S308 (a constant)
    unit = f" {indicator.unit}" if indicator.unit else ""
    first, last = points[0][0], points[-1][0]
    title = _("%(name)s : évolution du %(start)s au %(end)s") % {
        "name": indicator.definition,
        "start": date_format(first, "SHORT_DATE_FORMAT"),
        "end": date_format(last, "SHORT_DATE_FORMAT"),
    }
    desc = _("%(count)s mesures ; dernière valeur %(value)s%(unit)s le %(date)s") % {
        "count": len(points),
        "value": _fmt(measurements[-1].value),
        "unit": unit,
        "date": date_format(last, "SHORT_DATE_FORMAT"),
    }
    if indicator.target is not None:
        desc += _(" ; cible %(target)s%(unit)s") % {"target": _fmt(indicator.target), "unit": unit}
    if indicator.baseline is not None:
        desc += _(" ; valeur de départ %(baseline)s%(unit)s") % {"baseline": _fmt(indicator.baseline), "unit": unit}
    desc += "."

    values = [v for _d, v in points]
    extra = [float(x) for x in (indicator.target, indicator.baseline) if x is not None]
    low, high = min([0.0, *values, *extra]), max([*values, *extra])
    step = _nice_step(high - low)
    high = (int(high / step) + 1) * step
    low = (int(low / step) - (1 if low < 0 else 0)) * step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    t0, t1 = first.toordinal(), max(last.toordinal(), first.toordinal() + 1)

    def x(day: date) -> float:
        return LEFT + (day.toordinal() - t0) / (t1 - t0) * plot_w

    def y(value: float) -> float:
        return TOP + (high - value) / (high - low) * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="indicator-chart">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    tick = low
    while tick <= high + step / 2:
        ty = y(tick)
        parts.append(
            f'<line x1="{LEFT}" y1="{ty:.1f}" x2="{WIDTH - RIGHT}" y2="{ty:.1f}" stroke="{GRID_COLOUR}" '
            f'stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="{TEXT_COLOUR}">{escape(_fmt(Decimal(str(round(tick, 2)))))}</text>'
        )
        tick += step
    for year in range(first.year + (first.month > 1 or first.day > 1), last.year + 1):
        tx = x(date(year, 1, 1))
        parts.append(
            f'<line x1="{tx:.1f}" y1="{TOP}" x2="{tx:.1f}" y2="{HEIGHT - BOTTOM}" stroke="{GRID_COLOUR}" '
            f'stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{tx:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" font-size="12" '
            f'fill="{TEXT_COLOUR}">{year}</text>'
        )
    parts.append(
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - BOTTOM}" '
        f'stroke="{TEXT_COLOUR}" stroke-width="1"/>'
    )
    if indicator.target is not None:
        ty = y(float(indicator.target))
        parts.append(
            f'<line x1="{LEFT}" y1="{ty:.1f}" x2="{WIDTH - RIGHT}" y2="{ty:.1f}" stroke="{TARGET_COLOUR}" '
            f'stroke-width="2" stroke-dasharray="6 4"/>'
        )
        parts.append(
            f'<text x="{WIDTH - RIGHT}" y="{ty - 5:.1f}" text-anchor="end" font-size="12" '
            f'fill="{TARGET_COLOUR}">{escape(_("cible"))} {escape(_fmt(indicator.target))}</text>'
        )
    coords = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in points)
    parts.append(
        f'<polyline points="{coords}" fill="none" stroke="{LINE_COLOUR}" stroke-width="2" stroke-linejoin="round"/>'
    )
    if len(points) <= MAX_DOTS:
        parts.extend(f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="3" fill="{LINE_COLOUR}"/>' for d, v in points)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text is escaped above)
