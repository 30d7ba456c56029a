"""The org chart pages issue the same number of queries at any size (tests/querycount.py)."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from intranet.models import Agent
from tests.intranet.directory.orgchart_factories import add_units_and_agents, build_tree
from tests.querycount import assert_same_queries


@pytest.fixture
def tree(db):
    return build_tree()


@pytest.fixture
def logged_in(client, agent):
    client.force_login(agent)
    return client


def _grow(tree):
    def grow():
        add_units_and_agents(parent=tree.pole, units=40, agents_per_unit=10, site=tree.siege)
        add_units_and_agents(parent=tree.paie, units=5, agents_per_unit=60, site=tree.lycee)

    return grow


def test_orgchart_queries_do_not_grow(logged_in, tree):
    count = assert_same_queries(logged_in, reverse("directory:orgchart"), grow=_grow(tree))
    assert count <= 8


def test_unit_page_queries_do_not_grow(logged_in, tree):
    url = reverse("directory:unit-detail", kwargs={"pk": tree.paie.pk})
    assert_same_queries(logged_in, url, grow=_grow(tree))
    assert_same_queries(logged_in, url, grow=_grow(tree), data={"page": "2"})


def test_trombinoscope_queries_do_not_grow(logged_in, tree):
    url = reverse("directory:trombinoscope")
    assert_same_queries(logged_in, url, grow=_grow(tree))
    assert_same_queries(logged_in, url, grow=_grow(tree), data={"unite": tree.pole.pk})
    assert_same_queries(logged_in, url, grow=_grow(tree), data={"unite": tree.pole.pk, "site": tree.siege.pk})


def test_arrivals_queries_do_not_grow(logged_in, tree):
    today = timezone.localdate()

    def grow():
        _grow(tree)()
        Agent.objects.filter(org_unit__parent=tree.pole).update(arrival_date=today.replace(day=1))
        Agent.objects.filter(org_unit__parent=tree.paie).update(departure_date=today.replace(day=1) + timedelta(3))

    assert_same_queries(logged_in, reverse("directory:arrivals"), grow=grow)


def test_home_with_new_arrivals_queries_do_not_grow(logged_in, tree):
    today = timezone.localdate()
    Agent.objects.filter(org_unit=tree.paie).update(arrival_date=today.replace(day=1))

    def grow():
        _grow(tree)()
        Agent.objects.filter(org_unit__parent=tree.pole).update(arrival_date=today.replace(day=1))

    assert_same_queries(logged_in, reverse("intranet:home"), grow=grow, before_each=cache.clear)  # nothing kept
