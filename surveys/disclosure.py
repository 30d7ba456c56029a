"""Which groups of a survey's results may be shown: primary and secondary suppression, as statistical
offices do it, over counts already read from the database (no query here).

A *view* is what the results page can be filtered on: a session, and for identified surveys a unit
(with its sub-units) and a site. The data come as *cells*: {(session id, site id, unit id): count},
the unit being the respondent's own (not its ancestors); an anonymous survey has only sessions.

- Primary: a view with fewer than `threshold` respondents (or answers to a question) shows nothing.
- Secondary: a shown view must not give a hidden one by subtraction. For each filter of the view,
  relax it (the session or site filter dropped, the unit replaced by its parent unit): the relaxed
  view is split into parts (every session, every site, the parent's sub-units) and a remainder that
  no filter can select (no session, no site, the parent's own members). The parts under the
  threshold are hidden; if the hidden remainder (their sum and the unselectable rest) is between 1
  and threshold − 1, the smallest shown parts are hidden too until it is 0 or at least threshold.
  The view is shown only if it survives every one of its filters' partitions.

What this does not cover (stated in surveys/README.md): sums across two levels of the unit tree at
once, and the intersections of several filters compared with each other beyond one relaxation.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

Cell = tuple[int | None, int | None, int | None]  # (session, site, unit)
Cells = Mapping[Cell, int]


@dataclass(frozen=True)
class View:
    session: int | None = None
    site: int | None = None
    unit: int | None = None


@dataclass
class UnitTree:
    """Parent links of the org units, to read a unit filter as a subtree."""

    parent: dict[int, int | None] = field(default_factory=dict)

    def children(self, unit: int | None) -> list[int]:
        return [pk for pk, parent in self.parent.items() if parent == unit]


def partition_hidden(parts: Mapping[Hashable, int], *, whole: int, threshold: int) -> set:
    """The parts of `whole` that are not shown: those under the threshold, then the smallest shown
    ones until what is hidden (including the part of `whole` outside every part) is 0 or ≥ threshold."""
    hidden = {key for key, count in parts.items() if count < threshold}
    remainder = whole - sum(count for key, count in parts.items() if key not in hidden)
    shown = sorted((count, str(key), key) for key, count in parts.items() if key not in hidden)
    for count, _label, key in shown:
        if remainder == 0 or remainder >= threshold:
            break
        hidden.add(key)
        remainder += count
    return hidden


class Disclosure:
    """Counts of one population (the respondents, or the people who answered one question)."""

    def __init__(self, cells: Cells, *, tree: UnitTree | None = None, threshold: int):
        self.cells = {key: count for key, count in cells.items() if count}
        self.tree = tree or UnitTree()
        self.threshold = threshold
        self._chains: dict[int | None, list[int]] = {}

    def _chain(self, unit: int | None) -> list[int]:
        """The unit and its ancestors, nearest first."""
        if unit not in self._chains:
            chain, current, seen = [], unit, set()
            while current is not None and current not in seen:
                chain.append(current)
                seen.add(current)
                current = self.tree.parent.get(current)
            self._chains[unit] = chain
        return self._chains[unit]

    def matches(self, cell: Cell, view: View) -> bool:
        session, site, unit = cell
        return (
            (view.session is None or session == view.session)
            and (view.site is None or site == view.site)
            and (view.unit is None or view.unit in self._chain(unit))
        )

    def count(self, view: View) -> int:
        return sum(count for cell, count in self.cells.items() if self.matches(cell, view))

    def _partition(self, view: View, dimension: str) -> tuple[int, dict[Hashable, int], Hashable]:
        """Relax one filter of `view`: (count of the relaxed view, {part: count}, `view`'s part)."""
        if dimension == "session":
            relaxed, key = View(None, view.site, view.unit), view.session

            def part_of(cell):
                return cell[0]
        elif dimension == "site":
            relaxed, key = View(view.session, None, view.unit), view.site

            def part_of(cell):
                return cell[1]
        else:
            parent = self.tree.parent.get(view.unit)
            relaxed, key = View(view.session, view.site, parent), view.unit
            siblings = set(self.tree.children(parent))

            def part_of(cell):
                return next((unit for unit in self._chain(cell[2]) if unit in siblings), None)

        whole, parts = 0, {key: 0}
        for cell, count in self.cells.items():
            if self.matches(cell, relaxed):
                whole += count
                part = part_of(cell)
                if part is not None:  # no session, no site, the parent unit's own members: no filter selects them
                    parts[part] = parts.get(part, 0) + count
        return whole, parts, key

    def visible(self, view: View) -> bool:
        if self.count(view) < self.threshold:
            return False
        dimensions = [
            name
            for name, value in (("session", view.session), ("site", view.site), ("unit", view.unit))
            if value is not None
        ]
        for dimension in dimensions:
            whole, parts, key = self._partition(view, dimension)
            if key in partition_hidden(parts, whole=whole, threshold=self.threshold):
                return False
        return True
