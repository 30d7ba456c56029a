"""Demo data: a believable administration for `make run`, the demos and the benchmarks.

`demo_seed(agents=1350)` builds a région-like administration: sites (the Hôtel de Région,
antennes, a centre technique, a crèche and lycées in Lorraine and Alsace), an org chart
(Direction générale des services > pôles > directions > services, plus one team of TOS
agents per lycée), agents with French names, generated avatar photos, skills, and one
demo account per role. Everybody's password is `maison-commune`.

It is deterministic (a seeded `random.Random`; only the dates follow today) and
idempotent: when the demo accounts exist it builds nothing. Other apps add their own demo
data with a `DemoSeed` of the registry; it runs on every call and must therefore be
idempotent and fast when its data already exists.
"""

import io
import random
import time
import unicodedata
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from intranet.demo_data import (
    AVATAR_COLOURS,
    COMPTABILITE,
    DEMO_AGENTS,
    DEMO_GROUPS,
    FEMALE_NAMES,
    GENERAL_SKILLS,
    LAST_NAMES,
    LYCEE_PATRONS,
    LYCEE_TOWNS,
    LYCEES,
    MALE_NAMES,
    ORG_CHART,
    SITES,
    TECH,
    TOS_JOBS,
    TOS_MISSIONS,
    TOS_SERVICE,
    TOS_SKILLS,
    TOS_SUB_TEAMS,
    Job,
    UnitSpec,
)
from intranet.models import Agent, OrgUnit, Site, Skill
from intranet.registry import registry
from intranet.roles import LABELS, Role

DEMO_PASSWORD = "maison-commune"  # noqa: S105 (a public demo password, printed by `make run`)
DEMO_DOMAIN = "demo.local"
DEFAULT_AGENTS = 1350
SEED = 1350

# Share of the generated agents who work in the lycées (seed 000: 1,350 TOS agents).
TOS_SHARE = 0.74
# Beyond the default size the org chart grows to the reference size's proportion (DESIGN.md:
# 10,000 agents in 500 units): the lycée teams split into sub-teams (TOS_SUB_TEAMS).
AGENTS_PER_UNIT = 20
NEW_ARRIVALS = 12
AVATAR_SIZE = 256


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: Role
    note: str = ""

    @property
    def label(self) -> str:
        label = str(LABELS[self.role])
        return f"{label} ({self.note})" if self.note else label


DEMO_ACCOUNTS = (
    DemoAccount(f"agent@{DEMO_DOMAIN}", Role.AGENT, "service Comptabilité"),
    DemoAccount(f"manager@{DEMO_DOMAIN}", Role.MANAGER, f"responsable d'agent@{DEMO_DOMAIN}"),
    DemoAccount(f"rh@{DEMO_DOMAIN}", Role.HR),
    DemoAccount(f"communication@{DEMO_DOMAIN}", Role.COMMUNICATION),
    DemoAccount(f"copil@{DEMO_DOMAIN}", Role.COPIL),
    DemoAccount(f"pilote@{DEMO_DOMAIN}", Role.PILOT),
    DemoAccount(f"partenaire@{DEMO_DOMAIN}", Role.PARTNER, "proviseur du lycée Jean Zay"),
    DemoAccount(f"admin@{DEMO_DOMAIN}", Role.ADMIN),
)


# --- Building -----------------------------------------------------------------------------


@dataclass
class _Unit:
    """A unit being built: its spec, its row, and where its agents work."""

    spec: UnitSpec
    row: OrgUnit
    parent: "_Unit | None"
    sites: list[Site]
    weight: float
    head: Agent | None = None
    children: list["_Unit"] = field(default_factory=list)


def _rng(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311 (reproducible demo data, not a secret)


def _ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join("".join(c if c.isalnum() else " " for c in plain).split())


@cache
def _avatar_font():
    return ImageFont.load_default(size=AVATAR_SIZE * 2 // 5)


@cache  # the colour follows the initials: a few hundred images serve thousands of agents
def avatar_jpeg(*, initials: str, colour: str) -> bytes:
    """A square of `colour` with white initials, as a small JPEG. Pillow's built-in font
    has no accented capitals: "Élodie Étienne" is drawn "EE"."""
    letters = unicodedata.normalize("NFKD", initials).encode("ascii", "ignore").decode() or "?"
    image = Image.new("RGB", (AVATAR_SIZE, AVATAR_SIZE), colour)
    ImageDraw.Draw(image).text(
        (AVATAR_SIZE / 2, AVATAR_SIZE / 2), letters, fill="white", font=_avatar_font(), anchor="mm"
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82)
    return buffer.getvalue()


class _AgentMaker:
    """Makes unsaved agents: unique e-mails and matricules, dates, phones, photos."""

    def __init__(self, *, rng: random.Random, today: date, taken_emails: set[str], next_matricule: int):
        self.rng = rng
        self.today = today
        self.taken = taken_emails
        self.next_matricule = next_matricule
        self.password = make_password(DEMO_PASSWORD)  # hashed once: every account shares it
        self.areas = {spec.name: spec.area for spec in SITES}
        self.made_dirs: set[Path] = set()

    def email_for(self, first_name: str, last_name: str) -> str:
        local = f"{_ascii_slug(first_name)}.{_ascii_slug(last_name)}"
        email, n = f"{local}@{DEMO_DOMAIN}", 1
        while email in self.taken:
            n += 1
            email = f"{local}{n}@{DEMO_DOMAIN}"
        self.taken.add(email)
        return email

    def phone(self, site: Site | None) -> str:
        """A fake number in the site's area ("03 83 …" in Nancy)."""
        area = (self.areas.get(site.name) or site.phone[:5]) if site else ""
        return " ".join([area or "03 83", *(f"{self.rng.randint(10, 99)}" for _ in range(3))])

    def mobile(self) -> str:
        return " ".join([f"0{self.rng.choice('67')}", *(f"{self.rng.randint(10, 99)}" for _ in range(4))])

    def name(self) -> tuple[str, str, bool]:
        female = self.rng.random() < 0.56
        return self.rng.choice(FEMALE_NAMES if female else MALE_NAMES), self.rng.choice(LAST_NAMES), female

    def arrival(self, *, senior: bool = False) -> date:
        """Over the past 30 years, more of them recent; never in the last two months, which
        belong to the dozen planned new arrivals."""
        years = 30 * self.rng.random() ** (0.8 if senior else 1.4)
        return self.today - timedelta(days=max(60, int(years * 365.25)))

    def make(
        self,
        *,
        first_name: str,
        last_name: str,
        female: bool,
        unit: _Unit | None,
        site: Site | None,
        job: Job,
        email: str | None = None,
        **fields,
    ) -> Agent:
        rng = self.rng
        agent = Agent(
            email=email or self.email_for(first_name, last_name),
            first_name=first_name,
            last_name=last_name,
            password=self.password,
            job_title=job.title_for(female),
            category=job.category,
            filiere=job.filiere,
            org_unit=unit.row if unit else None,
            site=site,
            phone=self.phone(site),
            arrival_date=self.arrival(),
            status=Agent.Status.TITULAIRE,
            show_phone=rng.random() < 0.97,
            show_photo=rng.random() < 0.95,
        )
        if not fields.get("is_external"):
            agent.matricule = f"{self.next_matricule:06d}"
            self.next_matricule += 1
        if rng.random() < 0.25:
            agent.mobile = self.mobile()
            agent.show_mobile = rng.random() < 0.15
        if rng.random() < 0.55:
            agent.details_confirmed_at = timezone.now() - timedelta(
                days=rng.randint(0, 700), minutes=rng.randint(0, 600)
            )
        if unit and unit.spec.missions and rng.random() < 0.3:
            agent.missions = "\n".join(
                rng.sample(unit.spec.missions, k=min(len(unit.spec.missions), rng.randint(2, 3)))
            )
        for name, value in fields.items():
            setattr(agent, name, value)
        return agent

    def ordinary(self, unit: _Unit) -> Agent:
        """An agent of `unit` with a job of the unit, managed by its head."""
        rng = self.rng
        first_name, last_name, female = self.name()
        job = rng.choices(unit.spec.jobs, weights=[j.weight for j in unit.spec.jobs])[0]
        agent = self.make(
            first_name=first_name,
            last_name=last_name,
            female=female,
            unit=unit,
            site=rng.choice(unit.sites),
            job=job,
            manager=unit.head,
        )
        roll = rng.random()
        if roll < 0.04:
            agent.status = Agent.Status.STAGIAIRE
            agent.arrival_date = self.today - timedelta(days=rng.randint(60, 360))
        elif roll < 0.05 and job.category != "C":
            agent.status, agent.category = Agent.Status.APPRENTI, ""
            agent.job_title = f"{'Apprentie' if female else 'Apprenti'} – {unit.row.name}"
            agent.arrival_date = self.today - timedelta(days=rng.randint(60, 700))
        elif roll < 0.20:
            agent.status = Agent.Status.CONTRACTUEL
            agent.arrival_date = self.today - timedelta(days=rng.randint(60, 8 * 365))
        if agent.details_confirmed_at and agent.details_confirmed_at.date() < agent.arrival_date:
            agent.details_confirmed_at = None  # nobody confirms their details before arriving
        return agent

    def with_photo(self, agent: Agent) -> Agent:
        """Give `agent` an avatar with their initials, stored under the field's upload_to."""
        colour = AVATAR_COLOURS[zlib.crc32(agent.initials.encode()) % len(AVATAR_COLOURS)]
        data = avatar_jpeg(initials=agent.initials, colour=colour)
        field = agent.photo.field
        name = field.generate_filename(agent, f"demo-{agent.matricule or _ascii_slug(agent.email)}.jpg")
        try:
            path = Path(field.storage.path(name))
        except NotImplementedError:  # a remote storage: its own API, slower
            agent.photo.save(name.rpartition("/")[2], ContentFile(data), save=False)
            return agent
        # On the local disk, a plain write is ten times faster than Storage.save (which
        # locks and renames): these demo files are ours, named after the matricule.
        if path.parent not in self.made_dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.made_dirs.add(path.parent)
        path.write_bytes(data)
        agent.photo = name
        return agent


def _allocate(total: int, weights: list[float]) -> list[int]:
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


def _lycee_count(agents: int) -> int:
    return max(3, round(agents * len(LYCEES) / DEFAULT_AGENTS))


def _lycee_rows(count: int) -> list[tuple[str, str, str, str, str]]:
    rows = list(LYCEES[:count])
    names = {row[0] for row in rows}
    rng = _rng(SEED + 1)
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


def _team_spec(lycee: Site, weight: float, sub_teams: int = 0) -> UnitSpec:
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
    base = sum(1 for _ in _walk(ORG_CHART)) + lycees
    extra = min(max(0, round(agents / AGENTS_PER_UNIT) - base), lycees * len(TOS_SUB_TEAMS))
    return [extra // lycees + (1 if i < extra % lycees else 0) for i in range(lycees)]


def _walk(spec: UnitSpec) -> Iterable[UnitSpec]:
    yield spec
    for child in spec.children:
        yield from _walk(child)


def _tos_weight() -> float:
    """The lycée teams' total weight, so that they hold TOS_SHARE of the generated agents."""
    return sum(spec.weight for spec in _walk(ORG_CHART)) * TOS_SHARE / (1 - TOS_SHARE)


def _minimum_agents() -> int:
    """One head per unit, plus the demo accounts who head nothing."""
    return sum(1 for _ in _walk(ORG_CHART)) + _lycee_count(0) + len(DEMO_AGENTS) - 1


def _create_sites(lycees) -> dict[str, Site]:
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
        _team_spec(lycee, _tos_weight() * size / sum(sizes), sub_teams)
        for lycee, size, sub_teams in zip(lycees, sizes, subs, strict=True)
    ]


def demo_unit_count(*, agents: int) -> int:
    """How many units the demo's org chart has for `agents` agents (without building it)."""
    return sum(1 for _ in _walk(ORG_CHART)) + sum(
        1 + subs for subs in _sub_team_counts(agents=agents, lycees=_lycee_count(agents))
    )


def _create_units(*, sites: dict[str, Site], lycees: list[Site], agents: int, rng: random.Random) -> list[_Unit]:
    """The org chart, saved level by level (a unit's parent needs its primary key first)."""
    flat: list[_Unit] = []
    teams = _team_specs(lycees=lycees, agents=agents, rng=rng)

    def plan(spec: UnitSpec, parent: _Unit | None) -> _Unit:
        unit_sites = [sites[key] for key in spec.sites]
        row = OrgUnit(name=spec.name, short_name=spec.short_name, kind=spec.kind, site=unit_sites[0])
        unit = _Unit(spec, row, parent, unit_sites, spec.weight)
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


@transaction.atomic
def demo_administration_build(*, agents: int, stdout) -> int:
    """Build the whole administration on an empty database; returns the agents created."""
    rng = _rng(SEED)
    today = timezone.localdate()
    lycee_rows = _lycee_rows(_lycee_count(agents))
    stdout.write(f"Création de {len(SITES) + len(lycee_rows)} sites, dont {len(lycee_rows)} lycées…\n")
    sites = _create_sites(lycee_rows)
    lycees = [sites[row[0]] for row in lycee_rows]
    units = _create_units(sites=sites, lycees=lycees, agents=agents, rng=rng)
    by_name = {unit.row.name: unit for unit in units}
    stdout.write(
        f"Création de l'organigramme : {len(units)} unités (pôles, directions, services, équipes des lycées)…\n"
    )

    maker = _AgentMaker(
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
        units, _allocate(agents - len(heads) - len(demo_members), [u.weight for u in units]), strict=True
    ):
        ordinary += [maker.ordinary(unit) for _ in range(count)]
    _mark_arrivals_and_departures(ordinary, rng=rng, today=today)

    partners = [
        _partner(
            maker, lycees[0], "Philippe", "Garnier", False, "Proviseur|Proviseure", email=f"partenaire@{DEMO_DOMAIN}"
        )
    ]
    partners += [_partner(maker, lycee, *maker.name(), "Proviseur|Proviseure") for lycee in lycees[1:]]
    partners += [_partner(maker, lycee, *maker.name(), "Intendant|Intendante") for lycee in lycees]

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
    _give_skills(everyone, units, rng=rng)
    return len(heads) + len(demo_members) + len(ordinary)


def _partner(
    maker: _AgentMaker, lycee: Site, first_name: str, last_name: str, female: bool, title: str, email: str | None = None
) -> Agent:
    """A lycée's proviseur or intendant: an external partner, in no unit of ours."""
    return maker.make(
        first_name=first_name,
        last_name=last_name,
        female=female,
        unit=None,
        site=None,
        job=Job(title, ""),
        email=email,
        is_external=True,
        organisation=lycee.name,
        filiere="",
        status="",
        phone=maker.phone(lycee),
        arrival_date=None,
    )


def _mark_arrivals_and_departures(agents: list[Agent], *, rng: random.Random, today: date) -> None:
    """A dozen arrivals this month (the "new arrivals" page), and a few departures."""
    if not agents:
        return
    arrival_count = min(NEW_ARRIVALS, max(1, len(agents) // 5))
    picked = rng.sample(agents, k=min(len(agents), arrival_count + len(agents) // 50))
    first_of_month = today.replace(day=1)
    arrivals = picked[:arrival_count]
    for agent in arrivals:
        agent.arrival_date = first_of_month + timedelta(days=rng.randint(0, (today - first_of_month).days))
        agent.details_confirmed_at = None
        agent.missions = ""
        if agent.status == Agent.Status.TITULAIRE:
            agent.status = rng.choice([Agent.Status.STAGIAIRE, Agent.Status.CONTRACTUEL, Agent.Status.TITULAIRE])
    for i, agent in enumerate(picked[len(arrivals) :]):
        if i % 3 == 2:  # leaving soon: still active
            agent.departure_date = today + timedelta(days=rng.randint(7, 90))
        else:  # gone: the account is closed, waiting for the anonymisation
            agent.departure_date = today - timedelta(days=rng.randint(10, 540))
            agent.is_active = False
        if agent.arrival_date >= agent.departure_date:
            agent.arrival_date = agent.departure_date - timedelta(days=rng.randint(200, 5000))


def _give_skills(agents: list[Agent], units: list[_Unit], *, rng: random.Random) -> None:
    names = sorted({name for unit in units for name in unit.spec.skills} | set(GENERAL_SKILLS))
    Skill.objects.bulk_create([Skill(name=name) for name in names], ignore_conflicts=True)
    skills = dict(Skill.objects.filter(name__in=names).values_list("name", "pk"))
    spec_of = {unit.row.pk: unit.spec for unit in units}
    Through = Agent.skills.through
    rows = []
    for agent in agents:
        if agent.is_external or rng.random() > 0.4:
            continue
        spec = spec_of.get(agent.org_unit_id)
        pool = list(spec.skills if spec else ()) * 3 + list(GENERAL_SKILLS)
        for name in set(rng.sample(pool, k=min(len(pool), rng.randint(1, 3)))):
            rows.append(Through(agent_id=agent.pk, skill_id=skills[name]))
    Through.objects.bulk_create(rows, batch_size=2000)


@transaction.atomic
def demo_agents_top_up(*, agents: int, stdout) -> int:
    """Add generated agents to a seeded database until it holds `agents` internal agents.
    They join the existing org chart, which is not enlarged; returns the agents added."""
    missing = agents - Agent.objects.internal().count()
    if missing <= 0:
        return 0
    rng = _rng(SEED + agents)
    specs = {spec.name: spec for spec in _walk(ORG_CHART)}
    sites = {site.name: site for site in Site.objects.all()}
    site_names = {spec.key: spec.name for spec in SITES}
    rows = list(OrgUnit.objects.select_related("site", "parent", "head").filter(head__isnull=False))
    teams = [row for row in rows if row.kind == OrgUnit.Kind.UNITE and row.parent and row.parent.name == TOS_SERVICE]
    units = []
    for row in teams:
        spec = _team_spec(row.site, _tos_weight() / len(teams))
        units.append(_Unit(spec, row, None, [row.site], spec.weight, head=row.head))
    for row in rows:
        if row.name in specs and row not in teams:
            spec = specs[row.name]
            unit_sites = [sites[site_names[key]] for key in spec.sites if site_names[key] in sites]
            units.append(_Unit(spec, row, None, unit_sites or [row.site], spec.weight, head=row.head))
    matricules = Agent.objects.filter(matricule__regex=r"^[0-9]{6}$").values_list("matricule", flat=True)
    maker = _AgentMaker(
        rng=rng,
        today=timezone.localdate(),
        taken_emails=set(Agent.objects.values_list("email", flat=True)),
        next_matricule=max(map(int, matricules), default=100000) + 1,
    )
    stdout.write(f"Ajout de {missing} agents dans l'organigramme existant…\n")
    new = []
    for unit, count in zip(units, _allocate(missing, [u.weight for u in units]), strict=True):
        new += [maker.with_photo(maker.ordinary(unit)) for _ in range(count)]
    Agent.objects.bulk_create(new, batch_size=1000)
    _give_skills(new, units, rng=rng)
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
    elif agents < _minimum_agents():
        raise ValidationError(
            f"Il faut au moins {_minimum_agents()} agents : un responsable par unité, "
            "plus les comptes de démonstration."
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
