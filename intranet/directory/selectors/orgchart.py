"""Reads of the org chart and the trombinoscope (the arrivals and departures: `arrivals`).

The whole tree is loaded in one query and built in Python, and the headcounts come from
one aggregate query: the org chart and the unit pages issue the same number of queries
at 5 units or 500 (the tree is small next to the agents: 500 units at the reference size).

The built tree (units, heads' names, headcounts) is kept in the cache per version of the org
chart, and the org chart page keeps its rendered tree the same way: reading it costs the same at
50 units or 500. What changes units, heads or who works where calls `orgchart_changed()` (the
org chart's edit services, the HR import, HR's edit of an agent, the anonymisation, the
directory sync), which starts a new version; ORGCHART_CACHE_SECONDS bounds what a change made
elsewhere (the admin, a shell) leaves stale.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from django.core.cache import cache
from django.db.models import Count, F, QuerySet

from intranet.directory.permissions import can_view_orgchart
from intranet.directory.search_sql import AnyOf
from intranet.kept import KeptFragment, model_version_name, renew, version
from intranet.models import Agent, OrgUnit
from intranet.roles import roles_changed
from intranet.selectors import agent_list_visible_to
from intranet.shortcuts import Counted


@dataclass(eq=False)
class UnitNode:
    """A unit in the tree, with its direct members' count and everyone's below it."""

    unit: OrgUnit
    own_count: int = 0
    total_count: int = 0
    depth: int = 0
    parent: "UnitNode | None" = None
    children: list["UnitNode"] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return self.unit.pk

    @property
    def head(self) -> Agent | None:
        """The unit's head, unless they left (inactive or anonymised agents are not shown)."""
        head = self.unit.head
        if head is None or not head.is_active or head.anonymised_at is not None or head.is_external:
            return None
        return head

    def ancestors(self) -> list["UnitNode"]:
        """The chain above this unit, the root first (for the breadcrumb)."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    def walk(self) -> Iterator["UnitNode"]:
        """This unit and every unit below it, in tree order."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


@dataclass
class OrgChart:
    roots: list[UnitNode]
    nodes: dict[int, UnitNode]

    def node(self, pk) -> UnitNode | None:
        return self.nodes.get(pk)

    def walk(self) -> Iterator[UnitNode]:
        for root in self.roots:
            yield from root.walk()

    @cached_property
    def unit_texts(self) -> list[tuple[UnitNode, str, list[str]]]:
        """Each unit with its normalised name and acronym and their words, by name: what
        `unit_search` compares a query with, computed once per version of the org chart (each
        search normalised and split the 500 names again)."""
        from intranet.directory.search_terms import normalise

        texts = []
        for node in sorted(self.nodes.values(), key=lambda node: (normalise(node.unit.name), node.pk)):
            text = normalise(f"{node.unit.name} {node.unit.short_name}")
            texts.append((node, text, [word for word in re.split(r"[^a-z0-9]+", text) if word]))
        return texts

    def descendant_ids(self, pk) -> list[int]:
        """`pk` and the ids of every unit below it: walked once per unit and version of the org
        chart (400 units below the largest one at 500 units)."""
        known = self.__dict__.setdefault("_descendant_ids", {})  # not pickled with older charts
        if pk not in known:
            node = self.nodes.get(pk)
            known[pk] = tuple(n.pk for n in node.walk()) if node else ()
        return list(known[pk])

    @property
    def total_count(self) -> int:
        return sum(root.total_count for root in self.roots)


def headcounts() -> dict[int, int]:
    """Active agents of the administration by unit id (one aggregate query)."""
    rows = (
        Agent.objects.active()
        .internal()
        .filter(org_unit__isnull=False)
        .values("org_unit")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["org_unit"]: row["n"] for row in rows}


ORGCHART_VERSION = "directory:orgchart"
ORGCHART_CACHE_SECONDS = 15 * 60
# What the tree needs of a head: their name and link, and whether they are still shown.
HEAD_FIELDS = ("first_name", "last_name", "email", "job_title", "is_active", "anonymised_at", "is_external")


def orgchart_version() -> str:
    """The current version of the org chart (a token that changes with it)."""
    return version(ORGCHART_VERSION)


def orgchart_changed() -> None:
    """Start a new version of the org chart (intranet.kept.renew: now and after the commit)."""
    renew(ORGCHART_VERSION)
    roles_changed()  # a unit's head, an agent's manager: who is a manager
    renew(model_version_name("intranet.Agent"))  # an import's arrivals (bulk writes: no signal renews them)
    renew(model_version_name("intranet.OrgUnit"))  # a merge re-points what was the unit's (bulk writes too)


# The last tree this process read, with its version: unpickling 500 units from the shared cache
# costs more than the page around them, so each worker keeps its own copy of the current one.
_in_process: tuple[str, OrgChart] | None = None


def orgchart_build() -> OrgChart:
    """The whole tree of the current version of the org chart: this process's copy, the shared
    cache's, or built. Shared by the requests of the process: never changed by a reader."""
    global _in_process
    version = orgchart_version()
    held = _in_process
    if held is not None and held[0] == version:
        return held[1]
    key = f"directory:orgchart:{version}"
    chart = cache.get(key)
    if chart is None:
        chart = _orgchart_build()
        cache.set(key, chart, ORGCHART_CACHE_SECONDS)
    _in_process = (version, chart)
    return chart


def _orgchart_build() -> OrgChart:
    """The whole tree: one query for the units (with their heads), one for the headcounts.

    The database forbids a unit being its own parent but not longer loops (A → B → A): a unit
    unreachable from a root is shown as a root rather than lost."""
    counts = headcounts()
    nodes = {
        unit.pk: UnitNode(unit=unit, own_count=counts.get(unit.pk, 0))
        for unit in OrgUnit.objects.select_related("head")
        .only(*(f.name for f in OrgUnit._meta.concrete_fields), *(f"head__{name}" for name in HEAD_FIELDS))
        .order_by("name", "pk")
    }
    roots = [node for node in nodes.values() if node.unit.parent_id is None or node.unit.parent_id not in nodes]
    for node in nodes.values():
        parent = nodes.get(node.unit.parent_id)
        if parent is not None:
            parent.children.append(node)
    placed: set[int] = set()
    pending = list(roots)
    for node in nodes.values():  # units in a loop: the first one met becomes a root
        _place(pending, placed)
        if node.pk not in placed:
            roots.append(node)
            pending.append(node)
    _place(pending, placed)
    return OrgChart(roots=roots, nodes=nodes)


def _place(pending: list[UnitNode], placed: set[int]) -> None:
    """Set depth and parent from the roots down, then the totals from the leaves up."""
    order = []
    while pending:
        node = pending.pop()
        if node.pk in placed:
            continue
        placed.add(node.pk)
        order.append(node)
        node.children = [child for child in node.children if child.pk not in placed]
        for child in node.children:
            child.parent, child.depth = node, node.depth + 1
            pending.append(child)
    for node in reversed(order):
        node.total_count = node.own_count + sum(child.total_count for child in node.children)


def orgchart_load(*, user) -> OrgChart:
    """The org chart `user` may read: all of it for an internal agent, nothing otherwise."""
    if not can_view_orgchart(user):
        return OrgChart(roots=[], nodes={})
    return orgchart_build()


def unit_member_list(*, user, unit_id: int) -> QuerySet[Agent]:
    """The unit's own members (not those of its sub-units) that `user` may see."""
    return agent_list_visible_to(user=user).filter(org_unit_id=unit_id)


# The trombinoscope's filters and page of agents (intranet.directory.views.orgchart), kept for
# everyone with the same filters and page who sees the same photos (permissions.photo_sight).
TROMBINOSCOPE = KeptFragment("trombinoscope", changes_with=("intranet.Agent", "intranet.OrgUnit", "intranet.Site"))


def trombinoscope_agent_list(
    *, user, chart: OrgChart, unit_id: int | None = None, site_id: int | None = None
) -> QuerySet[Agent] | Counted:
    """Agents for the trombinoscope: a unit's (sub-units included) and/or a site's.

    A unit's agents come counted from the org chart kept per version: its headcount is the
    same agents (active, of the administration), so the page no longer counts them in the
    database (7,500 agents below the largest unit at 10,000: 4 ms of PostgreSQL a page)."""
    agents = agent_list_visible_to(user=user)
    node = chart.node(unit_id) if unit_id is not None else None
    if unit_id is not None:
        # the ids as one array: 400 units below the largest one, bound one by one, cost 3 ms
        agents = agents.filter(AnyOf(F("org_unit_id"), chart.descendant_ids(unit_id)))
    if site_id is not None:
        agents = agents.filter(site_id=site_id)
    elif node is not None:
        return Counted(agents, node.total_count)
    return agents


@lru_cache(maxsize=16384)
def _trigrams(word: str) -> frozenset[str]:
    padded = f"  {word} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def _close(term: str, word: str) -> bool:
    """pg_trgm's similarity of two words, in Python: at least 0.6 of their trigrams shared."""
    if abs(len(term) - len(word)) > 3:
        return False
    a, b = _trigrams(term), _trigrams(word)
    return len(a & b) / len(a | b) >= 0.6 if a and b else False


def unit_search(*, user, query: str, limit: int) -> list[OrgUnit]:
    """The units whose name or acronym holds every word of `query`, read from the org chart kept per
    version (no query; 500 units tested in Python cost less than unaccenting them in PostgreSQL: 17 ms
    there): a term is part of the name (« compta » finds « Comptabilité », a plural its singular), or
    from 4 letters one slip away from one of its words (the directory's typo rule)."""
    from intranet.directory.search import MIN_TYPO_TERM
    from intranet.fulltext import search_terms

    terms = [term[:-1] if len(term) > 4 and term[-1] in "sx" else term for term in search_terms(query)]
    if not terms:
        return []
    found = []
    for node, text, words in orgchart_load(user=user).unit_texts:  # by name: the first `limit` found
        if all(
            term in text or (len(term) >= MIN_TYPO_TERM and any(_close(term, word) for word in words)) for term in terms
        ):
            found.append(node)
            if len(found) == limit:
                break
    units = []
    for node in found:
        node.unit.parent_name = node.parent.unit.name if node.parent else ""
        units.append(node.unit)
    return units
