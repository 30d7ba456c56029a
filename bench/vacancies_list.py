"""Benchmark: the vacancies board's list page with its filters, against a bare Django view in
the same process.

What it does, and undoes:

1. prepares a throwaway database like home_load.py (whose helpers it imports): PostgreSQL
   `maison_commune_bench_vacancies` on postgres://postgres@127.0.0.1:5432, migrated, dropped
   at the end unless --keep; a SQLite file under var/bench/ when PostgreSQL cannot be
   reached (it says so);
2. bulk-creates an org chart of 500 units (10 pôles > 5 directions > 10 services), 50 sites
   and --vacancies vacancies (default 5,000: 40 % open, the rest closed or past their
   deadline — far more than a real board, to see the filters' cost), and the viewer's 100
   expressions of interest;
3. times, through Django's test client, the list page unfiltered, with words (accents
   ignored), with a pôle (its whole subtree), with a site and a category, and a later page;
   interleaved with the bare view (bench/urls.py) through the same client;
4. prints p50/p95 of each, the number of SQL queries of each page, and the ratio to the
   bare view.

Only loopback is contacted. Run it with `.venv/bin/python bench/vacancies_list.py --help`.
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

home_load.PG_DATABASE = "maison_commune_bench_vacancies"  # never another bench's database
WORDS = ("agent technique", "gestionnaire paie", "puericulture", "reseaux informatiques", "cuisinier lycee")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vacancies", type=int, default=5_000, help="vacancies in the database (default: 5,000)")
    parser.add_argument("--rounds", type=int, default=20, help="timed runs of every page (default: 20)")
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432",
        help="PostgreSQL server where the throwaway database is created",
    )
    parser.add_argument("--sqlite", action="store_true", help="use a SQLite file under var/bench/ instead")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    return parser.parse_args()


def load(count: int):
    from django.db import connection
    from django.utils import timezone

    from intranet.models import Agent, OrgUnit, Site
    from vacancies.models import Interest, Vacancy

    sites = Site.objects.bulk_create([Site(name=f"Site {i}") for i in range(50)])
    poles = OrgUnit.objects.bulk_create([OrgUnit(name=f"Pôle {i}", kind=OrgUnit.Kind.POLE) for i in range(10)])
    directions = OrgUnit.objects.bulk_create(
        [
            OrgUnit(name=f"Direction {p}.{d}", kind="direction", parent=pole)
            for p, pole in enumerate(poles)
            for d in range(5)
        ]
    )
    services = OrgUnit.objects.bulk_create(
        [OrgUnit(name=f"Service {d.name[10:]}.{s}", parent=d) for d in directions for s in range(9)]
    )
    titles = (
        "Agent technique polyvalent",
        "Gestionnaire paie et carrières",
        "Auxiliaire de puériculture",
        "Technicien réseaux informatiques",
        "Cuisinier en lycée",
        "Chargé de mission",
        "Assistant de direction",
    )
    today, now = timezone.localdate(), timezone.now()
    rows = []
    for i in range(count):
        is_open = i % 5 < 2
        rows.append(
            Vacancy(
                reference=f"B-{i:05d}",
                title=f"{titles[i % len(titles)]} {i}",
                org_unit=services[i % len(services)],
                site=sites[i % len(sites)],
                category="ABC"[i % 3],
                grade="Adjoint technique",
                description="Missions principales : accueil, suivi des dossiers, travail en équipe. " * 8,
                deadline=today + timedelta(days=(i % 60) + 1 if is_open else -((i % 60) + 1)),
                status=Vacancy.Status.PUBLISHED if is_open or i % 5 == 2 else Vacancy.Status.CLOSED,
                published_at=now - timedelta(days=40),
            )
        )
    Vacancy.objects.bulk_create(rows, batch_size=1000)
    viewer = Agent.objects.create_user(email="agent@bench.local", first_name="Banc", last_name="Essai")
    open_ids = list(Vacancy.objects.open().values_list("pk", flat=True)[:100])
    Interest.objects.bulk_create([Interest(vacancy_id=pk, agent=viewer, message="Bonjour") for pk in open_ids])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return viewer, poles[0], sites[1]  # site 1 has open vacancies (i % 50 == 1 → i % 5 == 1)


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure(viewer, pole, site, *, rounds: int) -> tuple[dict, dict, dict]:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()  # so that responses carry their template context (the match counts)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(viewer)
    pages = {
        "list, no filter": {},
        "list, words": None,  # one of WORDS per round
        "list, a pôle (subtree)": {"unit": pole.pk},
        "list, site + category": {"site": site.pk, "category": "B"},
        "list, page 10": {"page": 10},
    }
    times = {name: [] for name in pages} | {"bare view": []}
    queries, counts = {}, {}
    for round_ in range(rounds + 1):  # round 0 warms up
        for name, data in pages.items():
            data = {"q": WORDS[round_ % len(WORDS)]} if data is None else data
            start = time.perf_counter()
            client.get("/bench/bare/")
            bare = _ms(start)
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get("/emplois/", data)
                elapsed = _ms(start)
            if response.status_code != 200:
                raise SystemExit(f"/emplois/ {data} answered {response.status_code}")
            if round_:
                times[name].append(elapsed)
                times["bare view"].append(bare)
            queries[name] = len(captured)
            counts[name] = response.context["page_obj"].paginator.count
            reset_queries()
    return times, queries, counts


def report(times, queries, counts) -> None:
    bare = times["bare view"]
    say("")
    say(f"{'page':<28} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'matches':>8} {'p50 / bare':>11}")
    for name, values in times.items():
        ratio = statistics.median(values) / statistics.median(bare)
        say(
            f"{name:<28} {statistics.median(values):>8.2f} {percentile(values, 0.95):>8.2f} "
            f"{queries.get(name, 0):>8} {counts.get(name, 0):>8} {ratio:>10.1f}×"
        )


def main() -> int:
    args = parse_args()
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    home_load.say_machine("Vacancies board")
    with home_load.throwaway_database(args, media=BENCH_VAR / "media-vacancies"):
        from vacancies.models import Vacancy

        started = time.monotonic()
        viewer, pole, site = load(args.vacancies)
        say(
            f"Data: {Vacancy.objects.count()} vacancies ({Vacancy.objects.open().count()} open), 500 units, "
            f"50 sites, loaded in {time.monotonic() - started:.1f} s; {args.rounds} timed rounds, interleaved "
            "with the bare view."
        )
        report(*measure(viewer, pole, site, rounds=args.rounds))
        return 0


if __name__ == "__main__":
    sys.exit(main())
