"""Benchmark: the search-as-you-type pickers at the reference size, against the bare view.

What it does, and undoes:

1. prepares a throwaway database like home_load.py (whose helpers it imports): PostgreSQL
   `maison_commune_bench_pickers` on postgres://postgres@127.0.0.1:5432, migrated, dropped at
   the end unless --keep; a SQLite file under var/bench/ when PostgreSQL cannot be reached;
2. loads `manage.py seed_demo --agents 10000`, makes 300 of the agents buddy volunteers, and runs
   ANALYZE;
3. times, through Django's test client in this process (the server's time: routing, session,
   the view, its queries, the template or the JSON), as HR:
   - the pages that hold pickers: the job-shadowing absence form (two agent pickers: 2.8 s
     when they listed every agent), the onboarding arrival form (three), the buddy volunteers;
   - each picker's search (/choix/<key>/?q=…) with queries drawn from the data: two and three
     letters, last names, « first last », a typo, units by name and acronym, skills;
4. times the bare Django view (bench/urls.py) through the same client, interleaved;
5. prints p50/p95/max of each and the ratios to the bare view; the target is p95 < 100 ms.

Only loopback is contacted. Run it with `.venv/bin/python bench/pickers.py --help`.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import home_load  # noqa: E402  (bench/home_load.py: the throwaway database and the seeding)
from home_load import BENCH_VAR, say  # noqa: E402

home_load.PG_DATABASE = "maison_commune_bench_pickers"  # never another bench's database
TARGET_P95_MS = 100.0
VOLUNTEERS = 300


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=int, default=10_000, help="agents in the database (default: 10,000)")
    parser.add_argument("--rounds", type=int, default=5, help="timed runs of every request (default: 5)")
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432",
        help="PostgreSQL server where the throwaway database is created",
    )
    parser.add_argument("--sqlite", action="store_true", help="use a SQLite file under var/bench/ instead")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    return parser.parse_args()


def add_volunteers() -> None:
    from intranet.models import Agent
    from onboarding.models import BuddyVolunteer

    agents = Agent.objects.active().internal().filter(buddy_volunteer__isnull=True).order_by("pk")
    BuddyVolunteer.objects.bulk_create(
        [BuddyVolunteer(agent=agent, capacity=2) for agent in agents[: VOLUNTEERS * 10 : 10]], ignore_conflicts=True
    )


def build_requests() -> list[tuple[str, str, dict]]:
    """(label, path, query string) of every timed request, drawn from the data."""
    from django.urls import reverse

    from intranet.directory.search import normalise
    from intranet.models import Agent, OrgUnit, Skill
    from onboarding.models import BuddyVolunteer

    rng = random.Random(2026)  # noqa: S311 (not cryptography)
    names = list(Agent.objects.active().internal().order_by("pk").values_list("first_name", "last_name"))
    sample = [(normalise(first), normalise(last)) for first, last in rng.sample(names, 30) if " " not in last]
    requests = [
        ("page: absence form (2 agent pickers)", reverse("shadowing:absence"), {}),
        ("page: arrival form (3 agent pickers)", reverse("onboarding:arrival-create"), {}),
        ("page: buddy volunteers (1 picker)", reverse("onboarding:volunteer-list"), {}),
    ]
    agents = reverse("intranet:picker-agents")
    requests += [(f"agents: 2 letters {last[:2]!r}", agents, {"q": last[:2]}) for _, last in sample[:4]]
    requests += [(f"agents: 3 letters {last[:3]!r}", agents, {"q": last[:3]}) for _, last in sample[4:8]]
    requests += [(f"agents: last name {last!r}", agents, {"q": last}) for _, last in sample[8:14]]
    requests += [
        (f"agents: first last {first} {last}", agents, {"q": f"{first} {last}"}) for first, last in sample[14:17]
    ]
    requests += [(f"agents: typo {last[:-1] + 'x'!r}", agents, {"q": last[:-1] + "x"}) for _, last in sample[17:19]]
    volunteer = BuddyVolunteer.objects.select_related("agent").order_by("pk").first()
    if volunteer:
        last = normalise(volunteer.agent.last_name)
        requests += [("buddies: 2 letters", reverse("intranet:picker-parrains"), {"q": last[:2]})]
        requests += [("buddies: last name", reverse("intranet:picker-parrains"), {"q": last})]
    units = list(OrgUnit.objects.exclude(short_name="").values_list("short_name", flat=True)[:2])
    requests += [
        (f"units: {q!r}", reverse("intranet:picker-services"), {"q": q}) for q in ["ressources", "lycee", "co", *units]
    ]
    skills = list(Skill.objects.order_by("name").values_list("name", flat=True)[:2])
    requests += [(f"skills: {q!r}", reverse("intranet:picker-competences"), {"q": q}) for q in ["ge", *skills]]
    return requests


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(requests, *, rounds: int) -> dict:
    from django.db import reset_queries
    from django.test import Client

    from intranet.models import Agent

    hr = Agent.objects.filter(email="rh@demo.local").first() or Agent.objects.filter(groups__name="rh").first()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(hr)
    times: dict[str, list[float]] = {"bare view": []}
    results: dict[str, int] = {}
    for label, path, query in requests:  # warm-up
        response = client.get(path, query)
        if response.status_code != 200:
            raise SystemExit(f"{path}?{query} answered {response.status_code}")
        if "/choix/" in path:
            results[label] = len(response.json()["results"])
        client.get("/bench/bare/")
    for _ in range(rounds):
        for label, path, query in requests:
            start = time.perf_counter()
            client.get("/bench/bare/")
            times["bare view"].append(_ms(start))
            start = time.perf_counter()
            client.get(path, query)
            times.setdefault(label, []).append(_ms(start))
            reset_queries()
    return {"times": times, "results": results}


def report(requests, measured) -> bool:
    times, results = measured["times"], measured["results"]
    bare = statistics.median(times["bare view"])
    say("")
    say(f"{'what':<52} {'found':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'p50/bare':>9}")
    worst = 0.0
    for label, _path, _query in [("bare view", "", {}), *requests]:
        values = times[label]
        p95 = percentile(values, 0.95)
        if label != "bare view":
            worst = max(worst, p95)
        found = str(results.get(label, ""))
        say(
            f"{label[:52]:<52} {found:>5} {statistics.median(values):>8.2f} {p95:>8.2f} {max(values):>8.2f}"
            f" {statistics.median(values) / bare:>9.1f}"
        )
    verdict = "met" if worst < TARGET_P95_MS else "MISSED"
    say(
        f"\nTarget: every picker page and search p95 < {TARGET_P95_MS:.0f} ms on the server — {verdict} "
        f"(worst p95 {worst:.2f} ms)."
    )
    return worst < TARGET_P95_MS


def main() -> int:
    args = parse_args()
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    home_load.say_machine("Pickers")
    media = BENCH_VAR / "media-pickers"
    with home_load.throwaway_database(args, media=media, media_said="the seeded photos") as (_, env):
        from django.db import connection

        from intranet.models import Agent, OrgUnit

        home_load.seed(agents=args.agents, env=env)
        add_volunteers()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        requests = build_requests()
        say(
            f"Data: {Agent.objects.count()} agents, {OrgUnit.objects.count()} org units, {VOLUNTEERS} volunteers; "
            f"{len(requests)} requests, {args.rounds} timed rounds each, interleaved with the bare view."
        )
        report(requests, measure(requests, rounds=args.rounds))
        return 0  # measured; whether the target is met is printed, not an error


if __name__ == "__main__":
    sys.exit(main())
