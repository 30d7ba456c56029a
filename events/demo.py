"""Demo events (seed_demo extension): idempotent, deterministic, bulk-inserted, nothing mailed.

- Seed 000: the 15 information meetings of the TOS agents, one per lycée for the agents of its site,
  held over the last four months, with their attendance: 90 % of the agents invited came (measured
  from the check-ins), and the satisfaction questionnaire of the surveys demo attached, one survey
  session per meeting.
- Seed 002: a series of webinars for managers (one held, three to come), registration open.
- Seed 000: a seminar for the lycées' principals and intendants (external partners), to come.
- The two integration days are onboarding's (onboarding/demo.py), events of this app.
- A training on the intranet for every agent, invitations sent: agent@ finds it in « À faire ».
"""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from events.models import Event, Registration, Session
from intranet.audiences import AudienceSpec, audience_agents
from intranet.models import Agent, Site

SEED = 16
MEETINGS_TITLE = "Réunions d'information des personnels TOS"
PARTICIPATION = 0.90  # seed 000: « 90 % de participation »
REGISTERED = 0.95  # of the agents invited, registered


def _account(email: str) -> Agent | None:
    return Agent.objects.filter(email=email).first()


def _at(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def _event(*, title, kind, audience: AudienceSpec, author, summary="", description="", single_session=True) -> Event:
    event = Event.objects.create(
        title=title,
        kind=kind,
        summary=summary,
        description=description,
        audience=audience.to_json(),
        single_session=single_session,
        status=Event.Status.PUBLISHED,
        created_by=author,
        published_at=timezone.now() - timedelta(days=150),
    )
    if author is not None:
        event.organisers.add(author)
    return event


def _register(session: Session, agents, *, present=(), at=None) -> None:
    """Confirmed registrations (the counters as the services keep them), some checked in."""
    present = set(present)
    at = at or session.starts_at - timedelta(days=10)
    rows = [
        Registration(
            session=session,
            agent_id=agent.pk,
            status=Registration.Status.CONFIRMED,
            registered_at=at,
            checked_in_at=session.starts_at + timedelta(minutes=5) if agent.pk in present else None,
        )
        for agent in agents
    ]
    Registration.objects.bulk_create(rows, batch_size=1000)
    Session.objects.filter(pk=session.pk).update(
        confirmed_count=len(rows), checked_in_count=sum(1 for row in rows if row.checked_in_at)
    )


def _meetings(*, rng: random.Random, author, today) -> Event:
    """The 15 meetings, dated as the surveys demo's sessions of the same questionnaire."""
    from surveys.demo import MEETINGS_TITLE as SURVEY_TITLE
    from surveys.models import Survey

    lycees = list(Site.objects.filter(kind=Site.Kind.LYCEE).order_by("name")[:15])
    event = _event(
        title=MEETINGS_TITLE,
        kind=Event.Kind.MEETING,
        audience=AudienceSpec(sites=tuple(site.pk for site in lycees)) if lycees else AudienceSpec(everyone=True),
        author=author,
        summary="Le point sur les carrières, l'action sociale et les concours, au plus près des lycées.",
        description="Une réunion par lycée, pour les agents qui y travaillent.\n\nAu programme : les carrières "
        "et l'avancement, l'action sociale, les concours et examens professionnels, vos questions.",
    )
    survey = Survey.objects.filter(title=SURVEY_TITLE).first()
    survey_sessions = list(survey.sessions.order_by("order")) if survey else []
    if survey is not None:
        Event.objects.filter(pk=event.pk).update(survey=survey)
    invited = present_total = 0
    for number in range(15):
        day = today - timedelta(days=118 - 7 * number)
        site = lycees[number % len(lycees)] if lycees else None
        session = Session.objects.create(
            event=event,
            label=f"Réunion n° {number + 1}" + (f" — {site.name}" if site else ""),
            starts_at=_at(day, 14),
            ends_at=_at(day, 16),
            site=site,
            room="Salle polyvalente",
            capacity=150,
            audience_scope=Session.Scope.SITE if site else Session.Scope.EVENT,
            survey_session=survey_sessions[number] if number < len(survey_sessions) else None,
            survey_sent_at=_at(day, 18) if survey_sessions else None,
            reminded_at=_at(day - timedelta(days=1), 8),
        )
        agents = list(audience_agents(spec=session.audience_spec).only("pk"))
        invited += len(agents)
        rng.shuffle(agents)
        registered = agents[: round(len(agents) * REGISTERED)]
        # Present: 90 % of the agents invited over the series (95 % registered, a few did not come).
        count = min(len(registered), round(invited * PARTICIPATION) - present_total)
        present_total += count
        _register(session, registered, present=[agent.pk for agent in registered[:count]])
    Event.objects.filter(pk=event.pk).update(invited_at=timezone.now() - timedelta(days=140))
    return event


def _webinars(*, author, today) -> Event:
    event = _event(
        title="Les webinaires des encadrants",
        kind=Event.Kind.WEBINAR,
        audience=AudienceSpec(roles=("manager",)),
        author=author,
        single_session=False,
        summary="Une heure pour partager outils et pratiques entre encadrants, en visioconférence.",
        description="Un cycle de webinaires : chaque séance traite un sujet, on s'inscrit à celles qui "
        "intéressent. L'enregistrement et le support sont partagés ensuite avec les inscrits.",
    )
    topics = [
        (-21, "Conduire l'entretien professionnel"),
        (9, "Accueillir un nouvel agent"),
        (23, "Prévenir les risques psychosociaux"),
        (37, "Piloter un projet de service"),
    ]
    managers = list(
        Agent.objects.active().internal().filter(Q(headed_units__isnull=False) | Q(reports__isnull=False)).distinct()
    )
    manager = _account("manager@demo.local")
    for offset, topic in topics:
        day = today + timedelta(days=offset)
        session = Session.objects.create(
            event=event,
            label=topic,
            starts_at=_at(day, 12, 30),
            ends_at=_at(day, 13, 30),
            video_url="https://visio.demo.local/webinaire-encadrants",
            capacity=100,
        )
        if offset < 0:
            _register(session, managers[:60], present=[agent.pk for agent in managers[:52]])
        elif offset == 9:
            _register(session, [m for m in managers[:30] if m != manager])
    return event


def _seminar(*, author, today) -> Event:
    event = _event(
        title="Séminaire des proviseurs et des intendants",
        kind=Event.Kind.SEMINAR,
        audience=AudienceSpec(partners=True),
        author=author,
        summary="Une demi-journée d'échanges entre la collectivité et les équipes de direction des lycées.",
        description="Au programme : l'organisation des équipes TOS, les travaux de l'été, les outils partagés "
        "(extranet, lettre « Bienvenue »), un temps de questions.",
    )
    siege = Site.objects.filter(kind=Site.Kind.SIEGE).order_by("name").first()
    day = today + timedelta(days=30)
    session = Session.objects.create(
        event=event,
        starts_at=_at(day, 9),
        ends_at=_at(day, 12, 30),
        site=siege,
        room="Hémicycle",
        capacity=40,
        registration_closes_at=_at(day - timedelta(days=7), 18),
    )
    partners = list(Agent.objects.active().filter(is_external=True).exclude(email="partenaire@demo.local")[:12])
    _register(session, partners)
    Event.objects.filter(pk=event.pk).update(invited_at=timezone.now() - timedelta(days=5))
    return event


def _training(*, author, today) -> Event:
    event = _event(
        title="Prise en main de l'intranet Maison commune",
        kind=Event.Kind.TRAINING,
        audience=AudienceSpec(everyone=True),
        author=author,
        summary="Une heure pour trouver un collègue, suivre le projet d'administration et s'inscrire aux événements.",
    )
    siege = Site.objects.filter(kind=Site.Kind.SIEGE).order_by("name").first()
    for offset in (6, 13, 20):
        day = today + timedelta(days=offset)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        session = Session.objects.create(
            event=event,
            starts_at=_at(day, 10),
            ends_at=_at(day, 11),
            site=siege,
            room="Salle de formation 2",
            capacity=12,
        )
        if offset == 6:
            others = Agent.objects.active().internal().exclude(email__endswith="@demo.local").order_by("pk")[:12]
            _register(session, others)
    Event.objects.filter(pk=event.pk).update(invited_at=timezone.now() - timedelta(days=2))
    return event


def demo_seed(*, stdout) -> None:
    if Event.objects.filter(title=MEETINGS_TITLE).exists():
        return
    if not Agent.objects.exists():
        return
    rng = random.Random(SEED)  # noqa: S311 (demo data)
    today = timezone.localdate()
    communication, hr = _account("communication@demo.local"), _account("rh@demo.local")
    with transaction.atomic():
        meetings = _meetings(rng=rng, author=communication or hr, today=today)
        _webinars(author=hr, today=today)
        _seminar(author=communication or hr, today=today)
        _training(author=communication or hr, today=today)
    from events.selectors import event_attendance

    figures = event_attendance(event=meetings, sessions=list(meetings.sessions.all()))
    stdout.write(
        f"Événements : 4 événements de démonstration ; les 15 réunions d'information ont compté "
        f"{figures.total.present} présents sur {figures.invited} invités ({figures.participation} % de "
        "participation, d'après les émargements).\n"
    )
