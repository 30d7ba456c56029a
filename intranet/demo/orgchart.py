"""The demo's sites and org chart, sized for the number of agents asked for: the administration of
intranet.demo_data, plus one team of TOS agents per lycée (split into sub-teams beyond the
default size)."""

import random
from collections.abc import Iterable
from dataclasses import dataclass, field

from intranet.demo_data import (
    DEMO_AGENTS,
    LYCEE_PATRONS,
    LYCEE_TOWNS,
    LYCEES,
    ORG_CHART,
    SITES,
    TECH,
    TOS_JOBS,
    TOS_MISSIONS,
    TOS_SERVICE,
    TOS_SKILLS,
    TOS_SUB_TEAMS,
    UnitSpec,
)
from intranet.models import Agent, OrgUnit, Site

DEFAULT_AGENTS = 1350
SEED = 1350

# Share of the generated agents who work in the lycées (seed 000: 1,350 TOS agents).
TOS_SHARE = 0.74
# Beyond the default size the org chart grows to the reference size's proportion (DESIGN.md:
# 10,000 agents in 500 units): the lycée teams split into sub-teams (TOS_SUB_TEAMS).
AGENTS_PER_UNIT = 20


@dataclass
class Unit:
    """A unit being built: its spec, its row, and where its agents work."""

    spec: UnitSpec
    row: OrgUnit
    parent: "Unit | None"
    sites: list[Site]
    weight: float
    head: Agent | None = None
    children: list["Unit"] = field(default_factory=list)


def seeded_random(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311 (reproducible demo data, not a secret)


def lycee_count(agents: int) -> int:
    return max(3, round(agents * len(LYCEES) / DEFAULT_AGENTS))


def lycee_rows_for(count: int) -> list[tuple[str, str, str, str, str]]:
    rows = list(LYCEES[:count])
    names = {row[0] for row in rows}
    rng = seeded_random(SEED + 1)
    extra = [(patron, town) for patron in LYCEE_PATRONS for town in LYCEE_TOWNS]
    rng.shuffle(extra)
    for patron, (city, postal_code, area) in extra:
        if len(rows) >= count:
            break
        name = f"Lycée {patron}" if f"Lycée {patron}" not in names else f"Lycée {patron} ({city})"
        if name not in names:
            names.add(name)
            rows.append((name, f"{rng.randint(1, 80)} rue du Lycée", postal_code, city, area))
    return rows


def team_spec(lycee: Site, weight: float, sub_teams: int = 0) -> UnitSpec:
    """The TOS agents of one lycée: a team under the "Lycées – agents TOS" service; in a large
    administration, split into `sub_teams` sub-teams by trade (TOS_SUB_TEAMS), the team keeping
    its polyvalent agents."""
    subs = tuple(
        UnitSpec(
            f"{name} – l{lycee.name[1:]}",
            OrgUnit.Kind.UNITE,
            sites=(lycee.name,),
            weight=weight * 0.8 / sub_teams,
            jobs=tuple(job for job in TOS_JOBS if job.title in titles),
            missions=TOS_MISSIONS,
            skills=TOS_SKILLS,
            filiere=TECH,
        )
        for name, titles in TOS_SUB_TEAMS[:sub_teams]
    )
    return UnitSpec(
        f"Équipe du l{lycee.name[1:]}",
        OrgUnit.Kind.UNITE,
        sites=(lycee.name,),
        weight=weight * 0.2 if subs else weight,
        jobs=TOS_JOBS[:1] if subs else TOS_JOBS,
        missions=TOS_MISSIONS,
        skills=TOS_SKILLS,
        filiere=TECH,
        children=subs,
    )


def _sub_team_counts(*, agents: int, lycees: int) -> list[int]:
    """How many sub-teams each lycée team gets: none up to the default size; beyond it, enough
    for one unit per AGENTS_PER_UNIT agents (500 units at 10,000 agents), spread over the
    teams, at most len(TOS_SUB_TEAMS) each."""
    if agents <= DEFAULT_AGENTS or not lycees:
        return [0] * lycees
    base = sum(1 for _ in walk(ORG_CHART)) + lycees
    extra = min(max(0, round(agents / AGENTS_PER_UNIT) - base), lycees * len(TOS_SUB_TEAMS))
    return [extra // lycees + (1 if i < extra % lycees else 0) for i in range(lycees)]


def walk(spec: UnitSpec) -> Iterable[UnitSpec]:
    yield spec
    for child in spec.children:
        yield from walk(child)


def tos_weight() -> float:
    """The lycée teams' total weight, so that they hold TOS_SHARE of the generated agents."""
    return sum(spec.weight for spec in walk(ORG_CHART)) * TOS_SHARE / (1 - TOS_SHARE)


def minimum_agents() -> int:
    """One head per unit, plus the demo accounts who head nothing."""
    return sum(1 for _ in walk(ORG_CHART)) + lycee_count(0) + len(DEMO_AGENTS) - 1


def sites_create(lycees) -> dict[str, Site]:
    """The sites, keyed by their SITES key (lycées by their name)."""
    rows = [
        Site(
            name=s.name,
            kind=s.kind,
            address=s.address,
            postal_code=s.postal_code,
            city=s.city,
            phone=f"{s.area} 40 00 00",
        )
        for s in SITES
    ]
    rows += [
        Site(
            name=name,
            kind=Site.Kind.LYCEE,
            address=address,
            postal_code=postal_code,
            city=city,
            phone=f"{area} {50 + i % 40} 10 00",
        )
        for i, (name, address, postal_code, city, area) in enumerate(lycees)
    ]
    Site.objects.bulk_create(rows)
    by_key = {spec.key: row for spec, row in zip(SITES, rows[: len(SITES)], strict=True)}
    by_key.update({row.name: row for row in rows[len(SITES) :]})
    return by_key


def _team_specs(*, lycees: list[Site], agents: int, rng: random.Random) -> list[UnitSpec]:
    """One team per lycée, of a random size (split into sub-teams in a large administration)."""
    sizes = [rng.uniform(0.6, 1.4) for _ in lycees]
    subs = _sub_team_counts(agents=agents, lycees=len(lycees))
    return [
        team_spec(lycee, tos_weight() * size / sum(sizes), sub_teams)
        for lycee, size, sub_teams in zip(lycees, sizes, subs, strict=True)
    ]


def demo_unit_count(*, agents: int) -> int:
    """How many units the demo's org chart has for `agents` agents (without building it)."""
    return sum(1 for _ in walk(ORG_CHART)) + sum(
        1 + subs for subs in _sub_team_counts(agents=agents, lycees=lycee_count(agents))
    )


def units_create(*, sites: dict[str, Site], lycees: list[Site], agents: int, rng: random.Random) -> list[Unit]:
    """The org chart, saved level by level (a unit's parent needs its primary key first)."""
    flat: list[Unit] = []
    teams = _team_specs(lycees=lycees, agents=agents, rng=rng)

    def plan(spec: UnitSpec, parent: Unit | None) -> Unit:
        unit_sites = [sites[key] for key in spec.sites]
        row = OrgUnit(name=spec.name, short_name=spec.short_name, kind=spec.kind, site=unit_sites[0])
        unit = Unit(spec, row, parent, unit_sites, spec.weight)
        flat.append(unit)
        children = spec.children + (tuple(teams) if spec.name == TOS_SERVICE else ())
        unit.children = [plan(child, unit) for child in children]
        return unit

    level = [plan(ORG_CHART, None)]
    while level:
        for unit in level:
            unit.row.parent = unit.parent.row if unit.parent else None
        OrgUnit.objects.bulk_create([unit.row for unit in level])
        level = [child for unit in level for child in unit.children]
    return flat
