"""Indicators fed by other modules: the registry, the refresh service, the card's button."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from actions.indicator_sources import indicator_source_choices
from actions.models import CardChange, Measurement
from actions.services.indicators import indicator_refresh_from_sources
from intranet.registry import IndicatorSource, register, registry
from tests.actions.factories import ActionCardFactory, IndicatorFactory, MeasurementFactory

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture
def sources(monkeypatch):
    """A clean registry with a counter source and a source that takes an argument."""
    monkeypatch.setattr(registry, "indicator_sources", {})
    values = {"count": Decimal("12"), "rate": {"7": Decimal("87.5"), "8": None}}
    register(IndicatorSource(key="test.count", label="Nombre de visites", compute=lambda argument: values["count"]))
    register(
        IndicatorSource(
            key="test.rate",
            label="Taux de satisfaction",
            compute=lambda argument: values["rate"][argument],
            choices=lambda: [("7", "Enquête de juin"), ("8", "Enquête d'octobre")],
        )
    )

    def broken(argument):
        raise RuntimeError("boom")

    register(IndicatorSource(key="test.broken", label="Cassé", compute=broken))
    return values


def test_choices_list_manual_entry_then_each_source_and_argument(sources):
    assert indicator_source_choices() == [
        ("", "Saisie manuelle"),
        ("test.broken", "Cassé"),
        ("test.count", "Nombre de visites"),
        ("test.rate:7", "Taux de satisfaction — Enquête de juin"),
        ("test.rate:8", "Taux de satisfaction — Enquête d'octobre"),
    ]


def test_key_with_colon_is_refused():
    with pytest.raises(ValueError, match="Invalid indicator source key"):
        register(IndicatorSource(key="a:b", label="x", compute=lambda a: None))


@pytest.mark.django_db
def test_refresh_records_a_dated_measurement_per_fed_indicator(sources):
    card = ActionCardFactory(updated_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC))
    count = IndicatorFactory(card=card, source="test.count")
    rate = IndicatorFactory(card=card, source="test.rate:7")
    not_yet = IndicatorFactory(card=card, source="test.rate:8")
    manual = IndicatorFactory(card=card, source="")
    broken = IndicatorFactory(card=card, source="test.broken")
    gone = IndicatorFactory(card=card, source="uninstalled.module")

    counts = indicator_refresh_from_sources(today=TODAY)

    assert counts == {"recorded": 2, "unchanged": 0, "unknown": 2, "failed": 1}
    assert Measurement.objects.get(indicator=count).value == Decimal("12")
    measurement = Measurement.objects.get(indicator=rate)
    assert (measurement.date, measurement.value) == (TODAY, Decimal("87.5"))
    assert "Taux de satisfaction — Enquête de juin" in measurement.comment
    for indicator in (not_yet, manual, broken, gone):
        assert not indicator.measurements.exists()
    change = CardChange.objects.filter(card=card).first()
    assert change.author is None
    assert change.author_label == "Alimentation automatique"
    card.refresh_from_db()
    assert card.updated_at.year == 2025  # a value fed by beat is not a pilot's follow-up


@pytest.mark.django_db
def test_refresh_is_idempotent_and_skips_unchanged_values(sources):
    indicator = IndicatorFactory(source="test.count")
    MeasurementFactory(indicator=indicator, date=TODAY - datetime.timedelta(days=1), value=12)

    assert indicator_refresh_from_sources(today=TODAY)["unchanged"] == 1
    sources["count"] = Decimal("13")
    assert indicator_refresh_from_sources(today=TODAY)["recorded"] == 1
    assert indicator_refresh_from_sources(today=TODAY)["unchanged"] == 1
    sources["count"] = Decimal("14")  # corrected the same day: still one value that day
    indicator_refresh_from_sources(today=TODAY)
    assert list(indicator.measurements.values_list("date", "value")) == [
        (TODAY - datetime.timedelta(days=1), Decimal("12")),
        (TODAY, Decimal("14")),
    ]


@pytest.mark.django_db
def test_card_shows_the_source_and_pilot_refreshes(client, pilote, agent, sources):
    card = ActionCardFactory()
    card.pilot_agents.add(pilote)
    indicator = IndicatorFactory(card=card, source="test.rate:7")
    url = reverse("actions:card-detail", args=[card.pk])
    refresh = reverse("actions:card-indicators-refresh", args=[card.pk])

    client.force_login(agent)
    page = client.get(url).content.decode()
    assert "alimenté par Taux de satisfaction — Enquête de juin" in page
    assert refresh not in page  # an agent who is not a pilot gets no button
    assert client.post(refresh).status_code == 403

    client.force_login(pilote)
    assert refresh in client.get(url).content.decode()
    response = client.post(refresh, follow=True)
    assert "1 valeur a été relevée" in response.content.decode()
    assert indicator.measurements.get().value == Decimal("87.5")
    change = CardChange.objects.filter(card=card).first()
    assert change.author == pilote


@pytest.mark.django_db
def test_daily_task_runs_the_refresh(sources):
    from actions.tasks import indicators_refresh_task

    indicator = IndicatorFactory(source="test.count")
    indicators_refresh_task()
    assert indicator.measurements.get().value == Decimal("12")


@pytest.mark.django_db
def test_demo_points_indicators_at_the_surveys_and_shadowing_modules(monkeypatch):
    import io

    from actions.demo import demo_seed, demo_sources_seed
    from actions.models import Indicator

    monkeypatch.setattr(registry, "indicator_sources", {})
    register(
        IndicatorSource(
            key="shadowing.satisfaction",
            label="Satisfaction « vis ma vie »",
            compute=lambda argument: Decimal("92") if argument == "7" else None,
            choices=lambda: [("7", "Montre-moi ton job – saison passée")],
        ),
        IndicatorSource(
            key="surveys.satisfaction",
            label="Enquête",
            compute=lambda argument: {"3": Decimal("88"), "4": Decimal("75")}.get(argument),
            choices=lambda: [
                ("3", "Réunions d'information des personnels TOS : votre avis"),
                ("4", "Votre intranet Maison commune : premier avis"),
            ],
        ),
    )
    out = io.StringIO()
    demo_seed(stdout=out)
    demo_sources_seed(stdout=out)
    demo_sources_seed(stdout=out)  # a second run points nothing again, records nothing new
    fed = {i.card.number: i for i in Indicator.objects.exclude(source="").select_related("card")}
    assert {number: i.source for number, i in fed.items()} == {
        "5.1": "surveys.satisfaction:3",
        "5.2": "surveys.satisfaction:4",
        "5.3": "shadowing.satisfaction:7",
    }
    assert fed["5.3"].measurements.order_by("-date").first().value == Decimal("92")
    assert fed["5.1"].measurements.order_by("-date").first().value == Decimal("88")
    output = out.getvalue()
    assert "3 valeur(s) relevée(s) aujourd'hui, 0 inchangée(s)" in output
    assert "0 valeur(s) relevée(s) aujourd'hui, 3 inchangée(s)" in output
    assert "sans valeur" not in output
