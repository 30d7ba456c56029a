"""Benchmark: the home page under load, as a ratio against a bare Django view.

What it does, and undoes:

1. prepares a throwaway database: PostgreSQL `maison_commune_bench` on
   postgres://postgres@127.0.0.1:5432 (created, migrated, dropped at the end with the seeded photos unless --keep),
   or a SQLite file under var/bench/ when PostgreSQL cannot be reached (it says so);
2. loads data at the reference size with `manage.py seed_demo --agents 10000` (its own org
   chart), and tops up with plain agents in units of ~20 (bulk_create) if it is missing,
   fails or falls short;
3. opens a session for one agent directly in the session store (no password needed);
4. serves the project with gunicorn on a free loopback port (production settings: no
   DEBUG, manifest static files) plus the baseline view /bench/bare/ (bench/urls.py);
5. runs wrk against the bare view and the home page with the same session cookie, the
   same connections and the same duration, alternating bare/home and home/bare rounds so
   that drift of the shared machine falls on both;
6. prints requests/s and latency p50/p99 for each, and the ratios home/bare.

Only loopback is ever contacted; every run is bounded by --duration.
Run it with `make bench` or `.venv/bin/python bench/home_load.py --help`.

Longer than STYLE.md's 300 lines on purpose: a benchmark script read top to bottom, and the
throwaway database, seeding and server helpers the other benchmarks import.
"""

import argparse
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from datetime import datetime
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_VAR = ROOT / "var" / "bench"
WRK_SCRIPT = Path(__file__).resolve().parent / "wrk_report.lua"
PG_DATABASE = "maison_commune_bench"
DEMO_LOGIN = "agent@demo.local"
AGENTS_PER_UNIT = 20

sys.path.insert(0, str(ROOT))


def say(message: str) -> None:
    print(message, flush=True)


def say_machine(title: str) -> None:
    """The header line of a benchmark: its title, the date, the CPU count and the load average."""
    say(
        f"{title} — {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, {os.cpu_count()} CPUs, "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=int, default=10_000, help="agents in the database (default: 10,000)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of each measured run (default: 10)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each target, alternated (default: 3)")
    parser.add_argument("--connections", type=int, default=4, help="open connections (default: 4)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default: 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default: 2)")
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432",
        help="PostgreSQL server where the throwaway database is created",
    )
    parser.add_argument("--sqlite", action="store_true", help="use a SQLite file under var/bench/ instead")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    args = parser.parse_args()
    if args.connections < args.threads:
        parser.error("--connections must be at least --threads (wrk gives each thread a connection)")
    return args


# --- database -----------------------------------------------------------------------------


def create_postgres_database(server: str) -> str | None:
    """Create the throwaway database afresh; None when the server cannot be reached."""
    import psycopg
    from psycopg import sql

    try:
        with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=3) as conn:
            name = sql.Identifier(PG_DATABASE)
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
    except psycopg.OperationalError as exc:
        reason = (str(exc).strip() or type(exc).__name__).splitlines()[0]
        say(f"PostgreSQL unreachable at {server} ({reason}).")
        return None
    return f"{server}/{PG_DATABASE}"


def drop_postgres_database(server: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(PG_DATABASE)))


def sqlite_path() -> Path:
    return BENCH_VAR / "bench.sqlite3"


def media_root() -> Path:
    """Where the seeded agents' photos go, apart from the site's own var/media."""
    return BENCH_VAR / "media"


def remove_sqlite_database() -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{sqlite_path()}{suffix}").unlink(missing_ok=True)


def open_database(args: argparse.Namespace) -> str:
    """A throwaway PostgreSQL database, or a SQLite file when asked or when PostgreSQL is
    unreachable; returns its DATABASE_URL."""
    database_url = None if args.sqlite else create_postgres_database(args.postgres)
    if database_url is None:
        remove_sqlite_database()
        database_url = f"sqlite:///{sqlite_path()}"
        say(f"Using SQLite instead: {sqlite_path().relative_to(ROOT)} (figures are not PostgreSQL's).")
    else:
        say(f"Database: PostgreSQL {database_url} (throwaway)")
    return database_url


# One key for the whole run: a second size's gunicorn must read the session cookies this process
# signed for the first (a key per size answered « Session data corrupted »: 249 non-200 answers).
_SECRET_KEY = secrets.token_urlsafe(50)


def bench_environment(*, database_url: str, media: Path) -> dict:
    """Production-like settings on that database (bench.settings adds the bare view), set in
    this process's environment too and returned for subprocesses."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": _SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "MEDIA_ROOT": str(media),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    os.environ.update(env)
    return env


def django_migrate() -> None:
    """Set Django up in this process, migrate and collect the static files."""
    import django

    django.setup()
    from django.core.management import call_command

    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    say(f"Migrated and collected static files in {time.monotonic() - started:.1f} s.")


@contextmanager
def throwaway_database(
    args: argparse.Namespace,
    *,
    media: Path,
    media_said: str | None = None,
    environ: Mapping[str, str | None] | None = None,
) -> Iterator[tuple[str, dict]]:
    """Open the throwaway database (open_database), set the environment (bench_environment,
    then `environ`: a None value removes the variable) and migrate; yield (database_url, env).
    At the end, unless --keep, remove `media` and drop the database. `media_said` names the
    media in the closing line ("the seeded photos") and shows MEDIA_ROOT when kept."""
    database_url = open_database(args)
    env = bench_environment(database_url=database_url, media=media)
    for name, value in (environ or {}).items():
        for target in (os.environ, env):
            if value is None:
                target.pop(name, None)
            else:
                target[name] = value
    try:
        django_migrate()
        yield database_url, env
    finally:
        with suppress(Exception):
            from django.db import connections

            connections.close_all()
        if args.keep:
            say(f"Kept the database: DATABASE_URL={database_url}" + (f" MEDIA_ROOT={media}" if media_said else ""))
        else:
            shutil.rmtree(media, ignore_errors=True)
            if database_url.startswith("sqlite"):
                remove_sqlite_database()
            else:
                drop_postgres_database(args.postgres)
            say(f"Dropped the database ({database_url})" + (f" and {media_said}." if media_said else "."))


def seed(*, agents: int, env: dict) -> None:
    """Reference-size data: the project's seed_demo when it exists, topped up if short."""
    from django.core.management import get_commands
    from django.db import connections

    from intranet.models import Agent

    if "seed_demo" in get_commands():
        say(f"Loading data: manage.py seed_demo --agents {agents}")
        try:
            result = subprocess.run(
                [sys.executable, "manage.py", "seed_demo", "--agents", str(agents)],
                cwd=ROOT,
                env=env,
                timeout=900,
                check=False,
                capture_output=True,
                text=True,
            )
            if result.returncode == 0:  # its progress, without the table of demo accounts
                say("\n".join(f"  {line}" for line in result.stdout.split("\nComptes")[0].strip().splitlines()))
            else:
                say(f"seed_demo ended with code {result.returncode}; topping up with plain agents.")
                say(result.stdout + result.stderr)
        except subprocess.TimeoutExpired:
            say("seed_demo took more than 15 minutes and was stopped; topping up with plain agents.")
        connections.close_all()
    else:
        say("No seed_demo command in this checkout: creating plain agents with bulk_create.")
    missing = agents - Agent.objects.count()
    if missing > 0:
        bulk_agents(missing)
    with connections["default"].cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as a live database has them


def bulk_agents(count: int) -> None:
    """`count` agents in units of ~20 (pôles > directions > services), heads as managers."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from intranet.models import Agent, OrgUnit, Site

    started = time.monotonic()
    units = max(3, count // AGENTS_PER_UNIT)
    poles_count = max(1, units // 100)
    directions_count = max(1, units // 10)
    services_count = units - poles_count - directions_count
    password = make_password(secrets.token_urlsafe(16))  # hashed once: nobody logs in with it
    with transaction.atomic():
        sites = Site.objects.bulk_create(
            Site(name=f"Bench site {i}", kind=Site.Kind.ANTENNE, city="Pont-à-Mousson") for i in range(20)
        )
        poles = OrgUnit.objects.bulk_create(
            OrgUnit(name=f"Bench pôle {i}", kind=OrgUnit.Kind.POLE) for i in range(poles_count)
        )
        directions = OrgUnit.objects.bulk_create(
            OrgUnit(name=f"Bench direction {i}", kind=OrgUnit.Kind.DIRECTION, parent=poles[i % len(poles)])
            for i in range(directions_count)
        )
        services = OrgUnit.objects.bulk_create(
            OrgUnit(
                name=f"Bench service {i}",
                kind=OrgUnit.Kind.SERVICE,
                parent=directions[i % len(directions)],
                site=sites[i % len(sites)],
            )
            for i in range(services_count)
        )
        agents = Agent.objects.bulk_create(
            (
                Agent(
                    email=f"bench.agent{i:05d}@bench.local",
                    first_name=f"Prénom{i}",
                    last_name=f"Nom{i:05d}",
                    matricule=f"B{i:06d}",
                    job_title="Gestionnaire administratif",
                    password=password,
                    org_unit=services[i % services_count],
                    site=sites[i % len(sites)],
                    status=Agent.Status.TITULAIRE,
                    category=Agent.Category.C,
                )
                for i in range(count)
            ),
            batch_size=1000,
        )
        heads = {}
        for agent in agents:
            heads.setdefault(agent.org_unit_id, agent)
        for service in services:
            service.head = heads.get(service.pk)
        OrgUnit.objects.bulk_update(services, ["head"], batch_size=1000)
        for agent in agents:
            head = heads[agent.org_unit_id]
            agent.manager = head if head.pk != agent.pk else None
        Agent.objects.bulk_update(agents, ["manager"], batch_size=1000)
    say(
        f"Created {count} agents in {len(poles) + len(directions) + len(services)} org units "
        f"in {time.monotonic() - started:.1f} s."
    )


def open_session() -> tuple[str, str]:
    """A session for the demo agent (or any agent with a unit and a manager): (email, key)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from intranet.models import Agent

    agent = Agent.objects.filter(email=DEMO_LOGIN).first() or (
        Agent.objects.active().internal().filter(org_unit__isnull=False, manager__isnull=False).order_by("pk").first()
    )
    if agent is None:
        raise SystemExit("No agent with a unit and a manager to log in as.")
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(agent.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = agent.get_session_auth_hash()
    store.create()
    return agent.email, store.session_key


# --- server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, cookie: str = "") -> tuple[int, bytes, list[str]]:
    """GET on loopback without following redirects: (status, body, Set-Cookie headers)."""
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310 (loopback)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.read(), response.headers.get_all("Set-Cookie") or []
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers.get_all("Set-Cookie") or []


def start_gunicorn(*, port: int, workers: int, env: dict, log: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "intranet.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--graceful-timeout",
        "5",
        "--timeout",
        "30",
    ]
    with log.open("w") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with code {server.returncode}:\n{log.read_text()[-3000:]}")
        with suppress(OSError):
            if fetch(f"http://127.0.0.1:{port}/bench/bare/")[0] == 200:
                return server
        time.sleep(0.2)
    stop(server)
    raise SystemExit(f"gunicorn did not answer within 30 s:\n{log.read_text()[-3000:]}")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# --- load ---------------------------------------------------------------------------------


def wrk(url: str, *, cookie: str, args: argparse.Namespace, duration: int) -> dict:
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{duration}s",
        "--timeout",
        "5s",
        "-s",
        str(WRK_SCRIPT),
        "-H",
        f"Cookie: {cookie}",
        url,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=duration + 30, check=False)
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith("WRK_JSON ")), None)
    if result.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    figures = json.loads(line.removeprefix("WRK_JSON "))
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    figures["socket_errors"] = sum(figures[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts"))
    return figures


def measure(targets: dict[str, str], *, cookie: str, args: argparse.Namespace) -> dict[str, list[dict]]:
    say("Warm-up: 2 s on each target (not counted).")
    for url in targets.values():
        wrk(url, cookie=cookie, args=args, duration=2)
    runs: dict[str, list[dict]] = {name: [] for name in targets}
    names = list(targets)
    for round_number in range(args.rounds):
        order = names if round_number % 2 == 0 else names[::-1]
        for name in order:
            figures = wrk(targets[name], cookie=cookie, args=args, duration=args.duration)
            runs[name].append(figures)
            say(
                f"  round {round_number + 1} {name:<5} {figures['rps']:9.1f} req/s  "
                f"p50 {figures['p50_us'] / 1000:7.2f} ms  p99 {figures['p99_us'] / 1000:7.2f} ms  "
                f"({figures['requests']} requests, {figures['not_200']} not 200, "
                f"{figures['socket_errors']} socket errors)"
            )
    return runs


def report(runs: dict[str, list[dict]], targets: dict[str, str], args: argparse.Namespace) -> bool:
    def median(name: str, key: str) -> float:
        return statistics.median(run[key] for run in runs[name])

    say("")
    say(
        f"Median of {args.rounds} runs of {args.duration} s each, {args.connections} connections, "
        f"{args.threads} wrk threads, {args.workers} gunicorn sync workers:"
    )
    say(f"{'target':<22}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
    for name, url in targets.items():
        path = url.split(":", 2)[2].split("/", 1)[1]
        say(
            f"{name + ' /' + path:<22}{median(name, 'rps'):>10.1f}"
            f"{median(name, 'p50_us') / 1000:>10.2f}{median(name, 'p99_us') / 1000:>10.2f}"
        )
    throughput = median("home", "rps") / median("bare", "rps")
    p50 = median("home", "p50_us") / median("bare", "p50_us")
    p99 = median("home", "p99_us") / median("bare", "p99_us")
    say(f"{'ratio home / bare':<22}{throughput:>9.2f}x{p50:>9.2f}x{p99:>9.2f}x")
    per_round = [h["rps"] / b["rps"] for h, b in zip(runs["home"], runs["bare"], strict=True)]
    say(f"Throughput ratio of each round: {', '.join(f'{r:.2f}' for r in per_round)}")
    say(
        f"The home page serves {throughput:.0%} of the requests/s of a bare Django view; "
        f"its median latency is {p50:.1f} times the bare view's."
    )
    not_200 = sum(run["not_200"] for name in runs for run in runs[name])
    if not_200:
        say(f"INVALID: {not_200} answers were not 200 (see var/bench/gunicorn.log); the figures do not count.")
        return False
    return True


# --- main ---------------------------------------------------------------------------------


def main() -> int:
    args = parse_args()
    if shutil.which("wrk") is None:
        say("wrk is not installed. On Debian: apt-get install -y wrk (`make bench` does it when run as root).")
        return 2
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(media_root(), ignore_errors=True)  # photos of an earlier --keep run
    say_machine("Home page under load")

    if os.getloadavg()[0] > (os.cpu_count() or 1):
        say(
            "The machine is busy (load average above its CPU count): both targets slow down, but the home "
            "page's database round trips wait for the CPU more than the bare view does, so its ratio will "
            "look worse than on a quiet machine. Compare ratios taken at similar loads."
        )
    with throwaway_database(args, media=media_root(), media_said="the seeded photos") as (_, env):
        server = None
        try:
            from django.db import connections

            from intranet.models import Agent, OrgUnit

            seed(agents=args.agents, env=env)
            email, session_key = open_session()
            say(f"Data: {Agent.objects.count()} agents, {OrgUnit.objects.count()} org units; logged in as {email}.")
            connections.close_all()

            port = free_port()
            server = start_gunicorn(port=port, workers=args.workers, env=env, log=BENCH_VAR / "gunicorn.log")
            base = f"http://127.0.0.1:{port}"
            targets = {"bare": f"{base}/bench/bare/", "home": f"{base}/"}

            cookie = f"sessionid={session_key}"
            status, body, set_cookies = fetch(targets["home"], cookie)
            if status != 200:
                raise SystemExit(f"The home page answered {status} with the session cookie, not 200.")
            csrf = SimpleCookie()
            for header in set_cookies:
                csrf.load(header)
            if "csrftoken" in csrf:  # sent back like a browser would, so the token is not made anew each time
                cookie += f"; csrftoken={csrf['csrftoken'].value}"
            say(
                f"gunicorn on {base}; home page: {len(body):,} bytes, "
                f"bare view: {len(fetch(targets['bare'])[1])} bytes."
            )

            runs = measure(targets, cookie=cookie, args=args)
            valid = report(runs, targets, args)
            say(
                f"Load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
                "(other work on the machine slows both targets; the ratios absorb part of it, not all)."
            )
            return 0 if valid else 1
        finally:
            if server is not None:
                stop(server)


if __name__ == "__main__":
    sys.exit(main())
