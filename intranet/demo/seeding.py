"""Seeding the demo: the whole administration built on an empty database, agents added to a seeded
one, then every app's own demo data (the registry's `DemoSeed`)."""

import time
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from intranet.demo.accounts import DEMO_ACCOUNTS, DEMO_DOMAIN
from intranet.demo.agents import AgentMaker, arrivals_and_departures_mark, partner_make, skills_give
from intranet.demo.orgchart import (
    DEFAULT_AGENTS,
    SEED,
    Unit,
    lycee_count,
    lycee_rows_for,
    minimum_agents,
    seeded_random,
    sites_create,
    team_spec,
    tos_weight,
    units_create,
    walk,
)
from intranet.demo_data import COMPTABILITE, DEMO_AGENTS, DEMO_GROUPS, ORG_CHART, SITES, TOS_SERVICE, Job
from intranet.models import Agent, OrgUnit, Site
from intranet.registry import registry
from intranet.roles import Role


def allocate(total: int, weights: list[float]) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainders), deterministically."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - shares[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


@transaction.atomic
def demo_administration_build(*, agents: int, stdout) -> int:
    """Build the whole administration on an empty database; returns the agents created."""
    rng = seeded_random(SEED)
    today = timezone.localdate()
    lycee_rows = lycee_rows_for(lycee_count(agents))
    stdout.write(f"Création de {len(SITES) + len(lycee_rows)} sites, dont {len(lycee_rows)} lycées…\n")
    sites = sites_create(lycee_rows)
    lycees = [sites[row[0]] for row in lycee_rows]
    units = units_create(sites=sites, lycees=lycees, agents=agents, rng=rng)
    by_name = {unit.row.name: unit for unit in units}
    stdout.write(
        f"Création de l'organigramme : {len(units)} unités (pôles, directions, services, équipes des lycées)…\n"
    )

    maker = AgentMaker(
        rng=rng, today=today, taken_emails=set(Agent.objects.values_list("email", flat=True)), next_matricule=100001
    )
    demo = {
        key: maker.make(
            first_name=first_name,
            last_name=last_name,
            female=female,
            unit=by_name[unit_name],
            site=by_name[unit_name].sites[0],
            job=job,
            email=f"{key}@{DEMO_DOMAIN}",
            arrival_date=maker.arrival(senior=True),
        )
        for key, (first_name, last_name, female, unit_name, job) in DEMO_AGENTS.items()
    }
    demo["admin"].is_staff = demo["admin"].is_superuser = True

    # The heads first: every other agent's manager is the head of their unit, and a
    # head's manager is the head of the unit above.
    for unit in units:
        if unit.row.name == COMPTABILITE:
            unit.head = demo["manager"]
            continue
        first_name, last_name, female = maker.name()
        category = "C" if unit.spec.kind == OrgUnit.Kind.UNITE else rng.choice("AAAB")
        unit.head = maker.make(
            first_name=first_name,
            last_name=last_name,
            female=female,
            unit=unit,
            site=unit.sites[0],
            arrival_date=maker.arrival(senior=True),
            job=Job(unit.spec.head_title(female), category, unit.spec.filiere),
        )
    heads = [unit.head for unit in units]

    demo_members = [agent for key, agent in demo.items() if key != "manager"]
    for agent in demo_members:
        agent.manager = by_name[agent.org_unit.name].head
    ordinary = []
    for unit, count in zip(
        units, allocate(agents - len(heads) - len(demo_members), [u.weight for u in units]), strict=True
    ):
        ordinary += [maker.ordinary(unit) for _ in range(count)]
    arrivals_and_departures_mark(ordinary, rng=rng, today=today)

    partners = [
        partner_make(
            maker, lycees[0], "Philippe", "Garnier", False, "Proviseur|Proviseure", email=f"partenaire@{DEMO_DOMAIN}"
        )
    ]
    partners += [partner_make(maker, lycee, *maker.name(), "Proviseur|Proviseure") for lycee in lycees[1:]]
    partners += [partner_make(maker, lycee, *maker.name(), "Intendant|Intendante") for lycee in lycees]

    everyone = heads + demo_members + ordinary + partners
    stdout.write(
        f"Création de {agents} agents et de {len(partners)} partenaires externes "
        f"(proviseurs et intendants des lycées)…\n"
    )
    stdout.write(f"Génération de {len(everyone)} photos…\n")
    for agent in everyone:
        maker.with_photo(agent)

    Agent.objects.bulk_create(heads)
    for unit in units:
        unit.row.head = unit.head
        unit.head.manager = unit.parent.head if unit.parent else None
    OrgUnit.objects.bulk_update([unit.row for unit in units], ["head"])
    Agent.objects.bulk_update(heads, ["manager"])
    Agent.objects.bulk_create(demo_members + ordinary + partners, batch_size=1000)

    stdout.write("Attribution des rôles et des compétences…\n")
    groups = {role: Group.objects.get(name=role.value) for role in DEMO_GROUPS.values()}
    memberships = [(demo[key], groups[role]) for key, role in DEMO_GROUPS.items() if key in demo]
    memberships += [(partner, groups[Role.PARTNER]) for partner in partners]
    Membership = Agent.groups.through
    Membership.objects.bulk_create([Membership(agent_id=a.pk, group_id=g.pk) for a, g in memberships])
    skills_give(everyone, units, rng=rng)
    return len(heads) + len(demo_members) + len(ordinary)


@transaction.atomic
def demo_agents_top_up(*, agents: int, stdout) -> int:
    """Add generated agents to a seeded database until it holds `agents` internal agents.
    They join the existing org chart, which is not enlarged; returns the agents added."""
    missing = agents - Agent.objects.internal().count()
    if missing <= 0:
        return 0
    rng = seeded_random(SEED + agents)
    specs = {spec.name: spec for spec in walk(ORG_CHART)}
    sites = {site.name: site for site in Site.objects.all()}
    site_names = {spec.key: spec.name for spec in SITES}
    rows = list(OrgUnit.objects.select_related("site", "parent", "head").filter(head__isnull=False))
    teams = [row for row in rows if row.kind == OrgUnit.Kind.UNITE and row.parent and row.parent.name == TOS_SERVICE]
    units = []
    for row in teams:
        spec = team_spec(row.site, tos_weight() / len(teams))
        units.append(Unit(spec, row, None, [row.site], spec.weight, head=row.head))
    for row in rows:
        if row.name in specs and row not in teams:
            spec = specs[row.name]
            unit_sites = [sites[site_names[key]] for key in spec.sites if site_names[key] in sites]
            units.append(Unit(spec, row, None, unit_sites or [row.site], spec.weight, head=row.head))
    matricules = Agent.objects.filter(matricule__regex=r"^[0-9]{6}$").values_list("matricule", flat=True)
    maker = AgentMaker(
        rng=rng,
        today=timezone.localdate(),
        taken_emails=set(Agent.objects.values_list("email", flat=True)),
        next_matricule=max(map(int, matricules), default=100000) + 1,
    )
    stdout.write(f"Ajout de {missing} agents dans l'organigramme existant…\n")
    new = []
    for unit, count in zip(units, allocate(missing, [u.weight for u in units]), strict=True):
        new += [maker.with_photo(maker.ordinary(unit)) for _ in range(count)]
    Agent.objects.bulk_create(new, batch_size=1000)
    skills_give(new, units, rng=rng)
    return len(new)


@dataclass(frozen=True)
class DemoSeedResult:
    built: bool  # False when the demo was already there
    agents_added: int
    internal_agents: int
    seconds: float


def demo_seed(*, agents: int = DEFAULT_AGENTS, stdout, top_up: bool = False) -> DemoSeedResult:
    """Seed the demo administration once. On a seeded database nothing is built, unless
    `top_up` asks for the generated agents missing to reach `agents`. Then the extensions run.

    Raises ValidationError on a database that holds other data (it only fills an empty one)."""
    started = time.monotonic()
    present = Agent.objects.filter(email__in=[account.email for account in DEMO_ACCOUNTS]).count()
    built, added = False, 0
    if present == len(DEMO_ACCOUNTS):
        if top_up:
            added = demo_agents_top_up(agents=agents, stdout=stdout)
    elif present:
        raise ValidationError(
            "Base partiellement peuplée : des comptes de démonstration manquent. "
            "Repartez d'une base vide (en local : supprimez var/db.sqlite3) pour recréer la démonstration."
        )
    elif OrgUnit.objects.exists() or Site.objects.exists():
        raise ValidationError(
            "La base contient déjà un organigramme ou des sites qui ne viennent pas de la démonstration : "
            "seed_demo ne peuple qu'une base vide."
        )
    elif agents < minimum_agents():
        raise ValidationError(
            f"Il faut au moins {minimum_agents()} agents : un responsable par unité, plus les comptes de démonstration."
        )
    else:
        added = demo_administration_build(agents=agents, stdout=stdout)
        built = True
    for extension in sorted(registry.demo_seeds.values(), key=lambda seed: seed.order):
        extension.seed(stdout=stdout)
    return DemoSeedResult(
        built=built,
        agents_added=added,
        internal_agents=Agent.objects.internal().count(),
        seconds=time.monotonic() - started,
    )
