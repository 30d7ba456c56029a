"""The org units and sites a file names, found by name, sigle or path, without accents or case
(the export writes them the same way)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from intranet.directory.importer.reading import UNIT_PATH_SEPARATOR, normalise
from intranet.models import OrgUnit, Site


class UnitIndex:
    """Every org unit, findable by name, sigle or path ("Direction / Service"), without accents
    or case. A name shared by two units is ambiguous: the file must give the path."""

    def __init__(self, units: Iterable[OrgUnit]):
        self.units = {unit.pk: unit for unit in units}
        self.paths: dict[int, tuple[str, ...]] = {}
        for pk in self.units:
            self.paths[pk] = self._path(pk)
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self.by_short_name: dict[str, list[int]] = defaultdict(list)
        for unit in self.units.values():
            self.by_name[normalise(unit.name)].append(unit.pk)
            if unit.short_name:
                self.by_short_name[normalise(unit.short_name)].append(unit.pk)

    def _path(self, pk: int) -> tuple[str, ...]:
        names, seen, unit = [], set(), self.units.get(pk)
        while unit is not None and unit.pk not in seen:
            seen.add(unit.pk)
            names.append(unit.name)
            unit = self.units.get(unit.parent_id)
        return tuple(reversed(names))

    def label(self, pk: int | None) -> str:
        """The name, or the path when the name alone is ambiguous (what the export writes)."""
        if pk is None or pk not in self.units:
            return ""
        unit = self.units[pk]
        if len(self.by_name[normalise(unit.name)]) == 1:
            return unit.name
        return UNIT_PATH_SEPARATOR.join(self.paths[pk])

    def find(self, value: str) -> tuple[int | None, bool]:
        """(unit id or None, ambiguous)."""
        segments = [normalise(part) for part in value.split("/") if part.strip()]
        if not segments:
            return None, False
        if len(segments) == 1:
            found = self.by_name.get(segments[0]) or self.by_short_name.get(segments[0]) or []
        else:
            found = [
                pk
                for pk in self.by_name.get(segments[-1], [])
                if tuple(normalise(name) for name in self.paths[pk][-len(segments) :]) == tuple(segments)
            ]
        if len(found) == 1:
            return found[0], False
        return None, len(found) > 1


class SiteIndex:
    def __init__(self, sites: Iterable[Site]):
        self.sites = {site.pk: site for site in sites}
        self.by_name = {normalise(site.name): site.pk for site in self.sites.values()}

    def label(self, pk: int | None) -> str:
        return self.sites[pk].name if pk in self.sites else ""

    def find(self, value: str) -> int | None:
        return self.by_name.get(normalise(value))
