"""Permission-aware reads of the projet d'administration, with what each page needs loaded
in a fixed number of queries (the card page's count does not grow with measurements)."""

import re
from dataclasses import dataclass, field

from django.db.models import Case, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.gantt import calendar_range
from actions.models import (
    STALE_AFTER_DAYS,
    ActionCard,
    CardChange,
    Indicator,
    Measurement,
    Objective,
    Plan,
    Step,
    SubObjective,
)
from actions.permissions import can_read_plan
from actions.progress import Progress, card_progress, objective_progress
from intranet.fulltext import Norm, search_terms, text_match
from intranet.models import OrgUnit
from intranet.registry import TodoGroup, TodoItem
from intranet.selectors import todo_group_from_queryset

HISTORY_LIMIT = 100


@dataclass
class ObjectiveSummary:
    objective: Objective
    progress: Progress
    cards: list = field(default_factory=list)


def plan_current(*, user) -> Plan | None:
    if not can_read_plan(user):
        return None
    return Plan.objects.current()


def indicators_with_latest() -> QuerySet[Indicator]:
    """Indicators in their order, each with its latest measurement's `latest_value` and `latest_date`."""
    latest = Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-date")
    return Indicator.objects.annotate(
        latest_value=Subquery(latest.values("value")[:1]),
        latest_date=Subquery(latest.values("date")[:1]),
    ).order_by("position")


def _cards_with_progress(plan: Plan) -> list[ActionCard]:
    cards = list(plan.cards.with_progress_data().select_related("objective").order_by("objective__number", "position"))
    for card in cards:
        card.progress = card_progress(card)
    return cards


def _objective_summaries(plan: Plan, cards: list[ActionCard]) -> list[ObjectiveSummary]:
    summaries = []
    for objective in plan.objectives.order_by("number"):
        own = [card for card in cards if card.objective_id == objective.pk]
        summaries.append(ObjectiveSummary(objective=objective, progress=objective_progress(own), cards=own))
    return summaries


def plan_overview(*, user, plan: Plan, now=None) -> dict:
    """The plan at a glance: objectives with their progress and cards, cards by status,
    late cards and cards nobody followed up for 90 days."""
    now = now or timezone.now()
    cards = _cards_with_progress(plan)
    late_ids = set(plan.cards.late(today=timezone.localdate(now)).values_list("pk", flat=True))
    stale_ids = set(plan.cards.stale(now=now).values_list("pk", flat=True))
    by_status = [
        {"status": status, "label": label, "cards": [c for c in cards if c.status == status]}
        for status, label in ActionCard.Status.choices
    ]
    return {
        "plan": plan,
        "objectives": _objective_summaries(plan, cards),
        "by_status": by_status,
        "late_cards": [c for c in cards if c.pk in late_ids],
        "stale_cards": sorted((c for c in cards if c.pk in stale_ids), key=lambda c: c.updated_at),
        "card_count": len(cards),
        "horizon": calendar_range(plan=plan, cards=cards),
        "now": now,
    }


def plan_home_context(*, user) -> dict | None:
    """The home page's slot: each objective's progress in the current plan."""
    plan = plan_current(user=user)
    if plan is None:
        return None
    cards = list(
        plan.cards.with_progress_data().only(
            "pk",
            "plan_id",
            "objective_id",
            "status",
            "progress_mode",
            "manual_progress",
            "weight",
            "progress_indicator",
        )
    )
    return {"plan": plan, "objectives": _objective_summaries(plan, cards)}


def card_detail_queryset(*, user) -> QuerySet[ActionCard]:
    """Cards `user` may read, with everything the card page shows."""
    if not can_read_plan(user):
        return ActionCard.objects.none()
    measurements = Measurement.objects.select_related("author").order_by("date")
    return (
        ActionCard.objects.with_progress_data()
        .select_related("plan", "objective")
        .prefetch_related(
            "sub_objectives",
            "steps",
            Prefetch(
                "indicators",
                queryset=Indicator.objects.prefetch_related(Prefetch("measurements", queryset=measurements)),
            ),
            "pilot_agents",
            Prefetch("pilot_units", queryset=OrgUnit.objects.select_related("head")),
            "contributing_units",
            Prefetch("related_cards", queryset=ActionCard.objects.order_by("objective__number", "position")),
            Prefetch(
                "changes",
                queryset=CardChange.objects.select_related("author")[:HISTORY_LIMIT],
                to_attr="recent_changes",
            ),
        )
    )


def card_page_get(*, user, pk: int) -> ActionCard | None:
    """What the card's page draws around its kept body: the card and its objective (title,
    breadcrumb), whether `user` pilots it and whether a module feeds one of its indicators."""
    if not can_read_plan(user):
        return None
    piloted = ActionCard.objects.piloted_by(user).filter(pk=OuterRef("pk"))
    fed = Indicator.objects.filter(card=OuterRef("pk")).exclude(source="")
    cards = ActionCard.objects.select_related("objective").annotate(is_pilot=Exists(piloted), has_fed=Exists(fed))
    return cards.filter(pk=pk).first()


def _my_cards_queryset() -> QuerySet[ActionCard]:
    measurements = Measurement.objects.order_by("date")
    return (
        ActionCard.objects.with_progress_data()
        .select_related("objective")
        .prefetch_related(
            "steps",
            Prefetch(
                "indicators",
                queryset=Indicator.objects.prefetch_related(Prefetch("measurements", queryset=measurements)),
            ),
            "pilot_agents",
            "pilot_units",
        )
        .order_by("objective__number", "position")
    )


def _my_card_prepare(card: ActionCard) -> ActionCard:
    card.progress = card_progress(card)
    for indicator in card.indicators.all():
        measurements = list(indicator.measurements.all())
        indicator.latest = measurements[-1] if measurements else None
        indicator.measurement_count = len(measurements)
    return card


def my_cards(*, user) -> list[ActionCard]:
    """The cards `user` pilots (named on them, or head of a pilot unit), with their steps,
    indicators and progress, in a fixed number of queries."""
    if not can_read_plan(user):
        return []
    piloted = ActionCard.objects.piloted_by(user).values("pk")
    return [_my_card_prepare(card) for card in _my_cards_queryset().filter(pk__in=piloted)]


def my_card(*, user, pk: int) -> ActionCard | None:
    """One card as the "Mes actions" page shows it (for its htmx fragment)."""
    if not can_read_plan(user):
        return None
    card = _my_cards_queryset().filter(pk=pk).first()
    return _my_card_prepare(card) if card else None


_CARD_NUMBER = re.compile(r"^\d+(\.\d+)*\.?$")


def card_search(*, user, query: str, limit: int = 10) -> list[ActionCard]:
    """Cards of the current plan matching every word of `query` (intranet.fulltext: French
    stemming, accents, typos in the title) in their own text or in one of their steps,
    sub-objectives or indicators (« formation » finds the cards whose steps plan a training);
    a number (« 4.3 ») finds the cards it begins."""
    plan = plan_current(user=user)
    if plan is None:
        return []
    cards = plan.cards.select_related("objective")
    if _CARD_NUMBER.match(query.strip()):
        return list(
            cards.filter(number__startswith=query.strip().rstrip(".")).order_by("objective__number", "position")[:limit]
        )
    own = text_match(
        plan.cards.all(), query, fields=["title", "subtitle", "context_note", "objectives", "resources"], title="title"
    )
    parts = [
        text_match(SubObjective.objects.filter(card__plan=plan), query, fields=["title", "items"]),
        text_match(Step.objects.filter(card__plan=plan), query, fields=["title", "details"]),
        text_match(Indicator.objects.filter(card__plan=plan), query, fields=["definition"]),
    ]
    found = Q(pk__in=own.values("pk"))
    for part in parts:
        found |= Q(pk__in=part.values("card_id"))
    terms = search_terms(query)
    in_title = Q()
    for term in terms:
        in_title &= Q(_title_norm__contains=term)
    ranked = cards.filter(found).alias(
        _title_norm=Norm("title"), _title_hit=Case(When(in_title, then=Value(1)), default=Value(0))
    )
    return list(ranked.order_by("-_title_hit", "objective__number", "position")[:limit])


def agent_data_export(agent) -> dict:
    """What the plan holds on `agent`, for their "mes données" download."""
    return {
        "fiches_pilotees": list(agent.piloted_cards.values_list("number", "title")),
        "modifications_de_fiches": [
            {"fiche": change.card.number, "champ": change.field, "date": change.at.isoformat()}
            for change in CardChange.objects.filter(author=agent).select_related("card")
        ],
        "mesures_saisies": [
            {"indicateur": m.indicator.definition, "date": m.date.isoformat(), "valeur": str(m.value)}
            for m in Measurement.objects.filter(author=agent).select_related("indicator")
        ],
    }


def plan_calendar(*, user, plan: Plan, today=None) -> dict:
    """The calendar: every card of the plan with its dates, status and progress, grouped by
    objective, in a fixed number of queries."""
    today = today or timezone.localdate()
    cards = _cards_with_progress(plan)
    return {"plan": plan, "objectives": _objective_summaries(plan, cards), "today": today, "card_count": len(cards)}


def todo_cards(*, user, today, limit: int) -> TodoGroup | None:
    """« À faire », for pilots: their open cards of the current plan that are late (marked so, or
    past their end date) or that nobody has followed up for STALE_AFTER_DAYS days — the plan
    overview's own late and stale rules."""
    plan = plan_current(user=user)
    if plan is None:
        return None
    now = timezone.now()
    late_ids = plan.cards.late(today=today).values("pk")
    stale_ids = plan.cards.stale(now=now).values("pk")
    piloted = ActionCard.objects.piloted_by(user).values("pk")
    cards = (
        ActionCard.objects.filter(pk__in=piloted)
        .filter(Q(pk__in=late_ids) | Q(pk__in=stale_ids))
        .annotate(is_late=Exists(plan.cards.late(today=today).filter(pk=OuterRef("pk"))))
        .order_by("objective__number", "position")
    )

    def item(card):
        return TodoItem(
            title=_("Action %(number)s – %(title)s") % {"number": card.number, "title": card.title},
            url=card.get_absolute_url(),
            due=card.end_date,
            late=card.is_late,
            detail=_("en retard")
            if card.is_late
            else _("pas de suivi depuis %(days)s jours") % {"days": STALE_AFTER_DAYS},
        )

    return todo_group_from_queryset(
        cards, limit=limit, late=Q(pk__in=late_ids), item=item, url=reverse("actions:my-cards")
    )
