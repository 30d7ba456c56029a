"""The plan as everyone reads it: the overview, the calendar (Gantt), a card's page, and the exports
(CSV, XLSX, and the PDF a worker renders)."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import content_disposition_header
from django.views import View
from django.views.generic import TemplateView

from actions import exports, selectors
from actions.charts import indicator_chart_svg
from actions.gantt import plan_gantt_svg
from actions.indicator_sources import indicator_source_label
from actions.permissions import can_edit_card, can_manage_plan, can_read_plan, is_card_pilot
from actions.progress import card_progress
from actions.reviews.selectors.follow_up import card_decisions
from intranet.permissions import RuleRequiredMixin
from intranet.services import document_request


def plan_nav(user, active: str) -> dict:
    """The plan's own tabs (overview, calendar, exports, import): what the user may open."""
    return {"plan_nav_active": active, "plan_nav_can_manage": can_manage_plan(user)}


class PlanOverviewView(RuleRequiredMixin, TemplateView):
    rule = staticmethod(can_read_plan)
    template_name = "actions/plan_overview.html"

    def get_context_data(self, **kwargs):
        kwargs.update(plan_nav(self.request.user, "overview"))
        plan = selectors.plan_current(user=self.request.user)
        if plan is None:
            return super().get_context_data(plan=None, **kwargs)
        return super().get_context_data(**selectors.plan_overview(user=self.request.user, plan=plan), **kwargs)


class PlanCalendarView(RuleRequiredMixin, TemplateView):
    """The calendar: a Gantt chart of every card over the plan's years, and the same as a table."""

    rule = staticmethod(can_read_plan)
    template_name = "actions/plan_calendar.html"

    def get_context_data(self, **kwargs):
        kwargs.update(plan_nav(self.request.user, "calendar"))
        plan = selectors.plan_current(user=self.request.user)
        if plan is None:
            return super().get_context_data(plan=None, **kwargs)
        data = selectors.plan_calendar(user=self.request.user, plan=plan)
        data["chart"] = plan_gantt_svg(
            plan=plan, today=data["today"], objectives=[(item.objective, item.cards) for item in data["objectives"]]
        )
        return super().get_context_data(**data, **kwargs)


class CardDetailView(RuleRequiredMixin, TemplateView):
    rule = staticmethod(can_read_plan)
    template_name = "actions/card_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        card = get_object_or_404(selectors.card_detail_queryset(user=user), pk=self.kwargs["pk"])
        indicators = [
            {"indicator": indicator, "measurements": list(indicator.measurements.all())}
            for indicator in card.indicators.all()
        ]
        for item in indicators:
            item["latest"] = item["measurements"][-1] if item["measurements"] else None
            item["source_label"] = indicator_source_label(item["indicator"].source)
            item["chart"] = indicator_chart_svg(
                indicator=item["indicator"],
                measurements=item["measurements"],
                chart_id=f"indicateur-{item['indicator'].pk}",
            )
        return super().get_context_data(
            card=card,
            progress=card_progress(card),
            indicators=indicators,
            is_stale=card.is_stale(),
            can_edit=can_edit_card(user, card),
            is_pilot_of_card=is_card_pilot(user, card),
            can_manage=can_manage_plan(user),
            has_fed_indicators=any(item["indicator"].source for item in indicators),
            decisions=card_decisions(card=card),
            **kwargs,
        )


class PlanExportsView(RuleRequiredMixin, TemplateView):
    rule = staticmethod(can_read_plan)
    template_name = "actions/plan_exports.html"

    def get_context_data(self, **kwargs):
        kwargs.update(plan_nav(self.request.user, "exports"))
        return super().get_context_data(plan=selectors.plan_current(user=self.request.user), **kwargs)


class _PlanFileView(RuleRequiredMixin, View):
    rule = staticmethod(can_read_plan)

    def get(self, request):
        plan = selectors.plan_current(user=request.user)
        if plan is None:
            raise Http404
        response = HttpResponse(self.render(plan), content_type=self.content_type)
        response["Content-Disposition"] = content_disposition_header(
            True, f"projet-administration-{plan.slug}.{self.ext}"
        )
        return response


class PlanExportCsvView(_PlanFileView):
    content_type, ext = "text/csv; charset=utf-8", "csv"

    def render(self, plan):
        return exports.plan_csv(plan)


class PlanExportXlsxView(_PlanFileView):
    content_type, ext = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"

    def render(self, plan):
        return exports.plan_xlsx(plan)


class PlanExportPdfView(RuleRequiredMixin, View):
    """POST: ask a worker for the plan's PDF; the status page shows its progress and the file."""

    rule = staticmethod(can_read_plan)
    http_method_names = ["post"]

    def post(self, request):
        plan = selectors.plan_current(user=request.user)
        if plan is None:
            raise Http404
        document = document_request(
            kind=exports.PLAN_PDF_DOCUMENT,
            user=request.user,
            params={"plan_id": plan.pk, "version": exports.plan_version(plan)},
        )
        return redirect("intranet:document-status", pk=document.pk)
