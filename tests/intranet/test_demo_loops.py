"""The demo walked to its end, as a new user trying it would (issue 15): the console speaks French,
the indicators fed by other modules have live values, the job-shadowing campaign shows the
satisfaction of its evaluated visits, its offers come from every trade, and its dates follow
each other in the right order. On one demo seeded for the module (a size that has lycées and
enough agents for the job-shadowing campaigns)."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from actions.models import Indicator
from intranet.models import Agent, OrgUnit
from onboarding.shadowing.demo import PAST_TITLE
from onboarding.shadowing.models import Campaign, Offer
from tests.harness import rolled_back_transaction
from tests.html import text_of

SIZE = 200

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), rolled_back_transaction():
        out = io.StringIO()
        call_command("seed_demo", agents=SIZE, stdout=out)
        yield out.getvalue()


def _login(client, email):
    client.force_login(Agent.objects.get(email=email))
    return client


def test_the_console_speaks_french(seeded):
    lines = [line for line in seeded.splitlines() if line.strip()]
    english = [line for line in lines if re.match(r"^\s*(Surveys|onboarding|shadowing|vacancies|Creating)\b", line)]
    assert english == []
    assert "'unknown'" not in seeded
    assert "{'recorded'" not in seeded
    assert "Enquêtes : " in seeded
    assert "Intégration des nouveaux agents : " in seeded
    assert "Montre-moi ton job : " in seeded


def test_fed_indicators_have_todays_values_from_their_modules(seeded, client):
    fed = Indicator.objects.exclude(source="").select_related("card")
    assert {(i.card.number, i.source.partition(":")[0]) for i in fed} >= {
        ("5.1", "surveys.satisfaction"),
        ("5.2", "surveys.satisfaction"),
        ("5.3", "shadowing.satisfaction"),
    }
    for indicator in fed:
        assert indicator.measurements.filter(date=timezone.localdate()).exists(), indicator.card.number
    card = fed.get(card__number="5.3").card
    _login(client, "rh@demo.local")
    page = text_of(client.get(reverse("actions:card-detail", args=[card.pk])))
    assert "alimenté par Montre-moi ton job : taux de satisfaction" in page
    response = client.post(reverse("actions:card-indicators-refresh", args=[card.pk]), follow=True)
    text = text_of(response)
    assert "pas encore de valeur" not in text
    assert "à jour" in text


def test_the_past_campaign_shows_the_satisfaction_of_its_evaluated_visits(seeded, client):
    past = Campaign.objects.get(title=PAST_TITLE)
    _login(client, "rh@demo.local")
    text = text_of(client.get(reverse("shadowing:campaign-detail", args=[past.pk])))
    assert re.search(r"\b\d+(,\d)? %\s*satisfaction", text), text[:2000]
    assert "— satisfaction" not in text


def test_offers_come_from_every_trade_not_from_the_heads_of_service(seeded):
    offers = list(Offer.objects.select_related("host"))
    heads = set(OrgUnit.objects.exclude(head=None).values_list("head_id", flat=True))
    assert len(offers) >= 16
    assert not [offer for offer in offers if offer.host_id in heads]
    titles = {offer.job_title.lower() for offer in offers}
    assert len(titles) == len(offers)
    for trade in ("restauration", "maintenance", "accueil"):
        assert any(trade in title for title in titles), trade
