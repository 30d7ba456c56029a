"""The plan as everyone reads it: the overview, the calendar (Gantt), a card's page, and the exports
(CSV, XLSX, and the PDF a worker renders)."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.views import View
from django.views.generic import TemplateView

from actions import exports, selectors
from actions.charts import indicator_chart_svg
from actions.gantt import plan_gantt_svg
from actions.indicator_sources import indicator_source_label
from actions.kept_pages import CARD_PAGE, PLAN_CALENDAR, PLAN_OVERVIEW
from actions.permissions import can_manage_plan, can_read_plan
from actions.progress import card_progress
from actions.reviews.selectors.follow_up import card_decisions
from intranet.kept import KeptFragment
from intranet.permissions import RuleRequiredMixin
from intranet.services import document_request
from intranet.shortcuts import ReaderSlot


def plan_nav(user, active: str) -> dict:
    """The plan's own tabs (overview, calendar, exports, import): what the user may open."""
    return {"plan_nav_active": active, "plan_nav_can_manage": can_manage_plan(user)}


class _KeptPlanPageView(RuleRequiredMixin, TemplateView):
    """A page of the plan whose body is kept for every reader (actions.kept_pages), one version for
    its managers (the import tab)."""

    rule = staticmethod(can_read_plan)
    nav: str
    fragment: KeptFragment
    body_template: str

    def body_context(self, *, user, plan) -> dict:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        user = self.request.user
        nav = plan_nav(user, self.nav)

        def render():
            plan = selectors.plan_current(user=user)
            context = {**nav, **(self.body_context(user=user, plan=plan) if plan is not None else {})}
            return render_to_string(self.body_template, context)

        body = self.fragment.html(nav["plan_nav_can_manage"], render=render)
        return super().get_context_data(body=body, **kwargs)


class PlanOverviewView(_KeptPlanPageView):
    """The plan at a glance."""

    template_name = "actions/plan_overview.html"
    nav, fragment, body_template = "overview", PLAN_OVERVIEW, "actions/_plan_overview_body.html"

    def body_context(self, *, user, plan) -> dict:
        return selectors.plan_overview(user=user, plan=plan)


class PlanCalendarView(_KeptPlanPageView):
    """The calendar: a Gantt chart of every card over the plan's years, and the same as a table."""

    template_name = "actions/plan_calendar.html"
    nav, fragment, body_template = "calendar", PLAN_CALENDAR, "actions/_plan_calendar_body.html"

    def body_context(self, *, user, plan) -> dict:
        context = selectors.plan_calendar(user=user, plan=plan)
        objectives = [(item.objective, item.cards) for item in context["objectives"]]
        context["chart"] = plan_gantt_svg(plan=plan, today=context["today"], objectives=objectives)
        return context


class CardDetailView(RuleRequiredMixin, TemplateView):
    """The card's page: its body kept for every reader with the same rights on it (actions.kept_pages);
    the indicators' refresh form (a CSRF token: the reader's own) drawn in it at each visit."""

    rule = staticmethod(can_read_plan)
    template_name = "actions/card_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        card = selectors.card_page_get(user=user, pk=self.kwargs["pk"])
        if card is None:
            raise Http404
        can_manage = can_manage_plan(user)
        body = CARD_PAGE.html(
            card.pk, can_manage, card.is_pilot, render=lambda: _card_body(card.pk, user, can_manage, card.is_pilot)
        )
        refresh_form = ""
        if card.has_fed and (can_manage or card.is_pilot):
            refresh_form = render_to_string("actions/_card_refresh_form.html", {"card": card}, request=self.request)
        body = REFRESH_FORM.fill(body, refresh_form)
        return super().get_context_data(card=card, body=body, **kwargs)


REFRESH_FORM = ReaderSlot("the indicators' refresh form")


def _card_body(pk: int, user, can_manage: bool, is_pilot: bool) -> str:
    card = get_object_or_404(selectors.card_detail_queryset(user=user), pk=pk)
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
    context = {
        "card": card,
        "progress": card_progress(card),
        "indicators": indicators,
        "is_stale": card.is_stale(),
        "can_edit": can_manage or is_pilot,
        "is_pilot_of_card": is_pilot,
        "can_manage": can_manage,
        "decisions": card_decisions(card=card),
        "refresh_form_slot": REFRESH_FORM.marker,
    }
    return render_to_string("actions/_card_detail_body.html", context)


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
