"""The plan as files: CSV and XLSX (one row per card: objective, status, progress, dates,
pilots, steps, latest indicator values) and PDF (every card laid out like the fiche action,
and the calendar), the PDF rendered by a worker through `intranet.services.document_request`.

The rows are read in a fixed number of queries whatever the number of cards, steps and
measurements (`plan_export_cards`)."""

import csv
import io

from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from actions.models import ActionCard, CardChange, Measurement, Plan, Step
from actions.progress import card_progress
from actions.selectors import indicators_with_latest
from intranet.directory.exports import neutralise_formula
from intranet.models import OrgUnit
from intranet.pdf import pdf_render

PLAN_PDF_DOCUMENT = "actions.plan"


def plan_export_cards(plan: Plan) -> list[ActionCard]:
    """Every card of `plan` with what the exports show, in a fixed number of queries."""
    cards = list(
        plan.cards.with_progress_data()
        .select_related("objective")
        .prefetch_related(
            "pilot_agents",
            Prefetch("pilot_units", queryset=OrgUnit.objects.select_related("head")),
            "contributing_units",
            "sub_objectives",
            Prefetch("steps", queryset=Step.objects.order_by("position")),
            Prefetch("indicators", queryset=indicators_with_latest()),
            Prefetch("related_cards", queryset=ActionCard.objects.order_by("objective__number", "position")),
        )
        .order_by("objective__number", "position")
    )
    for card in cards:
        card.progress = card_progress(card)
    return cards


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _number(value) -> str:
    if value is None:
        return ""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _pilots(card) -> str:
    names = [card.pilot_label] if card.pilot_label else []
    names += [str(unit) for unit in card.pilot_units.all()]
    names += [str(agent) for agent in card.pilot_agents.all()]
    return " ; ".join(dict.fromkeys(names))


def _steps(card) -> str:
    lines = []
    for step in card.steps.all():
        due = _("échéance %(date)s") % {"date": _date(step.due_date)} if step.due_date else ""
        lines.append(f"{step.position}. {step.title} [{step.get_state_display()}{', ' + due if due else ''}]")
    return "\n".join(lines)


def _indicators(card) -> str:
    lines = []
    for indicator in card.indicators.all():
        unit = f" {indicator.unit}" if indicator.unit else ""
        text = indicator.definition
        if indicator.latest_value is not None:
            text += " : " + _("%(value)s%(unit)s le %(date)s") % {
                "value": _number(indicator.latest_value),
                "unit": unit,
                "date": _date(indicator.latest_date),
            }
        else:
            text += " : " + _("pas encore de mesure")
        if indicator.target is not None:
            text += " " + _("(cible %(target)s%(unit)s)") % {"target": _number(indicator.target), "unit": unit}
        lines.append(text)
    return "\n".join(lines)


def export_headers() -> list[str]:
    return [
        _("Objectif"),
        _("Numéro"),
        _("Action"),
        _("Statut"),
        _("Avancement (%)"),
        _("Calcul de l'avancement"),
        _("Date de début"),
        _("Date de fin"),
        _("Pilotes"),
        _("Services contributeurs"),
        _("Actions liées"),
        _("Étapes"),
        _("Indicateurs (dernière valeur)"),
        _("Dernier suivi"),
    ]


def export_rows(plan: Plan):
    """The header row, then one list of strings per card."""
    yield export_headers()
    for card in plan_export_cards(plan):
        yield [
            f"{card.objective.number}. {card.objective.title}",
            card.number,
            card.title,
            card.get_status_display(),
            "" if card.progress.percent is None else str(card.progress.percent),
            card.get_progress_mode_display(),
            _date(card.start_date),
            _date(card.end_date),
            _pilots(card),
            " ; ".join(str(unit) for unit in card.contributing_units.all()),
            ", ".join(other.number for other in card.related_cards.all()),
            _steps(card),
            _indicators(card),
            _date(timezone.localtime(card.updated_at).date()),
        ]


def plan_csv(plan: Plan) -> bytes:
    """UTF-8 with a BOM and `;`: what Excel opens correctly in France."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in export_rows(plan):
        writer.writerow([neutralise_formula(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def plan_xlsx(plan: Plan) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Actions")[:31]
    for row in export_rows(plan):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, never a formula
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [30, 8, 40, 12, 10, 20, 12, 12, 30, 30, 12, 60, 60, 12]
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "C2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def plan_version(plan: Plan) -> str:
    """Changes whenever the plan's content does (a card, its history, a measurement): the PDF
    asked for within the hour is reused only while it is still the same plan."""
    last_change = CardChange.objects.filter(card__plan=plan).aggregate(at=Max("at"))["at"]
    last_card = plan.cards.aggregate(at=Max("updated_at"))["at"]
    last_measure = Measurement.objects.filter(indicator__card__plan=plan).aggregate(at=Max("created_at"))["at"]
    stamps = [s for s in (last_change, last_card, last_measure) if s]
    return max(stamps).isoformat() if stamps else ""


def plan_pdf_render(*, plan: Plan) -> bytes:
    """The whole plan as a PDF: the vision, the calendar and every card like its fiche action."""
    from actions.charts import indicator_chart_svg
    from actions.gantt import plan_gantt_svg
    from actions.selectors import _objective_summaries

    cards = plan_export_cards(plan)
    objectives = _objective_summaries(plan, cards)
    today = timezone.localdate()
    for card in cards:
        card.pilots_text = _pilots(card)
    measurements = {}
    for measurement in Measurement.objects.filter(indicator__card__plan=plan).order_by("date"):
        measurements.setdefault(measurement.indicator_id, []).append(measurement)
    for card in cards:
        for indicator in card.indicators.all():
            points = measurements.get(indicator.pk, [])
            indicator.chart = (
                indicator_chart_svg(indicator=indicator, measurements=points, chart_id=f"pdf-indicateur-{indicator.pk}")
                if points
                else ""
            )
    return pdf_render(
        "pdf/action_plan.html",
        {
            "plan": plan,
            "objectives": objectives,
            "card_count": len(cards),
            "calendar": plan_gantt_svg(
                plan=plan,
                objectives=[(o.objective, o.cards) for o in objectives],
                today=today,
                chart_id="pdf-calendrier",
            ),
            "printed_on_text": date_format(today, "j F Y"),
        },
    )


def plan_filename(plan: Plan) -> str:
    return f"projet-administration-{plan.slug}.pdf"


def plan_document_render(*, plan_id: int, version: str = "") -> tuple[str, bytes]:
    """The renderer of PLAN_PDF_DOCUMENT (registered in actions.plugins), run by a worker."""
    plan = Plan.objects.get(pk=plan_id)
    return plan_filename(plan), plan_pdf_render(plan=plan)
