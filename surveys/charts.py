"""Server-rendered SVG bar charts of a question's answers, for the results page and the PDF.

Presentation attributes only (the CSP forbids inline styles); each chart carries a <title> and a
<desc> with every figure, referenced by aria-labelledby, and the page puts the same figures in a
table next to it, so nothing is given by colour or shape alone.
"""

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 640
LABEL_W = 230
BAR_H, GAP, TOP = 22, 8, 8
BAR_COLOUR = "#0a3d91"
TRACK_COLOUR = "#e9ecef"
TEXT_COLOUR = "#212529"


def _label(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bars_svg(*, bars, title: str, chart_id: str) -> SafeString:
    """Horizontal bars, one per answer option: label, bar proportional to the percentage, "n (p %)"."""
    if not bars:
        return mark_safe("")  # noqa: S308 (a constant)
    figures = "; ".join(
        _("%(label)s : %(count)s (%(percent)s %%)")
        % {
            "label": bar.label,
            "count": bar.count,
            "percent": number_format(bar.percent, decimal_pos=1) if bar.percent is not None else "–",
        }
        for bar in bars
    )
    height = TOP * 2 + len(bars) * (BAR_H + GAP)
    plot_w = WIDTH - LABEL_W - 110
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="survey-chart">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(figures)}</desc>',
    ]
    for index, bar in enumerate(bars):
        y = TOP + index * (BAR_H + GAP)
        share = float(bar.percent or 0) / 100
        text = f"{bar.count} ({number_format(bar.percent, decimal_pos=1)} %)" if bar.percent is not None else "0"
        parts.append(
            f'<text x="{LABEL_W - 8}" y="{y + 15}" text-anchor="end" font-size="13" '
            f'fill="{TEXT_COLOUR}">{escape(_label(bar.label))}</text>'
        )
        parts.append(f'<rect x="{LABEL_W}" y="{y}" width="{plot_w}" height="{BAR_H}" fill="{TRACK_COLOUR}"/>')
        if share > 0:
            parts.append(
                f'<rect x="{LABEL_W}" y="{y}" width="{max(1.0, plot_w * share):.1f}" height="{BAR_H}" '
                f'fill="{BAR_COLOUR}"/>'
            )
        parts.append(
            f'<text x="{LABEL_W + plot_w + 8}" y="{y + 15}" font-size="13" fill="{TEXT_COLOUR}">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text is escaped above)
