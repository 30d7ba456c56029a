"""The projet d'administration's pages: thin views over `actions.selectors`."""

from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from actions import selectors
from actions.charts import indicator_chart_svg
from actions.permissions import can_edit_card, can_read_plan
from actions.progress import card_progress
from intranet.permissions import RuleRequiredMixin


class PlanOverviewView(RuleRequiredMixin, TemplateView):
    rule = staticmethod(can_read_plan)
    template_name = "actions/plan_overview.html"

    def get_context_data(self, **kwargs):
        plan = selectors.plan_current(user=self.request.user)
        if plan is None:
            return super().get_context_data(plan=None, **kwargs)
        return super().get_context_data(**selectors.plan_overview(user=self.request.user, plan=plan), **kwargs)


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
            item["chart"] = indicator_chart_svg(indicator=item["indicator"], measurements=item["measurements"],
                                                chart_id=f"indicateur-{item['indicator'].pk}")
        return super().get_context_data(
            card=card, progress=card_progress(card), indicators=indicators,
            is_stale=card.is_stale(), can_edit=can_edit_card(user, card), **kwargs,
        )
