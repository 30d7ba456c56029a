"""The plan's calendar: a Gantt SVG of every card, by objective, with a table alternative."""

import datetime
import re

from django.urls import reverse

from actions.gantt import plan_gantt_svg
from actions.models import ActionCard
from tests.actions.factories import ActionCardFactory, ObjectiveFactory, PlanFactory
from tests.querycount import assert_same_queries


def _dated(seed_plan):
    for index, card in enumerate(seed_plan.cards.order_by("objective__number", "position")):
        card.start_date = datetime.date(2022, 1, 1) + datetime.timedelta(days=30 * index)
        card.end_date = card.start_date + datetime.timedelta(days=365)
        card.save()


def test_calendar_draws_every_card_by_objective_with_legend_and_table(client, agent, seed_plan):
    _dated(seed_plan)
    ActionCard.objects.filter(number="3.2").update(status=ActionCard.Status.LATE)
    client.force_login(agent)
    response = client.get(reverse("actions:plan-calendar"))
    assert response.status_code == 200
    text = response.text
    svg = text.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert 'role="img"' in svg
    assert "<title" in svg
    assert "<desc" in svg
    assert "Calendrier du plan d&#x27;action, de 2022 à 2025" in svg
    for year in ("2022", "2023", "2024", "2025"):
        assert f">{year}</text>" in svg
    # The legend names every status in words; a late card is hatched, not only red.
    for label in ("À lancer", "En cours", "En retard", "Réalisée", "Reportée", "Abandonnée"):
        assert f">{label}</text>" in svg
    assert 'fill="url(#calendrier-en_retard)"' in svg
    assert len(re.findall(r"<g><title>", svg)) == 26
    for number in range(1, 6):
        assert f"Objectif {number} –" in svg
    table = text.split("<table", 1)[1].split("</table>", 1)[0]
    assert table.count('<th scope="row"') == 26
    assert "Objectif 5 – " in table
    assert "En retard" in table
    assert 'style="' not in text
    assert reverse("actions:plan-calendar") in text  # in the plan's tabs


def test_today_line_only_within_the_plan(seed_plan):
    _dated(seed_plan)
    objectives = [(o, list(o.cards.all())) for o in seed_plan.objectives.all()]
    inside = plan_gantt_svg(plan=seed_plan, objectives=objectives, today=datetime.date(2023, 5, 1))
    outside = plan_gantt_svg(plan=seed_plan, objectives=objectives, today=datetime.date(2031, 5, 1))
    assert "aujourd’hui" in inside
    assert "aujourd’hui" not in outside


def test_undated_cards_are_said_so_and_nothing_dated_means_no_chart(client, agent):
    objective = ObjectiveFactory(plan=PlanFactory(period_end=None))
    ActionCardFactory(objective=objective, title="Sans dates")
    client.force_login(agent)
    text = client.get(reverse("actions:plan-calendar")).text
    assert "le calendrier est vide" in text
    assert "Sans dates" in text


def test_calendar_query_count_does_not_grow(client, agent):
    objective = ObjectiveFactory(plan=PlanFactory())
    ActionCardFactory(objective=objective, start_date=datetime.date(2023, 1, 1), end_date=datetime.date(2024, 1, 1))
    client.force_login(agent)

    def grow():
        for _index in range(30):
            ActionCardFactory(
                objective=ObjectiveFactory(plan=objective.plan),
                start_date=datetime.date(2023, 1, 1),
                end_date=datetime.date(2025, 1, 1),
            )

    assert_same_queries(client, reverse("actions:plan-calendar"), grow)
