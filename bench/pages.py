"""Benchmark: every main page at 1,350 and at 10,000 agents, as ratios against a bare view.

For each size (`--sizes`, default 1350 and 10000: `seed_demo --agents N`, 500 units at 10,000):

1. a throwaway PostgreSQL database (home_load.py's throwaway_database), seeded, ANALYZEd;
2. per page, in this process through Django's test client on a warm cache: the SQL queries
   of one request and its CPU time (this process's CPU, Python's part, plus the PostgreSQL
   backend's CPU read from /proc: the two sides of "CPU per request");
3. gunicorn as the Dockerfile starts it (3 sync workers, DEBUG off, the Redis cache when
   REDIS_URL is set), and wrk at 1 and 8 connections on each page alternated with the bare
   view /bench/bare/: req/s, p95, and the ratio page / bare (req/s at c=8).

It prints one table per size and, at the end, the CPU per request at the largest size
against the smallest (the goal: within ±20 %). `--inprocess` skips gunicorn and wrk;
`--database-url` measures an existing database instead of seeding one (nothing dropped).
Only loopback is ever contacted; every run is bounded by --duration.

Longer than STYLE.md's 300 lines on purpose: a benchmark script read top to bottom (per size:
seed, measure, print).
"""

import argparse
import os
import shutil
import statistics
import sys
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.home_load import (  # noqa: E402
    BENCH_VAR,
    free_port,
    media_root,
    say,
    say_machine,
    seed,
    start_gunicorn,
    stop,
    throwaway_database,
    wrk,
)

SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


@dataclass
class Page:
    name: str
    login: str | None  # demo e-mail, or None for an anonymous page
    url: str


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1350,10000", help="agents, comma-separated (default: 1350,10000)")
    parser.add_argument("--duration", type=int, default=4, help="seconds of each wrk run (default: 4)")
    parser.add_argument("--rounds", type=int, default=2, help="wrk runs of each page and of the bare view")
    parser.add_argument("--repeat", type=int, default=20, help="in-process requests per page for CPU (mean)")
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (default: a free one)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (the Dockerfile's 3)")
    parser.add_argument("--only", default="", help="only the pages whose name contains this")
    parser.add_argument("--inprocess", action="store_true", help="queries and CPU only: no gunicorn, no wrk")
    parser.add_argument("--database-url", default="", help="measure this database as it is (no seeding)")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--sqlite", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--keep", action="store_true", help="keep the databases at the end")
    # home_load's wrk() reads these
    parser.add_argument("--threads", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--connections", type=int, default=1, help=argparse.SUPPRESS)
    return parser.parse_args()


# --- the pages -----------------------------------------------------------------------------


def pages() -> list[Page]:
    """The pages of issue 19, found in the seeded data."""
    from django.db.models import Count
    from django.urls import reverse

    from actions.models import ActionCard
    from intranet.models import Agent, OrgUnit
    from newsletters.models import Issue
    from surveys.models import Survey

    largest = (
        OrgUnit.objects.filter(name="Lycées – agents TOS").first()
        or OrgUnit.objects.annotate(n=Count("members")).order_by("-n").first()
    )
    manager = Agent.objects.annotate(n=Count("reports")).order_by("-n").first()
    card = ActionCard.objects.order_by("pk").first()
    survey = Survey.objects.annotate(n=Count("responses")).order_by("-n").first()
    issue = Issue.objects.filter(status="sent").order_by("-pk").first()
    surname = Agent.objects.get(email="agent@demo.local").last_name
    typo = surname[:2] + surname[3:] if len(surname) > 4 else surname + "e"
    directory = reverse("directory:agent-list")
    return [
        Page("home (agent)", "agent@demo.local", reverse("intranet:home")),
        Page("home (rh)", "rh@demo.local", reverse("intranet:home")),
        Page("home (manager)", "manager@demo.local", reverse("intranet:home")),
        Page("search: surname", "agent@demo.local", f"{directory}?q={surname}"),
        Page("search: typo", "agent@demo.local", f"{directory}?q={typo}"),
        Page("search: service", "agent@demo.local", f"{directory}?q=comptabilite"),
        Page("org chart", "agent@demo.local", reverse("directory:orgchart")),
        Page(
            "trombinoscope (largest unit)",
            "agent@demo.local",
            f"{reverse('directory:trombinoscope')}?unite={largest.pk}",
        ),
        Page("manager's profile", "agent@demo.local", reverse("directory:agent-detail", args=[manager.pk])),
        Page("action card", "agent@demo.local", reverse("actions:card-detail", args=[card.pk])),
        Page("plan overview", "agent@demo.local", reverse("actions:plan-overview")),
        Page("plan calendar", "agent@demo.local", reverse("actions:plan-calendar")),
        Page("survey results", "rh@demo.local", reverse("surveys:survey-results", args=[survey.pk])),
        Page("newsletter archive", "agent@demo.local", reverse("newsletters:issue-list")),
        Page("newsletter issue", "agent@demo.local", reverse("newsletters:issue-detail", args=[issue.pk])),
        Page("vacancies", "agent@demo.local", reverse("vacancies:vacancy-list")),
        Page("shadowing catalogue", "agent@demo.local", reverse("shadowing:offer-list")),
        Page("login page", None, reverse("account_login")),
    ]


def session_for(email: str) -> str:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from intranet.models import Agent

    agent = Agent.objects.get(email=email)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(agent.pk)
    store[BACKEND_SESSION_KEY] = SESSION_BACKEND
    store[HASH_SESSION_KEY] = agent.get_session_auth_hash()
    store.create()
    return store.session_key


# --- in process: queries and CPU -----------------------------------------------------------


def _backend_cpu_seconds(pid: int) -> float:
    """utime + stime of a PostgreSQL backend (same machine), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure_in_process(page: Page, *, sessions: dict[str, str], repeat: int) -> dict:
    """Queries of one request (warm cache), and the mean CPU per request over `repeat` requests:
    this process (Python) + the PostgreSQL backend (read from /proc: ticks of 10 ms, hence the
    mean over several requests rather than a median)."""
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    if page.login:
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[page.login]
    response = client.get(page.url)  # warms the caches (menu, « À faire », org chart…)
    if response.status_code != 200:
        raise SystemExit(f"{page.name}: {page.url} answered {response.status_code}")
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(page.url)
    backend_pid = connection.connection.info.backend_pid if connection.vendor == "postgresql" else None
    db_before = _backend_cpu_seconds(backend_pid) if backend_pid else 0.0
    started = time.process_time()
    for _ in range(repeat):
        client.get(page.url)
    python = (time.process_time() - started) / repeat
    database = ((_backend_cpu_seconds(backend_pid) - db_before) / repeat) if backend_pid else 0.0
    # Nothing kept: the cache emptied before each request (the first visit of the minute, after a
    # change, or when Redis was emptied): what keeping saves, and what a page costs without it.
    cold_python, cold_database, cold_repeat = 0.0, 0.0, max(1, repeat // 2)
    for _ in range(cold_repeat):
        cache.clear()
        db_before = _backend_cpu_seconds(backend_pid) if backend_pid else 0.0
        started = time.process_time()
        client.get(page.url)
        cold_python += time.process_time() - started
        cold_database += (_backend_cpu_seconds(backend_pid) - db_before) if backend_pid else 0.0
    client.get(page.url)  # kept again for what follows
    return {
        "queries": len(executed),
        "bytes": len(response.content),
        "cpu_python_ms": python * 1000,
        "cpu_db_ms": database * 1000,
        "cold_cpu_ms": (cold_python + cold_database) / cold_repeat * 1000,
    }


# --- through gunicorn: wrk ----------------------------------------------------------------


def measure_wrk(page: Page, *, base: str, cookies: dict[str, str], args: argparse.Namespace) -> dict:
    """req/s and p95 at c=1 and c=8, page and bare view alternated; ratio of the medians."""
    figures = {}
    cookie = f"sessionid={cookies[page.login]}" if page.login else ""
    for connections in (1, 8):
        args.connections, args.threads = connections, min(connections, 2)
        runs = {"page": [], "bare": []}
        for round_number in range(args.rounds):
            order = ("bare", "page") if round_number % 2 == 0 else ("page", "bare")
            for target in order:
                url = f"{base}/bench/bare/" if target == "bare" else f"{base}{page.url}"
                result = wrk(url, cookie=cookie, args=args, duration=args.duration)
                if result["not_200"]:
                    raise SystemExit(f"{page.name}: {result['not_200']} answers were not 200 (var/bench/gunicorn.log)")
                runs[target].append(result)
        rps = statistics.median(r["rps"] for r in runs["page"])
        bare = statistics.median(r["rps"] for r in runs["bare"])
        figures[connections] = {
            "rps": rps,
            "p95_ms": statistics.median(r.get("p95_us", r["p99_us"]) for r in runs["page"]) / 1000,
            "ratio": rps / bare,
            "bare_rps": bare,
        }
    return figures


def report(size: str, rows: list[tuple[Page, dict, dict | None]]) -> None:
    say("")
    say(f"At {size}:")
    header = f"{'page':<30}{'queries':>8}{'CPU ms':>8}{'(py+db)':>12}{'cold':>7}"
    header += f"{'c=1 req/s':>10}{'p95':>8}{'c=8 req/s':>10}{'p95':>8}{'× bare':>8}"
    say(header)
    for page, local, remote in rows:
        line = (
            f"{page.name:<30}{local['queries']:>8}{local['cpu_python_ms'] + local['cpu_db_ms']:>8.1f}"
            f"{local['cpu_python_ms']:>6.1f}+{local['cpu_db_ms']:<5.1f}{local['cold_cpu_ms']:>7.1f}"
        )
        if remote:
            line += (
                f"{remote[1]['rps']:>10.1f}{remote[1]['p95_ms']:>8.1f}"
                f"{remote[8]['rps']:>10.1f}{remote[8]['p95_ms']:>8.1f}{remote[8]['ratio']:>8.3f}"
            )
        say(line)
    if rows and rows[0][2]:
        bare = [remote[8]["bare_rps"] for _, _, remote in rows]
        say(f"bare view at c=8: {min(bare):.0f}–{max(bare):.0f} req/s over the run")


def measure_database(label: str, args: argparse.Namespace, env: dict) -> list[tuple[Page, dict, dict | None]]:
    from django.core.cache import cache
    from django.db import connections

    from intranet.models import Agent, OrgUnit

    cache.clear()
    say(f"Data: {Agent.objects.internal().count()} agents, {OrgUnit.objects.count()} units.")
    selected = [page for page in pages() if args.only.lower() in page.name.lower()]
    sessions = {page.login: session_for(page.login) for page in selected if page.login}
    rows = []
    for page in selected:
        rows.append((page, measure_in_process(page, sessions=sessions, repeat=args.repeat), None))
        say(
            f"  {page.name}: {rows[-1][1]['queries']} queries, "
            f"{rows[-1][1]['cpu_python_ms']:.1f} + {rows[-1][1]['cpu_db_ms']:.1f} ms CPU "
            f"({rows[-1][1]['cold_cpu_ms']:.1f} with nothing kept)"
        )
    connections.close_all()
    if not args.inprocess:
        port = args.port or free_port()
        server = start_gunicorn(port=port, workers=args.workers, env=env, log=BENCH_VAR / "gunicorn.log")
        try:
            base = f"http://127.0.0.1:{port}"
            for i, (page, local, _) in enumerate(rows):
                rows[i] = (page, local, measure_wrk(page, base=base, cookies=sessions, args=args))
                say(f"  {page.name}: c=8 {rows[i][2][8]['rps']:.1f} req/s, × bare {rows[i][2][8]['ratio']:.3f}")
        finally:
            stop(server)
    report(label, rows)
    return rows


def main() -> int:
    args = parse_args()
    import bench.home_load

    bench.home_load.PG_DATABASE = "maison_commune_bench_pages"  # not home_load's, which may run beside
    if not args.inprocess and shutil.which("wrk") is None:
        say("wrk is not installed. On Debian: apt-get install -y wrk.")
        return 2
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    say_machine("Main pages at 1,350 and 10,000 agents")
    results = {}
    if args.database_url:
        from bench.home_load import bench_environment, django_migrate

        env = bench_environment(database_url=args.database_url, media=Path(os.environ.get("MEDIA_ROOT", media_root())))
        django_migrate()
        results["the given database"] = measure_database("the given database", args, env)
    else:
        for size in [int(s) for s in args.sizes.split(",")]:
            shutil.rmtree(media_root(), ignore_errors=True)
            with throwaway_database(args, media=media_root(), media_said="the seeded photos") as (_, env):
                seed(agents=size, env=env)
                results[f"{size:,} agents"] = measure_database(f"{size:,} agents", args, env)
            with suppress(Exception):
                import django.db

                django.db.connections.close_all()
    if len(results) >= 2:
        (small_label, small), (large_label, large) = list(results.items())[0], list(results.items())[-1]
        say("")
        say(f"CPU per request, {large_label} / {small_label} (goal: 0.80–1.20):")
        for (page, a, _), (_, b, _) in zip(small, large, strict=True):
            cpu_a = a["cpu_python_ms"] + a["cpu_db_ms"]
            cpu_b = b["cpu_python_ms"] + b["cpu_db_ms"]
            say(f"  {page.name:<30}{cpu_a:>8.1f}{cpu_b:>8.1f}{cpu_b / cpu_a:>8.2f}")
    say(f"Load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
