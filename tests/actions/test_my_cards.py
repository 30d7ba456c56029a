import datetime

from django.urls import reverse

from actions.models import ActionCard, CardChange, Measurement, Step
from tests.actions.factories import ActionCardFactory, IndicatorFactory, StepFactory
from tests.factories import AgentFactory, OrgUnitFactory
from tests.querycount import assert_same_queries


def _card_for(pilot, **kwargs):
    card = ActionCardFactory(**kwargs)
    card.pilot_agents.add(pilot)
    return card


def test_pilot_sees_only_the_cards_they_pilot(client, pilote):
    mine = _card_for(pilote, title="Ma fiche pilotée")
    unit = OrgUnitFactory(head=pilote)
    as_head = ActionCardFactory(title="Fiche de mon service")
    as_head.pilot_units.add(unit)
    ActionCardFactory(title="La fiche d'un autre")
    client.force_login(pilote)
    response = client.get(reverse("actions:my-cards"))
    assert response.status_code == 200
    assert mine.title in response.text
    assert as_head.title in response.text
    assert "La fiche d&#x27;un autre" not in response.text
    assert 'style="' not in response.text


def test_page_is_refused_to_agents_who_pilot_nothing(client, agent):
    client.force_login(agent)
    assert client.get(reverse("actions:my-cards")).status_code == 403


def test_pilot_updates_a_step_state_and_history_is_written(client, pilote):
    card = _card_for(pilote)
    step = StepFactory(card=card)
    client.force_login(pilote)
    url = reverse("actions:step-update", args=[card.pk, step.pk])
    response = client.post(url, {"state": Step.State.DONE})
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:my-cards")
    step.refresh_from_db()
    assert step.state == Step.State.DONE
    assert CardChange.objects.filter(card=card, field=f"step:{step.position}").exists()
    assert "enregistré" in client.get(reverse("actions:my-cards")).text


def test_pilot_updates_the_card_status(client, pilote):
    card = _card_for(pilote)
    client.force_login(pilote)
    response = client.post(reverse("actions:card-status", args=[card.pk]), {"status": ActionCard.Status.IN_PROGRESS})
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.status == ActionCard.Status.IN_PROGRESS
    assert CardChange.objects.filter(card=card, field="status").exists()


def test_pilot_records_a_measurement_and_it_appears(client, pilote):
    card = _card_for(pilote)
    indicator = IndicatorFactory(card=card)
    client.force_login(pilote)
    url = reverse("actions:measurement-create", args=[card.pk, indicator.pk])
    response = client.post(url, {"date": "2026-03-01", "value": "42,5", "comment": "Premier bilan"})
    assert response.status_code == 302
    measurement = Measurement.objects.get(indicator=indicator)
    assert measurement.value == 42.5
    assert measurement.comment == "Premier bilan"
    assert "42,5" in client.get(reverse("actions:my-cards")).text


def test_htmx_gets_only_the_card_fragment(client, pilote):
    card = _card_for(pilote)
    step = StepFactory(card=card)
    client.force_login(pilote)
    response = client.post(
        reverse("actions:step-update", args=[card.pk, step.pk]),
        {"state": Step.State.IN_PROGRESS},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.text.strip().startswith(f'<section id="fiche-{card.pk}"')
    assert "<html" not in response.text
    assert '<option value="en_cours" selected>' in response.text


def test_another_agent_is_refused(client, agent, pilote):
    card = _card_for(pilote)
    step = StepFactory(card=card)
    indicator = IndicatorFactory(card=card)
    client.force_login(agent)
    step_url = reverse("actions:step-update", args=[card.pk, step.pk])
    assert client.post(step_url, {"state": "realisee"}).status_code == 403
    assert client.post(reverse("actions:card-status", args=[card.pk]), {"status": "en_cours"}).status_code == 403
    assert (
        client.post(
            reverse("actions:measurement-create", args=[card.pk, indicator.pk]), {"date": "2026-03-01", "value": "1"}
        ).status_code
        == 403
    )
    step.refresh_from_db()
    assert step.state == Step.State.TODO
    assert not Measurement.objects.exists()


def test_get_on_post_only_urls_is_not_allowed(client, pilote):
    card = _card_for(pilote)
    client.force_login(pilote)
    assert client.get(reverse("actions:card-status", args=[card.pk])).status_code == 405


def test_bad_measurement_shows_a_french_error_and_saves_nothing(client, pilote):
    card = _card_for(pilote)
    indicator = IndicatorFactory(card=card)
    client.force_login(pilote)
    url = reverse("actions:measurement-create", args=[card.pk, indicator.pk])
    response = client.post(url, {"date": "2026-03-01", "value": "beaucoup"})
    assert response.status_code == 400
    assert "Saisissez un nombre." in response.text
    response = client.post(url, {"date": "pas une date", "value": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Saisissez une date valide." in response.text
    assert not Measurement.objects.exists()
    assert not CardChange.objects.filter(card=card).exists()


def test_duplicate_date_is_refused(client, pilote):
    card = _card_for(pilote)
    indicator = IndicatorFactory(card=card)
    client.force_login(pilote)
    url = reverse("actions:measurement-create", args=[card.pk, indicator.pk])
    assert client.post(url, {"date": "2026-03-01", "value": "1"}).status_code == 302
    response = client.post(url, {"date": "2026-03-01", "value": "2"})
    assert response.status_code == 400
    assert "Une mesure existe déjà à cette date pour cet indicateur." in response.text
    assert Measurement.objects.get(indicator=indicator).value == 1


def test_page_queries_do_not_grow_with_cards(client, pilote):
    def add_card():
        card = _card_for(pilote)
        StepFactory(card=card)
        indicator = IndicatorFactory(card=card)
        Measurement.objects.create(indicator=indicator, date=datetime.date(2026, 1, 1), value=1)
        return card

    add_card()
    client.force_login(pilote)
    assert_same_queries(client, reverse("actions:my-cards"), grow=lambda: [add_card() for _ in range(9)])


def test_card_page_links_its_pilots_to_my_cards(client, pilote):
    card = _card_for(pilote)
    client.force_login(pilote)
    assert reverse("actions:my-cards") in client.get(reverse("actions:card-detail", args=[card.pk])).text
    other = AgentFactory()
    client.force_login(other)
    assert reverse("actions:my-cards") not in client.get(reverse("actions:card-detail", args=[card.pk])).text
