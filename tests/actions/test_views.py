import datetime
import io

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.demo import demo_seed
from actions.models import ActionCard, CardChange, Measurement
from actions.services.cards import card_update
from actions.services.indicators import measurement_record
from actions.services.steps import card_step_set_state
from tests.actions.factories import ActionCardFactory, IndicatorFactory, StepFactory
from tests.factories import AgentFactory


def test_overview_shows_the_plan_objectives_progress_late_and_stale_cards(client, agent, rh, seed_plan):
    late = seed_plan.cards.get(number="3.2")
    card_update(card=late, user=rh, data={"status": ActionCard.Status.LATE})
    ActionCard.objects.filter(number="2.6").update(updated_at=timezone.now() - datetime.timedelta(days=120))
    client.force_login(agent)
    response = client.get(reverse("actions:plan-overview"))
    assert response.status_code == 200
    text = response.text
    assert "Construire ensemble des services de qualité répondant aux besoins et évolutions du territoire." in text
    assert "Objectif 4 – Développer une culture de management participatif" in text
    assert "Action 5.3 – Développer des temps de cohésion « vis ma vie »" in text
    assert "Bienveillance sans complaisance" in text
    late_section = text.split('id="en-retard"')[1].split("</section>")[0]
    assert "Action 3.2" in late_section
    assert "Action 2.6" not in late_section
    stale_section = text.split('id="sans-suivi"')[1].split("</section>")[0]
    assert "Action 2.6" in stale_section
    assert "sans suivi depuis 3" in stale_section
    assert 'style="' not in text


def test_card_page_is_laid_out_like_the_fiche_action(client, agent, rh, seed_plan):
    card = seed_plan.cards.get(number="1.3")
    card_step_set_state(step=card.steps.get(position=1), user=rh, state="realisee")
    client.force_login(agent)
    response = client.get(reverse("actions:card-detail", args=[card.pk]))
    assert response.status_code == 200
    text = response.text
    for heading in (
        "Objectifs de l'action",
        "Sous-objectifs opérationnels",
        "Modalités et étapes de mise en œuvre",
        "Ressources nécessaires",
        "Indicateurs d'évaluation",
        "Pilotes",
        "Liens avec d'autres actions",
        "Historique des modifications",
    ):
        assert f"{heading}</h2>" in text, heading
    assert "Création d&#x27;une charte des services communs" in text
    assert "1.3.3 Développer un poste ambassadeur pour faire le lien avec les communes" in text
    assert "Faire une analyse comparative permettant de relever les « bonnes idées » dans des documents" in text
    assert "DGA/ responsables des services mutualisés" in text
    assert "1 étape(s) réalisée(s) sur 10" in text
    assert "Étape 1" in text
    assert str(rh) in text


def test_card_page_charts_indicators_with_a_data_table(client, agent, pilote):
    indicator = IndicatorFactory(definition="Nombre de personnes formées", target=120, baseline=0, unit="agents")
    for month in range(1, 7):
        measurement_record(indicator=indicator, user=pilote, date=datetime.date(2025, month, 1), value=month * 10)
    client.force_login(agent)
    text = client.get(reverse("actions:card-detail", args=[indicator.card.pk])).text
    assert "<svg" in text
    assert f'<title id="indicateur-{indicator.pk}-title">Nombre de personnes formées' in text
    assert "<details>" in text
    assert "Les données du graphique (6 mesures)" in text


def _card_queries(client, card):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("actions:card-detail", args=[card.pk]))
    assert response.status_code == 200
    return len(queries)


def test_card_page_query_count_does_not_grow_with_measurements(client, agent, pilote):
    indicator = IndicatorFactory(target=100)
    card = indicator.card
    card.pilot_agents.add(pilote)
    for position in range(3):
        StepFactory(card=card, position=10 + position)
    start = datetime.date(2020, 1, 1)
    Measurement.objects.bulk_create(
        Measurement(indicator=indicator, date=start + datetime.timedelta(days=i), value=i, author=pilote)
        for i in range(10)
    )
    CardChange.objects.create(card=card, author=pilote, field="status")
    client.force_login(agent)
    client.get(reverse("actions:card-detail", args=[card.pk]))  # warm the session and role caches
    few = _card_queries(client, card)

    second = IndicatorFactory(card=card, target=50)
    for target in (indicator, second):
        Measurement.objects.bulk_create(
            Measurement(indicator=target, date=start + datetime.timedelta(days=i), value=i % 70, author=pilote)
            for i in range(10, 1200)
        )
    CardChange.objects.bulk_create(CardChange(card=card, author=pilote, field="status") for _ in range(300))
    card.related_cards.add(*ActionCardFactory.create_batch(3))
    many = _card_queries(client, card)

    assert Measurement.objects.count() > 2000
    assert many == few, (few, many)


def test_overview_query_count_does_not_grow_with_cards(client, agent):
    card = ActionCardFactory()
    client.force_login(agent)
    client.get(reverse("actions:plan-overview"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("actions:plan-overview"))
    ActionCardFactory.create_batch(20, objective=card.objective)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("actions:plan-overview"))
    assert len(many) == len(few)


def test_home_page_shows_the_objectives_progress(client, agent, seed_plan):
    client.force_login(agent)
    text = client.get(reverse("intranet:home")).text
    assert "Avancement du projet d&#x27;administration" in text
    assert "Objectif 5 – La communication: développer une culture Mad &amp; Moselle" in text


def test_nav_and_search_find_cards_for_agents_not_partners(client, agent, partenaire, seed_plan):
    client.force_login(agent)
    response = client.get(reverse("intranet:search"), {"q": "vis ma vie"})
    assert "Action 5.3" in response.text
    assert reverse("actions:plan-overview") in response.text  # the nav item
    client.force_login(partenaire)
    response = client.get(reverse("intranet:search"), {"q": "vis ma vie"})
    assert "Action 5.3" not in response.text
    assert reverse("actions:plan-overview") not in response.text


def test_demo_seed_tells_a_believable_story_once(db):
    pilot = AgentFactory(email="pilote@demo.local")
    out = io.StringIO()
    demo_seed(stdout=out)
    demo_seed(stdout=out)
    assert "déjà chargé" in out.getvalue()
    assert set(ActionCard.objects.piloted_by(pilot).values_list("number", flat=True)) == {"1.1", "5.1", "5.2"}
    assert ActionCard.objects.late().count() >= 3
    assert ActionCard.objects.stale().count() >= 3
    assert ActionCard.objects.filter(status=ActionCard.Status.DONE).count() >= 5
    oldest = Measurement.objects.order_by("date").first().date
    assert (timezone.localdate() - oldest).days > 4 * 365
    assert CardChange.objects.exists()


def test_home_page_query_count_does_not_grow_with_cards(client, agent):
    card = ActionCardFactory()
    client.force_login(agent)
    client.get(reverse("intranet:home"))
    cache.clear()  # nothing kept: the plan's box is read (the new cards renew it anyway)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("intranet:home"))
    ActionCardFactory.create_batch(20, objective=card.objective)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("intranet:home"))
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
