"""Benchmark: the directory search at the reference size, against baselines in the same process.

What it does, and undoes:

1. prepares a throwaway database like home_load.py (whose helpers it imports): PostgreSQL
   `maison_commune_bench_directory` on postgres://postgres@127.0.0.1:5432, migrated (so with
   migration 0004's extensions, functions and indexes), dropped at the end unless --keep;
   a SQLite file under var/bench/ when PostgreSQL cannot be reached (it says so);
2. loads `manage.py seed_demo --agents 10000` and runs ANALYZE;
3. builds ~50 realistic queries from the data itself: last names, last names with a typo
   (one slip: a letter dropped, added, replaced, two swapped), name beginnings, first names
   typed without accents, "first last", services (names and short names, "compta"), skills,
   job titles, sites, phone numbers;
4. times, in this process, what the directory page asks of the database for each query:
   `agent_search(...)`, its count and its first page of 20 (the server-side time of the
   search), and the results fragment through Django's test client (what htmx fetches);
5. times the baselines the same way, interleaved with the search: a primary-key lookup of one
   agent, and the bare Django view (bench/urls.py) through the same test client;
6. prints p50/p95/max of each and the ratios; the target is p95 < 50 ms for the search;
7. measures the typo tolerance's recall: one typo per name word of 4 letters or more (a
   sample of --typos words, the four slips in turn: intranet/directory/typo_sample.py), each
   searched once; the share whose agent is found is printed (target: at least 95 %), with the
   typos missed, and their search times join the table (a line of their own).

Only loopback is contacted. Run it with `.venv/bin/python bench/directory_search.py --help`.
"""

import argparse
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import home_load  # noqa: E402  (bench/home_load.py: the throwaway database and the seeding)
from home_load import BENCH_VAR, say  # noqa: E402

home_load.PG_DATABASE = "maison_commune_bench_directory"  # never the home-page bench's database
TARGET_P95_MS = 50.0
PAGE_SIZE = 20


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=int, default=10_000, help="agents in the database (default: 10,000)")
    parser.add_argument("--rounds", type=int, default=5, help="timed runs of every query (default: 5)")
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432",
        help="PostgreSQL server where the throwaway database is created",
    )
    parser.add_argument(
        "--database",
        default=home_load.PG_DATABASE,
        help=f"the throwaway database's name (default: {home_load.PG_DATABASE})",
    )
    parser.add_argument("--sqlite", action="store_true", help="use a SQLite file under var/bench/ instead")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    parser.add_argument("--typos", type=int, default=400, help="name words in the typo recall sample (default: 400)")
    return parser.parse_args()


# --- the queries --------------------------------------------------------------------------


def build_queries() -> list[tuple[str, str]]:
    """(kind, query) pairs drawn from the seeded data, deterministic for a given database."""
    from intranet.directory.search import normalise
    from intranet.directory.typo_sample import typo_sample
    from intranet.models import Agent, OrgUnit, Site, Skill

    rng = random.Random(2026)  # noqa: S311 (not cryptography)
    agents = list(
        Agent.objects.active().internal().order_by("pk").values_list("first_name", "last_name", "phone", "show_phone")
    )
    sample = rng.sample(agents, 40)
    last_names = [last for _, last, _, _ in sample if len(last) >= 5 and " " not in last]
    queries = [("last name", normalise(last)) for last in last_names[:10]]
    typos = typo_sample(last_names[10:18], seed=2026)
    queries += [("last name, typo", typo.typed) for typo in typos]
    queries += [("name beginning", normalise(last)[:4]) for last in last_names[18:23]]
    queries += [("first name, no accent", normalise(first)) for first, _, _, _ in sample[23:28]]
    queries += [("first last", f"{first} {last}") for first, last, _, _ in sample[28:31]]
    units = list(OrgUnit.objects.exclude(short_name="").values_list("short_name", flat=True)[:2])
    queries += [("service", q) for q in ["compta", "ressources humaines", "paie", "communication", *units]]
    skills = list(Skill.objects.order_by("name").values_list("name", flat=True))
    queries += [("skill", q) for q in ["haccp", "m57", "recrutement", *rng.sample(skills, min(2, len(skills)))]]
    queries += [
        ("job title", q) for q in ["cuisinier", "gestionnaire", "agent d'entretien", "comptables", "chargée de mission"]
    ]
    sites = list(Site.objects.order_by("pk").values_list("name", flat=True))
    queries += [("site", q) for q in ["jean zay", *rng.sample(sites, min(2, len(sites)))]]
    phones = [re.sub(r"\D", "", phone) for _, _, phone, shown in agents if phone and shown]
    queries += [("phone", q) for q in ["03 83", *(p[:6] for p in rng.sample(phones, min(2, len(phones))))]]
    return queries


# --- timing -------------------------------------------------------------------------------


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(queries, *, rounds: int) -> dict:
    from django.db import reset_queries
    from django.test import Client

    from intranet.directory.search import agent_search
    from intranet.models import Agent

    viewer = (
        Agent.objects.get(email=home_load.DEMO_LOGIN)
        if Agent.objects.filter(email=home_load.DEMO_LOGIN).exists()
        else Agent.objects.active().internal().order_by("pk").first()
    )
    pks = list(Agent.objects.order_by("?").values_list("pk", flat=True)[:100])
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(viewer)
    fragment_headers = {"HX-Request": "true"}

    def search(query):
        found = agent_search(user=viewer, query=query)
        return found.count(), list(found[:PAGE_SIZE])

    times = {"search": [], "pk lookup": [], "fragment": [], "bare view": []}
    by_query: dict[str, list[float]] = {}
    counts = {}
    for _kind, query in queries:  # warm-up: connections, caches, the planner's first plans
        counts[query] = search(query)[0]
        client.get("/annuaire/", {"q": query}, headers=fragment_headers)
        client.get("/bench/bare/")
    for round_ in range(rounds):
        for i, (_kind, query) in enumerate(queries):
            pk = pks[(round_ * len(queries) + i) % len(pks)]
            start = time.perf_counter()
            Agent.objects.filter(pk=pk).first()
            times["pk lookup"].append(_ms(start))
            start = time.perf_counter()
            search(query)
            elapsed = _ms(start)
            times["search"].append(elapsed)
            by_query.setdefault(query, []).append(elapsed)
            start = time.perf_counter()
            response = client.get("/bench/bare/")
            times["bare view"].append(_ms(start))
            start = time.perf_counter()
            response = client.get("/annuaire/", {"q": query}, headers=fragment_headers)
            times["fragment"].append(_ms(start))
            if response.status_code != 200:
                raise SystemExit(f"/annuaire/?q={query} answered {response.status_code}")
            reset_queries()
    return {"times": times, "by_query": by_query, "counts": counts}


def measure_typos(*, size: int) -> dict:
    """One typo per name word of a sample of `size` (first and last names of the internal
    agents), each searched once as the directory does (count, then the first page)."""
    from intranet.directory.search import agent_search, normalise
    from intranet.directory.typo_sample import recall, typo_sample
    from intranet.models import Agent

    viewer = (
        Agent.objects.get(email=home_load.DEMO_LOGIN)
        if Agent.objects.filter(email=home_load.DEMO_LOGIN).exists()
        else Agent.objects.active().internal().order_by("pk").first()
    )
    names = Agent.objects.active().internal().values_list("first_name", "last_name")
    sample = typo_sample([f"{first} {last}" for first, last in names], seed=2026, size=size)
    times: list[float] = []

    def found_words(typed: str) -> list[str]:
        start = time.perf_counter()
        found = agent_search(user=viewer, query=typed)
        found.count()
        list(found[:PAGE_SIZE])
        times.append(_ms(start))
        # Recall: among every match (the page shows them 20 at a time), not the first page only.
        return [normalise(f"{agent.first_name} {agent.last_name}") for agent in found[:]]

    score, missed = recall(sample, found_words)
    return {"sample": sample, "recall": score, "missed": missed, "times": times}


def report_typos(typos: dict) -> bool:
    sample, times = typos["sample"], typos["times"]
    say("")
    say(
        f"Typo recall: {typos['recall']:.1%} of {len(sample)} one-slip typos of name words of 4 letters or more "
        f"found (target ≥ 95 %); their search p50 {statistics.median(times):.2f} ms, "
        f"p95 {percentile(times, 0.95):.2f} ms, max {max(times):.2f} ms."
    )
    for slip in sorted({typo.slip for typo in sample}):
        of_slip = [typo for typo in sample if typo.slip == slip]
        missed = [typo for typo in typos["missed"] if typo.slip == slip]
        say(f"  {slip:<14} {1 - len(missed) / len(of_slip):6.1%} of {len(of_slip)}")
    if typos["missed"]:
        say("Missed: " + ", ".join(f"{typo.typed!r} ({typo.word})" for typo in typos["missed"][:20]))
    return typos["recall"] >= 0.95


def report(queries, results) -> bool:
    times, by_query, counts = results["times"], results["by_query"], results["counts"]
    say("")
    say(f"{'what':<42} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, label in [
        ("search", "search: agent_search + count + page of 20"),
        ("pk lookup", "baseline: one agent by primary key"),
        ("fragment", "results fragment via the test client"),
        ("bare view", "baseline: bare view via the test client"),
    ]:
        values = times[name]
        say(f"{label:<42} {statistics.median(values):>8.2f} {percentile(values, 0.95):>8.2f} {max(values):>8.2f}")
    p95 = percentile(times["search"], 0.95)
    say("")
    say(
        f"search / pk lookup:  p50 × {statistics.median(times['search']) / statistics.median(times['pk lookup']):.1f}"
        f", p95 × {p95 / percentile(times['pk lookup'], 0.95):.1f}"
    )
    say(
        f"fragment / bare view: p50 × {statistics.median(times['fragment']) / statistics.median(times['bare view']):.1f}"  # noqa: E501
        f", p95 × {percentile(times['fragment'], 0.95) / percentile(times['bare view'], 0.95):.1f}"
    )
    say("")
    say("Slowest queries (median of their runs, ms, matches):")
    slowest = sorted(by_query.items(), key=lambda item: statistics.median(item[1]), reverse=True)[:8]
    kinds = dict((q, k) for k, q in queries)
    for query, values in slowest:
        say(f"  {statistics.median(values):7.2f}  {counts[query]:>6}  {kinds[query]:<22} {query!r}")
    found_none = [q for _, q in queries if counts[q] == 0]
    if found_none:
        say(f"Queries that found nobody: {found_none}")
    verdict = "met" if p95 < TARGET_P95_MS else "MISSED"
    say(f"\nTarget: search p95 < {TARGET_P95_MS:.0f} ms on the server — {verdict} ({p95:.2f} ms).")
    return p95 < TARGET_P95_MS


def main() -> int:
    args = parse_args()
    home_load.PG_DATABASE = args.database
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    home_load.say_machine("Directory search")
    media = BENCH_VAR / "media-directory"
    with home_load.throwaway_database(args, media=media, media_said="the seeded photos") as (_, env):
        from intranet.models import Agent, OrgUnit

        home_load.seed(agents=args.agents, env=env)
        queries = build_queries()
        say(
            f"Data: {Agent.objects.count()} agents, {OrgUnit.objects.count()} org units; {len(queries)} queries, "
            f"{args.rounds} timed rounds each, interleaved with the baselines."
        )
        results = measure(queries, rounds=args.rounds)
        report(queries, results)
        report_typos(measure_typos(size=args.typos))
        return 0  # measured; whether the target is met is printed, not an error


if __name__ == "__main__":
    sys.exit(main())
