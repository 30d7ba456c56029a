"""The plan's calendar: a Gantt-style SVG of every card over the plan's years, grouped by
objective, rendered on the server so the page and the PDF show the same chart.

Each status has a colour AND a pattern (hatching, dots, outline only…) and the legend names
them in text, so the chart never relies on colour alone. The SVG is `role="img"` with a
<title> and a <desc>; the page gives the same data as a table. No style="" (strict CSP):
presentation attributes only.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from actions.models import ActionCard

WIDTH = 960
LABEL_W = 330  # the cards' names on the left
RIGHT = 16
ROW_H = 24
BAR_H = 14
AXIS_H = 28  # the years at the top
LEGEND_ROW_H = 22
TEXT = "#212529"
GRID = "#d0d4d9"
TODAY = "#a4262c"
LABEL_CHARS = 48


@dataclass(frozen=True)
class StatusStyle:
    fill: str  # colour of the bar (or its pattern's background)
    stroke: str  # outline, always dark enough for 3:1 against white
    pattern: str  # "", "hatch", "dots", "cross", "outline"


STYLES = {
    ActionCard.Status.TO_START: StatusStyle("#ffffff", "#495057", "outline"),
    ActionCard.Status.IN_PROGRESS: StatusStyle("#0a3d91", "#0a3d91", ""),
    ActionCard.Status.LATE: StatusStyle("#a4262c", "#a4262c", "hatch"),
    ActionCard.Status.DONE: StatusStyle("#1e6b34", "#1e6b34", ""),
    ActionCard.Status.POSTPONED: StatusStyle("#8a5300", "#8a5300", "dots"),
    ActionCard.Status.ABANDONED: StatusStyle("#5c636a", "#343a40", "cross"),
}


def _pattern_defs(chart_id: str) -> str:
    defs = []
    for status, style in STYLES.items():
        pid = f"{chart_id}-{status}"
        if style.pattern == "hatch":
            defs.append(
                f'<pattern id="{pid}" width="6" height="6" patternUnits="userSpaceOnUse" '
                f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{style.fill}"/>'
                f'<line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2"/></pattern>'
            )
        elif style.pattern == "dots":
            defs.append(
                f'<pattern id="{pid}" width="6" height="6" patternUnits="userSpaceOnUse">'
                f'<rect width="6" height="6" fill="{style.fill}"/><circle cx="3" cy="3" r="1.3" fill="#ffffff"/>'
                f"</pattern>"
            )
        elif style.pattern == "cross":
            defs.append(
                f'<pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse">'
                f'<rect width="8" height="8" fill="{style.fill}"/>'
                f'<path d="M0 0L8 8M8 0L0 8" stroke="#ffffff" stroke-width="1.2"/></pattern>'
            )
    return f"<defs>{''.join(defs)}</defs>"


def _fill(chart_id: str, status: str) -> str:
    style = STYLES.get(status, STYLES[ActionCard.Status.TO_START])
    if style.pattern in ("hatch", "dots", "cross"):
        return f"url(#{chart_id}-{status})"
    return style.fill


def _bar(chart_id: str, status: str, x: float, y: float, w: float, h: float) -> str:
    style = STYLES.get(status, STYLES[ActionCard.Status.TO_START])
    stroke_w = 2 if style.pattern == "outline" else 1
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 2):.1f}" height="{h}" rx="2" '
        f'fill="{_fill(chart_id, status)}" stroke="{style.stroke}" stroke-width="{stroke_w}"/>'
    )


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def calendar_range(*, plan, cards) -> tuple[date, date] | None:
    """Whole years covering the plan's period and every card's dates; None when nothing is dated."""
    days = [d for card in cards for d in (card.start_date, card.end_date) if d]
    days += [d for d in (plan.period_start, plan.period_end) if d]
    if not days:
        return None
    return date(min(days).year, 1, 1), date(max(days).year, 12, 31)


def plan_gantt_svg(*, plan, objectives, today: date, chart_id: str = "calendrier") -> SafeString:
    """`objectives`: [(objective, [cards])] in order. Returns "" when no card is dated."""
    cards = [card for _objective, own in objectives for card in own]
    span = calendar_range(plan=plan, cards=cards)
    if span is None:
        return mark_safe("")  # noqa: S308 (a constant)
    first, last = span
    t0, t1 = first.toordinal(), last.toordinal() + 1
    plot_left, plot_right = LABEL_W, WIDTH - RIGHT

    def x(day: date) -> float:
        return plot_left + (day.toordinal() - t0) / (t1 - t0) * (plot_right - plot_left)

    legend_items = [(status, label) for status, label in ActionCard.Status.choices]
    per_row = 3
    legend_rows = (len(legend_items) + per_row - 1) // per_row
    legend_h = legend_rows * LEGEND_ROW_H + 8
    rows = sum(1 + len(own) for _objective, own in objectives)
    top = legend_h + AXIS_H
    height = top + rows * ROW_H + 8

    counts = {status: 0 for status, _label in legend_items}
    for card in cards:
        counts[card.status] = counts.get(card.status, 0) + 1
    undated = sum(1 for card in cards if not (card.start_date and card.end_date))
    title = _("Calendrier du plan d'action, de %(start)s à %(end)s") % {"start": first.year, "end": last.year}
    desc_parts = [
        ngettext("%(count)s action, regroupées par objectif", "%(count)s actions, regroupées par objectif", len(cards))
        % {"count": len(cards)}
    ]
    desc_parts += [f"{label} : {counts[status]}" for status, label in legend_items if counts.get(status)]
    if undated:
        desc_parts.append(
            ngettext("%(count)s action sans dates", "%(count)s actions sans dates", undated) % {"count": undated}
        )
    if first <= today <= last:
        desc_parts.append(
            _("la ligne verticale marque aujourd'hui (%(date)s)") % {"date": date_format(today, "SHORT_DATE_FORMAT")}
        )
    desc = " ; ".join(desc_parts) + ". " + _("Le tableau qui suit donne les mêmes informations.")

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="plan-gantt">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
        _pattern_defs(chart_id),
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
    ]
    # Legend: a swatch with its pattern and the status in words.
    col_w = (WIDTH - 16) / per_row
    for index, (status, label) in enumerate(legend_items):
        lx = 8 + (index % per_row) * col_w
        ly = 6 + (index // per_row) * LEGEND_ROW_H
        parts.append(_bar(chart_id, status, lx, ly + 2, 28, BAR_H))
        parts.append(f'<text x="{lx + 36:.1f}" y="{ly + 14}" font-size="13" fill="{TEXT}">{escape(label)}</text>')
    # Years: a grid line at each 1 January, the year's name in the middle of its span.
    for year in range(first.year, last.year + 1):
        start_x = x(date(year, 1, 1))
        end_x = x(date(year, 12, 31))
        parts.append(
            f'<line x1="{start_x:.1f}" y1="{legend_h}" x2="{start_x:.1f}" y2="{height - 4}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{(start_x + end_x) / 2:.1f}" y="{legend_h + 18}" text-anchor="middle" '
            f'font-size="13" font-weight="bold" fill="{TEXT}">{year}</text>'
        )
    parts.append(
        f'<line x1="{plot_right}" y1="{legend_h}" x2="{plot_right}" y2="{height - 4}" '
        f'stroke="{GRID}" stroke-width="1"/>'
    )
    parts.append(f'<line x1="8" y1="{top - 2}" x2="{plot_right}" y2="{top - 2}" stroke="{TEXT}" stroke-width="1"/>')

    y = top
    for objective, own in objectives:
        parts.append(f'<rect x="0" y="{y}" width="{WIDTH}" height="{ROW_H}" fill="#eef1f5"/>')
        name = _short(
            _("Objectif %(number)s – %(title)s") % {"number": objective.number, "title": objective.title}, 110
        )
        parts.append(f'<text x="8" y="{y + 16}" font-size="13" font-weight="bold" fill="{TEXT}">{escape(name)}</text>')
        y += ROW_H
        for card in own:
            label = f"{card.number} {card.title}"
            parts.append(f"<g><title>{escape(_card_summary(card))}</title>")
            parts.append(f'<text x="16" y="{y + 16}" font-size="12" fill="{TEXT}">{escape(_short(label))}</text>')
            if card.start_date and card.end_date:
                bx = x(card.start_date)
                bw = x(card.end_date) + (x(date(2001, 1, 2)) - x(date(2001, 1, 1))) - bx
                parts.append(_bar(chart_id, card.status, bx, y + (ROW_H - BAR_H) / 2, bw, BAR_H))
            else:
                parts.append(
                    f'<text x="{plot_left + 6}" y="{y + 16}" font-size="12" font-style="italic" '
                    f'fill="{TEXT}">{escape(_("dates non renseignées"))}</text>'
                )
            parts.append("</g>")
            parts.append(
                f'<line x1="8" y1="{y + ROW_H}" x2="{plot_right}" y2="{y + ROW_H}" stroke="{GRID}" stroke-width="0.5"/>'
            )
            y += ROW_H
    if first <= today <= last:
        tx = x(today)
        parts.append(
            f'<line x1="{tx:.1f}" y1="{legend_h + 22}" x2="{tx:.1f}" y2="{height - 4}" stroke="{TODAY}" '
            f'stroke-width="2" stroke-dasharray="4 3"/>'
        )
        anchor, lx = ("end", tx - 4) if tx > plot_right - 90 else ("start", tx + 4)
        parts.append(
            f'<text x="{lx:.1f}" y="{legend_h + 27}" text-anchor="{anchor}" font-size="11" '
            f'fill="{TODAY}">{escape(_("aujourd’hui"))}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text is escaped above)


def _card_summary(card) -> str:
    dates = (
        _("du %(start)s au %(end)s")
        % {
            "start": date_format(card.start_date, "SHORT_DATE_FORMAT"),
            "end": date_format(card.end_date, "SHORT_DATE_FORMAT"),
        }
        if card.start_date and card.end_date
        else _("dates non renseignées")
    )
    return f"{card.number} {card.title} — {card.get_status_display()} — {dates}"
