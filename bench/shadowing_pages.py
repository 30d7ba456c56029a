"""Benchmark: "Montre-moi ton job" at the reference size — the catalogue, a manager's queue, an
agent's requests and HR's campaign overview — against a bare Django view in the same process;
and the signed discretion agreement's PDF against WeasyPrint on the same text as static HTML.

What it does, and undoes:

1. prepares a throwaway database like home_load.py (whose helpers it imports): PostgreSQL
   `maison_commune_bench_shadowing` on postgres://postgres@127.0.0.1:5432, migrated, dropped at
   the end unless --keep; a SQLite file under var/bench/ when PostgreSQL cannot be reached;
2. bulk-creates --agents agents (default 10,000) in units of ~20 with their heads as managers,
   one offer per unit (about 500), 10 campaigns and --visits requests (default 20,000) spread
   over them, the current one holding 2,000;
3. times through Django's test client each page, interleaved with the bare view; prints
   p50/p95, the SQL queries of each page and the ratio to the bare view; then renders the
   agreement PDF --rounds times against the static-HTML baseline.

Only loopback is contacted. `.venv/bin/python bench/shadowing_pages.py --help`.
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

home_load.PG_DATABASE = "maison_commune_bench_shadowing"  # never another bench's database


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=int, default=10_000, help="agents (default: 10,000)")
    parser.add_argument("--visits", type=int, default=20_000, help="requests over 10 campaigns (default: 20,000)")
    parser.add_argument("--rounds", type=int, default=20, help="timed runs of every page (default: 20)")
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432",
        help="PostgreSQL server where the throwaway database is created",
    )
    parser.add_argument("--sqlite", action="store_true", help="use a SQLite file under var/bench/ instead")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    args, _unknown = parser.parse_known_args()  # run_all.py may pass other benchmarks' options
    return args


def load(*, visits: int):
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.utils import timezone

    from intranet.models import Agent
    from onboarding.shadowing.models import AgreementVersion, Campaign, Offer, Visit

    today = timezone.localdate()
    heads = list(Agent.objects.filter(headed_units__isnull=False).select_related("org_unit", "site").order_by("pk"))
    offers = Offer.objects.bulk_create(
        [
            Offer(
                host=head,
                job_title=f"Métier du {head.org_unit.name}",
                description="Accueil, dossiers, équipe. " * 6,
                org_unit=head.org_unit,
                site=head.site or head.org_unit.site,
            )
            for head in heads
            if head.site_id
        ]
    )
    campaigns = Campaign.objects.bulk_create(
        [
            Campaign(
                title=f"Campagne {i}",
                wishes_open_on=today - timedelta(days=30 * (9 - i) + 5),
                wishes_close_on=today - timedelta(days=30 * (9 - i)) + timedelta(days=20),
                visits_end_on=today - timedelta(days=30 * (9 - i)) + timedelta(days=60),
            )
            for i in range(10)
        ]
    )
    current = campaigns[-1]
    agents = list(Agent.objects.filter(manager__isnull=False).values_list("pk", "manager_id"))
    manager_id = agents[0][1]
    team = [pk for pk, manager in agents if manager == manager_id]
    states = [Visit.State.WISH, Visit.State.APPROVED, Visit.State.EVALUATED, Visit.State.REFUSED]
    rows = []
    for i in range(visits):
        campaign = current if i < 2_000 else campaigns[i % 9]
        visitor = team[i % len(team)] if i < 40 else agents[i % len(agents)][0]
        offer = offers[(i * 7) % len(offers)]
        rows.append(
            Visit(
                campaign=campaign,
                visitor_id=visitor,
                offer=offer,
                host_id=offer.host_id,
                state=states[i % len(states)],
                motivation="Comprendre ce métier.",
            )
        )
    Visit.objects.bulk_create(rows, batch_size=2000)
    hr = Agent.objects.create_user(email="rh@bench.local", first_name="Res", last_name="Sources")
    hr.groups.add(Group.objects.get(name="rh"))
    visitor = Agent.objects.get(pk=team[0])
    signed = Visit.objects.filter(visitor=visitor).first()
    signed.agreement, signed.agreement_signed_at = AgreementVersion.objects.first(), timezone.now()
    signed.save()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "manager": Agent.objects.get(pk=manager_id),
        "visitor": visitor,
        "hr": hr,
        "campaign": current,
        "signed": signed,
        "offers": len(offers),
    }


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure(data: dict, *, rounds: int) -> tuple[dict, dict]:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    pages = {
        "catalogue": (data["visitor"], reverse("shadowing:offer-list")),
        "catalogue, one site": (data["visitor"], reverse("shadowing:offer-list") + "?site=1"),
        "my requests": (data["visitor"], reverse("shadowing:visit-mine")),
        "manager's queue": (data["manager"], reverse("shadowing:visit-queue")),
        "HR campaign overview": (data["hr"], reverse("shadowing:campaign-detail", args=[data["campaign"].pk])),
        "campaign figures": (data["hr"], reverse("shadowing:campaign-figures", args=[data["campaign"].pk])),
    }
    clients = {}
    for user, _url in pages.values():
        if user.pk not in clients:
            clients[user.pk] = Client(HTTP_HOST="127.0.0.1")
            clients[user.pk].force_login(user)
    times = {name: [] for name in pages} | {"bare view": []}
    queries = {}
    for round_ in range(rounds + 1):  # round 0 warms up
        for name, (user, url) in pages.items():
            client = clients[user.pk]
            start = time.perf_counter()
            client.get("/bench/bare/")
            bare = _ms(start)
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get(url)
                elapsed = _ms(start)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            if round_:
                times[name].append(elapsed)
                times["bare view"].append(bare)
            queries[name] = len(captured)
            reset_queries()
    return times, queries


def measure_pdf(visit, *, rounds: int) -> dict:
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from onboarding.shadowing.services.scheduling import agreement_pdf_render

    static = (
        "<html><body><h1>Engagement</h1>"
        + "".join(f"<p>{line}</p>" for line in visit.agreement.text.splitlines())
        + "</body></html>"
    )
    render_to_string("shadowing/pdf/agreement.html", {"visit": visit, "agreement": visit.agreement})
    times = {"agreement PDF": [], "static HTML (baseline)": []}
    for _ in range(rounds):
        start = time.perf_counter()
        agreement_pdf_render(visit=visit)
        times["agreement PDF"].append(_ms(start))
        start = time.perf_counter()
        HTML(string=static).write_pdf()
        times["static HTML (baseline)"].append(_ms(start))
    return times


def report(times, queries, pdf) -> None:
    bare = times["bare view"]
    say("")
    say(f"{'page':<24} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'p50 / bare':>11}")
    for name, values in times.items():
        ratio = statistics.median(values) / statistics.median(bare)
        say(
            f"{name:<24} {statistics.median(values):>8.2f} {percentile(values, 0.95):>8.2f} "
            f"{queries.get(name, 0):>8} {ratio:>10.1f}×"
        )
    base = statistics.median(pdf["static HTML (baseline)"])
    say("")
    for name, values in pdf.items():
        say(f"{name:<24} {statistics.median(values):>8.1f} ms p50   {statistics.median(values) / base:>5.1f}× baseline")


def main() -> int:
    args = parse_args()
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    home_load.say_machine("Montre-moi ton job")
    with home_load.throwaway_database(args, media=BENCH_VAR / "media-shadowing"):
        home_load.bulk_agents(args.agents)
        started = time.monotonic()
        data = load(visits=args.visits)
        say(
            f"Data: {args.agents} agents, {data['offers']} offers, {args.visits} requests over 10 campaigns "
            f"(2,000 in the current one), loaded in {time.monotonic() - started:.1f} s; {args.rounds} timed rounds."
        )
        times, queries = measure(data, rounds=args.rounds)
        report(times, queries, measure_pdf(data["signed"], rounds=max(3, args.rounds // 4)))
        return 0


if __name__ == "__main__":
    sys.exit(main())
