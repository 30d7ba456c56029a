"""`seed_demo` on an empty or foreign database: its refusals, the apps' extensions; the avatars."""

import pytest
from django.core.management import CommandError

from intranet import demo
from intranet.models import Agent
from intranet.registry import DemoSeed, registry
from tests.factories import SiteFactory
from tests.intranet.test_seed_demo import SMALL, seed


def test_refuses_a_database_that_holds_other_data(db):
    SiteFactory(name="Mairie annexe")
    with pytest.raises(CommandError, match="base vide"):
        seed(agents=SMALL)
    assert not Agent.objects.exists()


def test_refuses_too_few_agents_for_the_org_chart(db):
    with pytest.raises(CommandError, match="au moins"):
        seed(agents=10)


def test_extensions_run_on_every_call(db, monkeypatch):
    calls = []
    monkeypatch.setitem(
        registry.demo_seeds, "test", DemoSeed(key="test", seed=lambda *, stdout: calls.append(Agent.objects.count()))
    )
    seed(agents=SMALL)
    seed()
    assert len(calls) == 2
    assert calls[0] == calls[1] > 0


def test_avatars_draw_accented_initials_without_accents():
    """Pillow's built-in font has no "É": it would draw an empty box."""
    assert demo.avatar_jpeg(initials="ÉÇ", colour="#1f4e79") == demo.avatar_jpeg(initials="EC", colour="#1f4e79")


def test_the_reference_size_has_500_units_and_the_default_demo_keeps_its_org_chart():
    # DESIGN.md's reference size: 10,000 agents in 500 units (the lycée teams split by trade).
    assert demo.demo_unit_count(agents=10_000) == 500
    assert demo.demo_unit_count(agents=demo.DEFAULT_AGENTS) == 56
    assert demo.demo_unit_count(agents=SMALL) == 44
