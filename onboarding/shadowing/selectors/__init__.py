"""Permission-aware reads of the job-shadowing app, with what each page needs loaded; one module
per subject, their names re-exported here:

- `visits`: offers, visits, hosts to suggest, published reports, an agent's data;
- `figures`: the campaigns' figures (the campaign page, the action plan's indicators);
- `todo`: the « À faire » groups.
"""

from onboarding.shadowing.selectors.figures import (
    campaign_figures,
    campaign_ids_for,
    figure_participants,
    figure_requests,
    figure_satisfaction,
    figure_visits,
    figure_visits_by_service,
)
from onboarding.shadowing.selectors.todo import todo_decisions, todo_my_visits
from onboarding.shadowing.selectors.visits import (
    OFFER_CATALOGUE,
    agent_data_export,
    campaign_visits,
    host_suggestions,
    managed_ids,
    offer_catalogue,
    offer_filter_choices,
    offer_search,
    reports_published,
    visit_mine,
    visit_queue,
    visit_visible_queryset,
)

__all__ = [
    "OFFER_CATALOGUE",
    "agent_data_export",
    "campaign_figures",
    "campaign_ids_for",
    "campaign_visits",
    "figure_participants",
    "figure_requests",
    "figure_satisfaction",
    "figure_visits",
    "figure_visits_by_service",
    "host_suggestions",
    "managed_ids",
    "offer_catalogue",
    "offer_filter_choices",
    "offer_search",
    "reports_published",
    "todo_decisions",
    "todo_my_visits",
    "visit_mine",
    "visit_queue",
    "visit_visible_queryset",
]
