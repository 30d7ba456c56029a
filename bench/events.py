"""Benchmark: events at the reference size — 1,000 people registering to one event, the invitation
mailing to 10,000 agents, the agenda and an event's page at 2,000 sessions — each against a
baseline measured in the same run.

What it does, and undoes:

1. prepares a throwaway database like home_load.py (whose helpers it imports): PostgreSQL
   `maison_commune_bench_events` on postgres://postgres@127.0.0.1:5432, migrated, dropped at the
   end unless --keep; a SQLite file under var/bench/ when PostgreSQL cannot be reached (it says
   so); the Celery broker is memory:// (nothing is published anywhere, no mail leaves);
2. bulk-creates --agents agents (home_load.bulk_agents; 5 % without a mailbox) and --sessions
   sessions over the next twelve months (100 events of 20 sessions, on 20 sites, some for the
   agents of their site), an organiser with the HR role;
3. registration: --registrations agents register one after the other to one session of 800
   seats (`services.registration_create`: the session's row lock, the seat or the waiting list,
   the confirmation mail with its .ics and QR code queued in the outbox after the commit);
   baseline: as many single-row INSERTs of a registration, one transaction each;
4. the invitation: `services.event_invite` to every agent (the mailing created and its audience
   frozen as one delivery row per recipient, the agents without a mailbox on paper; the sending
   itself is bench/mailing_send.py's); baseline: `bulk_create` of as many delivery rows;
5. the pages, through Django's test client, interleaved with the bare view (bench/urls.py): the
   agenda (list, « pour moi », month), an event's page of 20 sessions for an agent and for its
   organiser (attendance figures), and the event of 800 registrations for its organiser;
6. prints each figure, the SQL queries of each page and the ratio to its baseline.

Only loopback is contacted. Run it with `.venv/bin/python bench/events.py --help`.
"""

import argparse
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import home_load  # noqa: E402  (bench/home_load.py: the throwaway database)
from home_load import BENCH_VAR, say  # noqa: E402

home_load.PG_DATABASE = "maison_commune_bench_events"  # never another bench's database
SEATS = 800


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=int, default=10_000, help="agents in the database (default: 10,000)")
    parser.add_argument("--sessions", type=int, default=2_000, help="sessions in the agenda (default: 2,000)")
    parser.add_argument(
        "--registrations", type=int, default=1_000, help="people registering to one event (default: 1,000)"
    )
    parser.add_argument("--rounds", type=int, default=15, help="timed runs of every page (default: 15)")
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432",
        help="PostgreSQL server where the throwaway database is created",
    )
    parser.add_argument("--sqlite", action="store_true", help="use a SQLite file under var/bench/ instead")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    return parser.parse_args()


def load(*, sessions: int):
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.utils import timezone

    from events.models import Event, Session
    from intranet.models import Agent, Site

    every_20th = list(Agent.objects.order_by("pk").values_list("pk", flat=True))[::20]
    Agent.objects.filter(pk__in=every_20th).update(has_mailbox=False)
    organiser = Agent.objects.create_user(email="organisation@bench.local", first_name="Orga", last_name="Nisatrice")
    organiser.groups.add(Group.objects.get_or_create(name="rh")[0])
    viewer = Agent.objects.exclude(site=None).filter(has_mailbox=True).order_by("pk").first()
    sites = list(Site.objects.order_by("pk"))
    now = timezone.now()
    events = Event.objects.bulk_create(
        [
            Event(
                title=f"Réunion d'information {i}",
                kind=Event.Kind.MEETING if i % 3 else Event.Kind.WEBINAR,
                audience={"everyone": True},
                status=Event.Status.PUBLISHED,
                published_at=now,
                created_by=organiser,
            )
            for i in range(max(1, sessions // 20))
        ]
    )
    for event in events:
        event.organisers.add(organiser)
    rows = []
    for i in range(sessions):
        event = events[i % len(events)]
        start = now + timedelta(hours=6 + (i * 365 * 24) // sessions)
        site = sites[i % len(sites)]
        rows.append(
            Session(
                event=event,
                label=f"Séance {i}",
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                site=site,
                room="Salle polyvalente",
                capacity=150,
                audience_scope=Session.Scope.SITE if i % 4 == 0 else Session.Scope.EVENT,
            )
        )
    Session.objects.bulk_create(rows, batch_size=1000)
    big = Event.objects.create(
        title="Séminaire des encadrants",
        audience={"everyone": True},
        status=Event.Status.PUBLISHED,
        published_at=now,
        created_by=organiser,
    )
    big.organisers.add(organiser)
    seat = Session.objects.create(
        event=big, starts_at=now + timedelta(days=20), ends_at=now + timedelta(days=20, hours=3), capacity=SEATS
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return organiser, viewer, events[0], big, seat


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def registrations(seat, *, count: int) -> None:
    from django.db import transaction

    from events import services
    from events.models import Registration, Session
    from intranet.models import Agent, OutgoingEmail

    people = list(Agent.objects.filter(is_external=False).exclude(email="organisation@bench.local").order_by("pk"))
    takers, others = people[:count], people[count : 2 * count]
    # The baseline: single-row INSERTs of a registration, one transaction each, on another session.
    baseline_session = Session.objects.create(
        event=seat.event, starts_at=seat.starts_at, ends_at=seat.ends_at, capacity=None, label="Témoin"
    )
    times, base = [], []
    for index, agent in enumerate(takers):
        start = time.perf_counter()
        services.registration_create(session=seat, agent=agent)
        times.append(_ms(start))
        start = time.perf_counter()
        with transaction.atomic():
            Registration.objects.create(session=baseline_session, agent=others[index % len(others)], status="confirmed")
        base.append(_ms(start))
    seat.refresh_from_db()
    mails = OutgoingEmail.objects.filter(kind__in=["events.confirmed", "events.waiting"]).count()
    ratio = statistics.median(times) / statistics.median(base)
    say(
        f"Registration of {count} people to one session of {SEATS} seats: {sum(times) / 1000:.1f} s in all, "
        f"p50 {statistics.median(times):.1f} ms, p95 {percentile(times, 0.95):.1f} ms per registration "
        f"(baseline single-row INSERT: p50 {statistics.median(base):.2f} ms; ratio {ratio:.0f}×)."
    )
    say(
        f"  seats taken {seat.confirmed_count}, waiting list {seat.waiting_count}, mails queued {mails} "
        f"(with .ics and QR code); {'OK' if seat.confirmed_count == min(SEATS, count) else 'MISMATCH'}"
    )


def invitation(big, organiser) -> None:
    from events import services
    from mailing.models import Delivery, Mailing

    start = time.perf_counter()
    mailings = services.event_invite(event=big, user=organiser)  # no session of a site: one mailing
    invite = _ms(start)
    deliveries = Delivery.objects.filter(mailing__in=mailings)
    total, paper = deliveries.count(), deliveries.filter(status=Delivery.Status.PAPER).count()
    rows = list(deliveries.values_list("agent_id", "email", "name"))
    other = Mailing.objects.create(subject="Témoin", text="Témoin", audience={"everyone": True}, kind="bench")
    start = time.perf_counter()
    Delivery.objects.bulk_create(
        [Delivery(mailing=other, agent_id=a, email=e, name=n) for a, e, n in rows], batch_size=2000
    )
    baseline = _ms(start)
    say(
        f"Invitation mailing to {total} agents ({paper} on paper): {invite:.0f} ms to create and freeze it "
        f"(baseline bulk_create of {total} delivery rows: {baseline:.0f} ms; ratio {invite / baseline:.1f}×); "
        "the sending itself: bench/mailing_send.py."
    )


def pages(organiser, viewer, event, big, *, rounds: int):
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    agent_client, organiser_client = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    agent_client.force_login(viewer)
    organiser_client.force_login(organiser)
    targets = {
        "agenda (list)": (agent_client, "/evenements/", {}),
        "agenda « pour moi »": (agent_client, "/evenements/", {"audience": "pour-moi"}),
        "agenda (month)": (agent_client, "/evenements/mois/", {}),
        "event, 20 sessions (agent)": (agent_client, f"/evenements/{event.pk}/", {}),
        "event, 20 sessions (organiser)": (organiser_client, f"/evenements/{event.pk}/", {}),
        "event, 800 registered (organiser)": (organiser_client, f"/evenements/{big.pk}/", {}),
    }
    times = {name: [] for name in targets} | {"bare view": []}
    queries = {}
    for round_ in range(rounds + 1):  # round 0 warms up
        for name, (client, url, data) in targets.items():
            start = time.perf_counter()
            client.get("/bench/bare/")
            bare = _ms(start)
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get(url, data)
                elapsed = _ms(start)
            if response.status_code != 200:
                raise SystemExit(f"{url} {data} answered {response.status_code}")
            if round_:
                times[name].append(elapsed)
                times["bare view"].append(bare)
            queries[name] = len(captured)
            reset_queries()
    bare = times["bare view"]
    say("")
    say(f"{'page':<36} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'p50 / bare':>11}")
    for name, values in times.items():
        ratio = statistics.median(values) / statistics.median(bare)
        say(
            f"{name:<36} {statistics.median(values):>8.2f} {percentile(values, 0.95):>8.2f} "
            f"{queries.get(name, 0):>8} {ratio:>10.1f}×"
        )


def main() -> int:
    args = parse_args()
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    home_load.say_machine("Events")
    with home_load.throwaway_database(args, media=BENCH_VAR / "media-events", environ={"REDIS_URL": None}):
        from intranet.celery import app

        app.conf.broker_url = "memory://"  # mails and mailings are queued in the database, sent nowhere
        from events.models import Session

        started = time.monotonic()
        home_load.bulk_agents(args.agents)
        organiser, viewer, event, big, seat = load(sessions=args.sessions)
        say(
            f"Data: {args.agents} agents, {Session.objects.count()} sessions over twelve months, loaded in "
            f"{time.monotonic() - started:.1f} s."
        )
        registrations(seat, count=args.registrations)
        invitation(big, organiser)
        pages(organiser, viewer, event, big, rounds=args.rounds)
        return 0


if __name__ == "__main__":
    sys.exit(main())
