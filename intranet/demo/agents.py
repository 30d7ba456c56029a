"""The demo's agents: names, e-mails, matricules, dates, phones, photos, the partners of the
lycées, this month's arrivals and a few departures, skills."""

import random
import unicodedata
import zlib
from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.utils import timezone

from intranet.demo.accounts import DEMO_DOMAIN, DEMO_PASSWORD
from intranet.demo.avatars import avatar_jpeg
from intranet.demo.orgchart import Unit
from intranet.demo_data import AVATAR_COLOURS, FEMALE_NAMES, GENERAL_SKILLS, LAST_NAMES, MALE_NAMES, SITES, Job
from intranet.models import Agent, Site, Skill

NEW_ARRIVALS = 12


def _ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join("".join(c if c.isalnum() else " " for c in plain).split())


class AgentMaker:
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
        unit: Unit | None,
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

    def ordinary(self, unit: Unit) -> Agent:
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


def partner_make(
    maker: AgentMaker, lycee: Site, first_name: str, last_name: str, female: bool, title: str, email: str | None = None
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


def arrivals_and_departures_mark(agents: list[Agent], *, rng: random.Random, today: date) -> None:
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


def skills_give(agents: list[Agent], units: list[Unit], *, rng: random.Random) -> None:
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
