"""The production stack, started for real without Docker, then smoke-tested and stopped.

docker-compose.yml cannot run where there is no Docker engine (these machines, most CI). This
script starts the same services with the same commands and settings, on the machine:

- `redis`: the compose file's command (`redis-server --appendonly yes`) on a loopback port of its
  own, its data in the run's folder (or, with --redis-url, an existing Redis database);
- `db`: the machine's PostgreSQL, two databases of their own (`<name>_stack`, and
  `<name>_stack_yesterday` for the upgrade), `<name>` being DATABASE_URL's;
- the image's build steps (catalogues compiled, static files collected with a throw-away key);
- `web`: `manage.py migrate --noinput`, then gunicorn as the Dockerfile and the compose file
  start it (WEB_CONCURRENCY workers, 3 as in the image), on a loopback port; ready when the
  compose file's health check answers (GET /sante/ with an allowed Host and the TLS proxy's
  X-Forwarded-Proto);
- `worker` and `beat`: the compose file's commands (the worker's concurrency and memory limits);
- the compose file's environment (DATABASE_URL, REDIS_URL, MEDIA_ROOT) and production settings
  in the place of .env: DJANGO_DEBUG=false, behind a TLS proxy, SMTP to a loopback server.

Yesterday's data: the tree of the commit before the newest migration is taken from git; its own
code migrates an empty database, seeds the demo, backs it up with `manage.py backup` and
restores that archive (`manage.py restore`) into the stack's empty database. The web service's
`manage.py migrate` then upgrades that copy, as a deployment of today's version does.

The smoke test, over HTTP through gunicorn, as a browser would (cookies, CSRF tokens):

1. the communication officer signs in through the login form;
2. writes a newsletter issue, addresses it to 100 agents and sends it: the worker sends it to an
   SMTP server on loopback (aiosmtpd), which must receive exactly one message per agent;
3. HR asks for a newcomer's welcome guide PDF: the worker renders it, the page then serves it;
4. /sante/ says the database, Redis, the worker and beat are up.

Then everything started is stopped (SIGTERM, as `docker compose down`; SIGKILL after a grace
period) and the databases are dropped (unless --keep). Exit status 0 when every step passed.

--scale adds a second gunicorn (another port) and a second worker on the same PostgreSQL and
Redis, as `docker compose up --scale web=2 --scale worker=2` would, and the newsletter is sent to
more agents through both (`--recipients`); requests are spread over both servers.

tests/intranet/test_stack.py compares the commands below with docker-compose.yml and the
Dockerfile (changing one without the other fails) and runs this script.

    .venv/bin/python scripts/stack_smoke.py [--keep] [--ports 8170-8179] [--scale]

Longer than STYLE.md's 300 lines on purpose: a script read top to bottom, its steps in the order
they run (start, upgrade, smoke test, stop).
"""

import argparse
import contextlib
import datetime
import hashlib
import html
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"

# --- The services, as docker-compose.yml and the Dockerfile write them ---------------------------
# Word for word (the compose file's ${VAR:-default} included): tests/intranet/test_stack.py
# compares them. Only the places change when they run here: /app is this tree, /app/var the run's
# folder, the bind address a loopback port, `python` the project's virtualenv.

# The compose file's x-app `environment:` (the services of the stack, whatever .env says).
COMPOSE_ENVIRONMENT = ("DATABASE_URL", "REDIS_URL", "MEDIA_ROOT")
# The Dockerfile's ENV lines.
IMAGE_ENVIRONMENT = {
    "PYTHONPATH": "/app",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONUNBUFFERED": "1",
    "PIP_NO_CACHE_DIR": "1",
    "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    "WEB_CONCURRENCY": "3",
}
REDIS_COMMAND = ["redis-server", "--appendonly", "yes"]
# The web service: `sh -c "<MIGRATE> && exec <GUNICORN>"`; GUNICORN is also the image's CMD.
MIGRATE_COMMAND = ["python", "manage.py", "migrate", "--noinput"]
GUNICORN_COMMAND = ["gunicorn", "intranet.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
WORKER_COMMAND = [
    "celery",
    "-A",
    "intranet",
    "worker",
    "--loglevel=INFO",
    "--concurrency=${CELERY_CONCURRENCY:-6}",
    "--max-tasks-per-child=${CELERY_MAX_TASKS_PER_CHILD:-200}",
    "--max-memory-per-child=${CELERY_MAX_MEMORY_PER_CHILD:-400000}",
]
BEAT_COMMAND = ["celery", "-A", "intranet", "beat", "--loglevel=INFO", "--schedule", "/app/var/celerybeat-schedule"]
# The image's build: every catalogue compiled, then the static files collected.
BUILD_COLLECTSTATIC = ["python", "manage.py", "collectstatic", "--noinput"]
BUILD_COLLECTSTATIC_ENV = {"DJANGO_SECRET_KEY": "build-only", "DJANGO_DEBUG": "false"}
# The web service's health check: this page, with an allowed Host and the proxy's header.
HEALTHCHECK_PATH = "/sante/"
HEALTHCHECK_HEADERS = {"X-Forwarded-Proto": "https"}
# A worker started next to another on the same machine needs its own node name: compose's
# replicas get theirs from their container's host name.
SCALED_WORKER_NAME = ["--hostname", "worker{number}@%h"]

# The demo's accounts (intranet/demo/accounts.py), all with the demo password.
DEMO_PASSWORD = "maison-commune"  # noqa: S105 (the demo's published password)
COMMUNICATION_LOGIN = "communication@demo.local"
HR_LOGIN = "rh@demo.local"
STOP_GRACE = 30  # seconds a service has to stop after SIGTERM before SIGKILL (compose: 10 s, the worker 2 min)


def say(message: str) -> None:
    print(message, flush=True)


class SmokeFailure(Exception):
    pass


def check(condition, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


def wait_for(predicate, *, timeout: float, what: str, interval: float = 0.25):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise SmokeFailure(f"{what}: not after {timeout:.0f} s")
        time.sleep(interval)


# --- The run's places ------------------------------------------------------------------------------


class Ports:
    """Loopback ports to hand out: those given (--ports 8170-8179), else free ones."""

    def __init__(self, spec: str = ""):
        self.given: list[int] = []
        for part in filter(None, spec.split(",")):
            first, _, last = part.partition("-")
            self.given += range(int(first), int(last or first) + 1)
        self.limited = bool(self.given)

    def take(self) -> int:
        while self.given:
            port = self.given.pop(0)
            if _port_free(port):
                return port
        check(not self.limited, "no free port left in --ports")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return sock.getsockname()[1]


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def expand(word: str, env: dict) -> str:
    """The compose file's ${VAR:-default}, from `env`."""
    return re.sub(r"\$\{(\w+):-([^}]*)\}", lambda match: env.get(match[1]) or match[2], word)


def database_url(base: str, name: str) -> str:
    parts = urllib.parse.urlsplit(base)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def recreate_database(server_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(database_url(server_url, "postgres"), autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(server_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(database_url(server_url, "postgres"), autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def query(url: str, statement: str, params=()) -> list[tuple]:
    import psycopg

    with psycopg.connect(url, connect_timeout=5) as conn:
        return conn.execute(statement, params).fetchall()


def this_tree_only(tree: Path, folder: Path) -> Path:
    """A PYTHONPATH folder whose sitecustomize puts `tree` first on sys.path and drops setuptools'
    editable finder: a shared virtualenv's editable install of another checkout must not supply
    modules this tree lacks (tests/harness.py does the same for its workers)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(tree)!r})\n"
        "sys.meta_path[:] = [f for f in sys.meta_path if not getattr(f, '__name__', '').startswith('_Editable')]\n"
    )
    return folder


# --- Processes -------------------------------------------------------------------------------------


class Service:
    """A started process in its own process group, its output in the run's logs/."""

    def __init__(self, name: str, command: list[str], *, env: dict, cwd: Path, log_dir: Path):
        self.name, self.command = name, command
        self.log_path = log_dir / f"{name}.log"
        self.log_file = self.log_path.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 (our own commands)
            command, cwd=cwd, env=env, stdout=self.log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
        say(f"  started {name} (pid {self.process.pid}): {shlex.join(command)}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> float:
        """SIGTERM to the main process (compose's stop), SIGKILL to the group after the grace."""
        started = time.monotonic()
        if self.alive:
            self.process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=STOP_GRACE)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        self.log_file.close()
        return time.monotonic() - started


def run(command: list[str], *, env: dict, cwd: Path, what: str, log_dir: Path, timeout: float = 300) -> str:
    """A one-off command (a build step, a manage.py command); its output, or a failure with it."""
    started = time.monotonic()
    result = subprocess.run(  # noqa: S603 (our own commands)
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    output = result.stdout + result.stderr
    (log_dir / f"{re.sub(r'[^a-z0-9]+', '-', what.lower()).strip('-')}.log").write_text(output)
    if result.returncode != 0:
        raise SmokeFailure(f"{what} failed ({result.returncode}):\n{output[-3000:]}")
    say(f"  {what}: {time.monotonic() - started:.1f} s")
    return output


# --- SMTP ------------------------------------------------------------------------------------------


class MailCatcher:
    """An SMTP server on loopback (aiosmtpd) keeping the subject and recipients of each message."""

    def __init__(self, port: int):
        from aiosmtpd.controller import Controller

        self.messages: list[tuple[str, list[str]]] = []
        self.lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=port)
        self.controller.start()
        self.port = port

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        from email import message_from_bytes, policy

        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append((str(message["Subject"] or ""), list(envelope.rcpt_tos)))
        return "250 2.0.0 OK: queued"

    def recipients_of(self, subject_part: str) -> list[str]:
        with self.lock:
            return [address for subject, rcpts in self.messages if subject_part in subject for address in rcpts]

    def stop(self) -> None:
        self.controller.stop()


# --- HTTP, as a browser behind the TLS proxy -------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies (Secure ones too: the TLS proxy's side of the connection is HTTPS), CSRF tokens,
    redirects followed by hand. Each request names the site as the proxy would: Host, the
    X-Forwarded-Proto header, a same-origin Referer for the CSRF check of HTTPS requests."""

    def __init__(self, base_urls: list[str], host: str):
        self.base_urls, self.host = base_urls, host
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(_NoRedirect)
        self.requests = 0

    def _base(self) -> str:
        """The servers in turn, as a load balancer spreads requests (one session, any server)."""
        self.requests += 1
        return self.base_urls[self.requests % len(self.base_urls)]

    def request(self, path: str, data: dict | None = None, *, follow: bool = True) -> tuple[int, str, dict, bytes]:
        for _hop in range(10):
            body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
            request = urllib.request.Request(self._base() + path, data=body)  # noqa: S310 (loopback)
            request.add_header("Host", self.host)
            request.add_header("Referer", f"https://{self.host}{path}")
            for name, value in HEALTHCHECK_HEADERS.items():
                request.add_header(name, value)
            if self.cookies:
                request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
            try:
                response = self.opener.open(request, timeout=60)
            except urllib.error.HTTPError as error:
                response = error
            content = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(header)
                for name, morsel in cookie.items():
                    self.cookies[name] = morsel.value
            location = response.headers.get("Location", "")
            if follow and response.status in (301, 302, 303) and location:
                path = urllib.parse.urlsplit(location)._replace(scheme="", netloc="").geturl()
                data = None
                continue
            return response.status, path, dict(response.headers), content
        raise SmokeFailure(f"too many redirects from {path}")

    def page(self, path: str, data: dict | None = None) -> tuple[str, str]:
        """A page's final address and HTML; anything but 200 is a failure."""
        status, final, _headers, content = self.request(path, data)
        text = content.decode(errors="replace")
        check(status == 200, f"{path}: HTTP {status} at {final}\n{_summary(text)}")
        return final, text

    def csrf(self, text: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        check(match, "no CSRF token in the form")
        return match[1]

    def submit(self, path: str, fields: dict) -> tuple[str, str]:
        """GET the form's page, POST `fields` with its CSRF token; the page it leads to."""
        _final, text = self.page(path)
        return self.page(path, {"csrfmiddlewaretoken": self.csrf(text), **fields})


def _summary(text: str) -> str:
    errors = re.findall(r'class="[^"]*(?:invalid-feedback|alert)[^"]*"[^>]*>(.*?)</', text, re.S)
    title = re.search(r"<title>(.*?)</title>", text, re.S)
    parts = [html.unescape(title[1].strip()) if title else "", *(html.unescape(e.strip()) for e in errors)]
    return " | ".join(part for part in parts if part)[:1000]


def healthy(base_url: str, host: str) -> dict | None:
    """The compose file's health check: /sante/ answers (its JSON), or None."""
    request = urllib.request.Request(base_url + HEALTHCHECK_PATH, headers={"Host": host, **HEALTHCHECK_HEADERS})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (loopback)
            return json.loads(response.read())
    except (OSError, ValueError):
        return None


# --- The stack -------------------------------------------------------------------------------------


class Stack:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.ports = Ports(args.ports)
        self.run_dir = Path(tempfile.mkdtemp(prefix="stack-", dir=_var("stack")))
        self.logs = self.run_dir / "logs"
        self.logs.mkdir()
        self.services: list[Service] = []
        self.smtp: MailCatcher | None = None
        base = os.environ.get("DATABASE_URL", "")
        check(base.startswith(("postgres://", "postgresql://")), "DATABASE_URL must name a PostgreSQL database")
        self.server_url = base
        name = urllib.parse.urlsplit(base).path.lstrip("/") or "maison_commune"
        self.db_name, self.yesterday_db = f"{name}_stack", f"{name}_stack_yesterday"
        self.figures: dict[str, object] = {}

    # The environment of the services: the compose file's, then .env's part (production settings).
    def environment(self, *, tree: Path, database: str, media: Path, var: Path, redis_url: str) -> dict:
        image = {name: value.replace("/app", str(tree)) for name, value in IMAGE_ENVIRONMENT.items()}
        image["PYTHONPATH"] = f"{tree}{os.pathsep}{this_tree_only(tree, var / 'pythonpath')}"
        image["WEB_CONCURRENCY"] = os.environ.get("WEB_CONCURRENCY", image["WEB_CONCURRENCY"])
        compose = {"DATABASE_URL": database, "REDIS_URL": redis_url, "MEDIA_ROOT": str(media)}
        assert set(compose) == set(COMPOSE_ENVIRONMENT)  # noqa: S101 (kept in step with the constant)
        dot_env = {
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": self.secret_key,
            "DJANGO_ALLOWED_HOSTS": "localhost",
            "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://{self.host}",
            "DJANGO_BEHIND_TLS_PROXY": "true",
            "TRUSTED_PROXIES": "127.0.0.1",
            "SITE_URL": f"https://{self.host}",
            "EMAIL_URL": f"smtp://127.0.0.1:{self.smtp.port}" if self.smtp else "",
            # The demo's addresses end in demo.local, which the settings keep from SMTP by default.
            "EMAIL_SUPPRESSED_DOMAINS": "suppressed.invalid",
            "VAR_DIR": str(var),
            "LOG_FORMAT": "json",
        }
        keep = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "HOME", "TZ", "TMPDIR")}
        return {**keep, **image, **dot_env, **compose}

    def start(self) -> None:
        args = self.args
        self.secret_key = secrets.token_urlsafe(50)
        self.web_ports = [self.ports.take() for _ in range(2 if args.scale else 1)]
        self.host = "localhost"
        say(f"Run folder: {self.run_dir}")

        # redis
        if args.redis_url:
            self.redis_url = args.redis_url
        else:
            binary = shutil.which(REDIS_COMMAND[0])
            check(binary, "redis-server is not installed (or pass --redis-url)")
            port = self.ports.take()
            (self.run_dir / "redis").mkdir()
            command = [binary, *REDIS_COMMAND[1:], "--port", str(port), "--bind", "127.0.0.1"]
            command += ["--dir", str(self.run_dir / "redis"), "--save", ""]
            self.services.append(Service("redis", command, env={}, cwd=self.run_dir, log_dir=self.logs))
            self.redis_url = f"redis://127.0.0.1:{port}/0"
            wait_for(lambda: _redis_pings(self.redis_url), timeout=10, what="redis-server ready")
        _redis_flush(self.redis_url)

        self.smtp = MailCatcher(self.ports.take())
        say(f"SMTP server on 127.0.0.1:{self.smtp.port}")

        # The build (compiled catalogues, static files) and yesterday's data, side by side.
        var = self.run_dir / "var"
        media = self.run_dir / "media"
        var.mkdir()
        media.mkdir()
        env = self.environment(
            tree=ROOT, database=database_url(self.server_url, self.db_name), media=media, var=var,
            redis_url=self.redis_url,
        )  # fmt: skip
        self.env = env
        build = threading.Thread(target=self._build, args=(env,))
        build_error: list[BaseException] = []
        build.run = _capturing(build.run, build_error)
        build.start()
        try:
            self._yesterday(media)
        finally:
            build.join()
        if build_error:
            raise build_error[0]

        # web: migrate, then gunicorn (the web service's command)
        started = time.monotonic()
        output = run(self.command(MIGRATE_COMMAND), env=env, cwd=ROOT, what="web: manage.py migrate", log_dir=self.logs)
        applied = re.findall(r"Applying (\S+)\.\.\. OK", output)
        self.figures["migrations applied to yesterday's data"] = len(applied)
        say(f"  {len(applied)} migration(s) applied to yesterday's data: {', '.join(applied) or 'none'}")
        for number, port in enumerate(self.web_ports, start=1):
            command = self.command(GUNICORN_COMMAND, bind=f"127.0.0.1:{port}")
            self.services.append(Service(f"web{number}", command, env=env, cwd=ROOT, log_dir=self.logs))
        self.base_urls = [f"http://127.0.0.1:{port}" for port in self.web_ports]
        for base in self.base_urls:
            wait_for(lambda base=base: self._alive() and healthy(base, self.host), timeout=60, what=f"{base} healthy")
        say(f"  web healthy {time.monotonic() - started:.1f} s after the migrations began")

        # worker(s) and beat, once web is healthy (compose's depends_on)
        workers = 2 if args.scale else 1
        for number in range(1, workers + 1):
            extra = [word.format(number=number) for word in SCALED_WORKER_NAME] if args.scale else []
            name = f"worker{number}" if args.scale else "worker"
            service = Service(name, self.command(WORKER_COMMAND) + extra, env=env, cwd=ROOT, log_dir=self.logs)
            self.services.append(service)
        self.services.append(Service("beat", self.command(BEAT_COMMAND), env=env, cwd=ROOT, log_dir=self.logs))
        for service in self.services:
            if service.name.startswith("worker"):
                ready = lambda s=service: self._alive() and " ready." in s.log()  # noqa: E731
                wait_for(ready, timeout=60, what=f"{service.name} ready")

    def command(self, words: list[str], *, bind: str = "") -> list[str]:
        """A compose/Dockerfile command as it runs here."""
        out = []
        for word in words:
            word = expand(word, os.environ).replace("/app/var", str(self.run_dir / "var")).replace("/app", str(ROOT))
            if bind and word == "0.0.0.0:8000":
                word = bind
            out.append(word)
        first = out[0]
        out[0] = str(VENV_BIN / first) if (VENV_BIN / first).exists() else first
        return out

    def _alive(self) -> bool:
        dead = [service.name for service in self.services if not service.alive]
        if dead:
            raise SmokeFailure(f"{', '.join(dead)} exited:\n" + self.services_log(dead))
        return True

    def services_log(self, names) -> str:
        return "\n".join(f"--- {s.name}\n{s.log()[-3000:]}" for s in self.services if s.name in names)

    def _build(self, env: dict) -> None:
        """The image's build steps: the catalogues compiled (as `make messages`), the static files
        collected (CompressedManifestStaticFilesStorage: the manifest DEBUG=false needs). The
        collected files are kept in var/stack/cache/ for the next run with the same static files
        (compressing them takes a minute of CPU)."""
        for po in _tree_files("django.po"):
            if po.parts[-3:-1] != ("en", "LC_MESSAGES"):
                continue
            directory = po.parent.parent.parent
            command = [str(VENV_BIN / "pybabel"), "compile", "--domain", "django", "--directory", str(directory)]
            subprocess.run(command, check=True, capture_output=True, cwd=ROOT)  # noqa: S603
        cache = _var("stack/cache") / f"static-{_static_key()}"
        if not cache.exists():
            scratch = Path(tempfile.mkdtemp(prefix="static-", dir=cache.parent))
            build_env = {**env, **BUILD_COLLECTSTATIC_ENV, "VAR_DIR": str(scratch)}
            command = self.command(BUILD_COLLECTSTATIC)
            run(command, env=build_env, cwd=ROOT, what="build: collectstatic", log_dir=self.logs)
            with contextlib.suppress(OSError):  # another run built it meanwhile: theirs is as good
                (scratch / "static").rename(cache)
            shutil.rmtree(scratch, ignore_errors=True)
            for older in cache.parent.glob("static-*"):  # those of earlier static files
                if older != cache and older.is_dir() and time.time() - older.stat().st_mtime > 3600:
                    shutil.rmtree(older, ignore_errors=True)
        else:
            say(f"  build: collectstatic: the static files of a previous run ({cache.name})")
        (Path(env["VAR_DIR"]) / "static").symlink_to(cache)

    def _yesterday(self, media: Path) -> None:
        """Yesterday's data in the stack's empty database: the demo seeded by the previous schema's
        code, backed up, and restored by that same code; the web service migrates it."""
        tree, revision = self._yesterday_tree()
        ymedia, yvar = self.run_dir / "yesterday-media", self.run_dir / "yesterday-var"
        ymedia.mkdir()
        yvar.mkdir()
        recreate_database(self.server_url, self.yesterday_db)
        recreate_database(self.server_url, self.db_name)
        yenv = self.environment(
            tree=tree, database=database_url(self.server_url, self.yesterday_db), media=ymedia, var=yvar,
            redis_url="",  # yesterday's site is not running: its tasks wait in its own folder
        )  # fmt: skip
        py = str(VENV_BIN / "python")
        # The archive is kept for the next run of the same version (seeding takes a minute).
        archive = _var("stack/cache") / f"yesterday-{revision.replace(' ', '-')}-{self.args.agents}.tar"
        if revision == "this tree" or not archive.exists():
            scratch = self.run_dir / "yesterday.tar"
            migrate = [py, "manage.py", "migrate", "--noinput"]
            run(migrate, env=yenv, cwd=tree, what="yesterday: migrate", log_dir=self.logs)
            seed = [py, "manage.py", "seed_demo", "--agents", str(self.args.agents)]
            run(seed, env=yenv, cwd=tree, what="yesterday: seed_demo", log_dir=self.logs)
            backup = [py, "manage.py", "backup", "--output", str(scratch)]
            run(backup, env=yenv, cwd=tree, what="yesterday: manage.py backup", log_dir=self.logs)
            for older in archive.parent.glob("yesterday-*.tar"):  # those of earlier versions
                older.unlink(missing_ok=True)
            scratch.replace(archive)
        else:
            say(f"  yesterday: the backup of a previous run ({archive.name})")
        renv = {**yenv, "DATABASE_URL": database_url(self.server_url, self.db_name), "MEDIA_ROOT": str(media)}
        output = run([py, "manage.py", "restore", str(archive)], env=renv, cwd=tree, what="restore", log_dir=self.logs)
        check("différent" not in output, f"the restore does not find what was backed up:\n{output}")
        self.figures["yesterday"] = revision
        drop_database(self.server_url, self.yesterday_db)
        if revision == "this tree":
            archive.unlink()

    def _yesterday_tree(self) -> tuple[Path, str]:
        """The tree of the commit before the newest migration (git archive), else this tree."""
        if self.args.yesterday != "none" and shutil.which("git") and (ROOT / ".git").exists():
            revision = self.args.yesterday
            if revision == "auto":
                newest = _git("log", "-1", "--format=%H", "--", "*/migrations/0*.py", "**/migrations/0*.py")
                revision = f"{newest}^" if newest else ""
            sha = _git("rev-parse", "--short", "--verify", "--quiet", f"{revision}^{{commit}}") if revision else ""
            if sha:
                tree = self.run_dir / "yesterday-tree"
                tree.mkdir()
                archive = subprocess.run(  # noqa: S603
                    ["git", "archive", "--format=tar", revision],  # noqa: S607
                    cwd=ROOT, capture_output=True, check=True,
                )  # fmt: skip
                subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)  # noqa: S603, S607
                say(f"Yesterday's version: {sha} (the commit before the newest migration)")
                return tree, sha
        say("Yesterday's version: this tree (no git history to take it from): the upgrade applies no migration")
        return ROOT, "this tree"

    # --- The smoke test ---------------------------------------------------------------------------

    def smoke(self) -> None:
        args = self.args
        started = time.monotonic()

        # 1. Signing in through the login form.
        officer = Browser(self.base_urls, self.host)
        self._sign_in(officer, COMMUNICATION_LOGIN)
        say(f"  1. {COMMUNICATION_LOGIN} signed in through the login form")

        # 2. A newsletter to N agents, sent by the worker(s) to the SMTP server.
        self.officer = officer
        recipients = self.recipients(args.recipients)
        seconds, mailing, deliveries = self.newsletter(recipients)
        self.figures["newsletter"] = f"{len(recipients)} messages for {len(recipients)} recipients in {seconds:.1f} s"
        self.figures["mails per second"] = round(len(recipients) / seconds, 1)
        say(f"  2. newsletter sent: {self.figures['newsletter']}, each once; deliveries {deliveries}")
        if args.scale:
            shares = self.senders_share(mailing)
            self.figures["messages sent by each worker"] = shares
            say(f"     messages sent by each worker: {shares}")

        # 3. A welcome guide rendered by the worker: HR moves an arrival's date (the guide changes
        #    with it and is asked for again), then downloads the guide once the worker has rendered it.
        hr = Browser(self.base_urls, self.host)
        self._sign_in(hr, HR_LOGIN)
        _final, text = hr.page("/integration/arrivees/")
        arrival = re.search(r'href="/integration/arrivees/(\d+)/"', text)
        check(arrival, "no arrival in the list of arrivals")
        edit = f"/integration/arrivees/{arrival[1]}/modifier/"
        _final, text = hr.page(edit)
        fields = form_fields(text, "arrival_date")
        day = datetime.date.fromisoformat(fields["arrival_date"]) + datetime.timedelta(days=1)
        final, text = hr.page(edit, {**fields, "arrival_date": day.isoformat()})
        check(final != edit, f"the arrival's date was not changed: {_summary(text)}")
        asked = time.monotonic()
        path = f"/integration/arrivees/{arrival[1]}/guide/pdf/"

        def rendered():
            self._alive()
            status, _final, headers, content = hr.request(path)
            return content if status == 200 and headers.get("Content-Type") == "application/pdf" else None

        pdf = wait_for(rendered, timeout=90, what="the welcome guide rendered by the worker", interval=1)
        check(pdf.startswith(b"%PDF-"), "the guide is not a PDF")
        self.figures["guide"] = f"{len(pdf) // 1024} KB PDF {time.monotonic() - asked:.1f} s after it was asked for"
        say(f"  3. welcome guide: {self.figures['guide']}")

        # 4. Health: every part the stack runs.
        def all_up():
            self._alive()
            report = healthy(self.base_urls[0], self.host)
            checks = (report or {}).get("checks", {})
            return (
                report
                if all(checks.get(part, {}).get("status") == "ok" for part in ("database", "redis", "worker", "beat"))
                else None
            )  # noqa: E501

        report = wait_for(all_up, timeout=60, what="/sante/: database, redis, worker and beat ok", interval=1)
        states = {name: part["status"] for name, part in report["checks"].items()}
        say(f"  4. /sante/: {report['status']} {states}")
        if args.scale:
            served = {s.name: len(re.findall(r'"(?:GET|POST) ', s.log())) for s in self.services if s.name[:3] == "web"}
            check(all(served.values()), f"a web server served no request: {served}")
            self.figures["requests served by each web server"] = served
            say(f"     requests served by each web server: {served}")
        self.figures["smoke"] = f"{time.monotonic() - started:.1f} s"

    def recipients(self, count: int) -> list[str]:
        """`count` agents with a mailbox, as the audience form takes them (one address a line)."""
        rows = query(
            database_url(self.server_url, self.db_name),
            "SELECT email FROM intranet_agent WHERE is_active AND anonymised_at IS NULL AND NOT is_external "
            "AND has_mailbox AND email <> '' ORDER BY id LIMIT %s",
            (count,),
        )
        check(len(rows) == count, f"only {len(rows)} agents with a mailbox in the demo (--agents)")
        return [row[0] for row in rows]

    def newsletter(self, recipients: list[str]) -> tuple[float, int, dict]:
        """The communication officer writes an issue, addresses it to `recipients` and sends it now;
        every recipient must receive it exactly once. The seconds from the send to the last
        message at the SMTP server, the mailing's id, its deliveries by status."""
        officer = self.officer
        title = f"Essai de la pile {secrets.token_hex(4)}"
        _final, text = officer.page("/lettre/redaction/nouveau/")
        fields = {"number": _field_value(text, "number"), "title": title, "edito": "<p>Essai de la pile.</p>"}
        final, text = officer.page("/lettre/redaction/nouveau/", {"csrfmiddlewaretoken": officer.csrf(text), **fields})
        issue = re.search(r"/lettre/(\d+)/rediger/", final)
        check(issue, f"the new issue's page was not shown (at {final}: {_summary(text)})")
        pk = issue[1]
        final, text = officer.submit(f"/lettre/{pk}/public/", {"emails": "\n".join(recipients)})
        check(final.endswith(f"/lettre/{pk}/rediger/"), f"the audience was not saved: {_summary(text)}")
        sent_at = time.monotonic()
        final, text = officer.submit(f"/lettre/{pk}/envoyer/", {"when": "now"})
        mailing = re.search(r"/diffusions/(\d+)/", final)
        check(mailing, f"the send did not lead to the mailing's page (at {final}: {_summary(text)})")
        wait_for(
            lambda: self._alive() and len(self.smtp.recipients_of(title)) >= len(recipients),
            timeout=max(60, len(recipients) / 5),
            what=f"{len(recipients)} messages at the SMTP server (got {len(self.smtp.recipients_of(title))})",
        )
        seconds = time.monotonic() - sent_at
        time.sleep(2)  # a duplicate would come now
        received = self.smtp.recipients_of(title)
        check(sorted(received) == sorted(recipients), f"received {len(received)} for {len(recipients)} recipients")
        rows = query(
            database_url(self.server_url, self.db_name),
            "SELECT status, count(*) FROM mailing_delivery WHERE mailing_id = %s GROUP BY status",
            (int(mailing[1]),),
        )
        check(dict(rows) == {"sent": len(recipients)}, f"the mailing's deliveries: {dict(rows)}")
        _final, text = officer.page(f"/diffusions/{mailing[1]}/")
        return seconds, int(mailing[1]), dict(rows)

    def senders_share(self, mailing: int) -> dict[str, int]:
        """Messages of `mailing` each worker sent, from their logs (« Mailing 3: {'sent': 12, …} »)."""
        shares = {}
        for service in self.services:
            if service.name.startswith("worker"):
                found = re.findall(rf"Mailing {mailing}: \{{'sent': (\d+)", service.log())
                shares[service.name] = sum(int(count) for count in found)
        return shares

    def _sign_in(self, browser: Browser, login: str) -> None:
        final, text = browser.submit("/comptes/login/", {"login": login, "password": DEMO_PASSWORD})
        check("/comptes/login/" not in final, f"{login} could not sign in: {_summary(text)}")
        check(login in text or "Se déconnecter" in text or "logout" in text, f"{login}: not signed in at {final}")

    def stop(self) -> None:
        for service in reversed(self.services):
            seconds = service.stop()
            say(f"  stopped {service.name} in {seconds:.1f} s")
        if self.smtp:
            self.smtp.stop()
        leftovers = [s.name for s in self.services if _group_alive(s.process.pid)]
        check(not leftovers, f"still running after the stop: {leftovers}")
        if not self.args.keep:
            for name in (self.db_name, self.yesterday_db):
                with contextlib.suppress(Exception):
                    drop_database(self.server_url, name)
            shutil.rmtree(self.run_dir, ignore_errors=True)
        else:
            say(f"Kept: {self.run_dir} and the database {self.db_name}")


class _Forms(HTMLParser):
    """The values a browser would submit with each POST form of a page."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self.fields: dict[str, str] | None = None
        self.select, self.textarea = None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.fields = {}
            self.forms.append(self.fields)
        if self.fields is None:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self.fields[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self.select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields[self.select] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self.textarea = name
            self.fields[name] = ""

    def handle_data(self, data):
        if self.fields is not None and self.textarea:
            self.fields[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.fields = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def form_fields(text: str, containing: str) -> dict[str, str]:
    """The fields of the page's POST form that has a field named `containing`."""
    parser = _Forms()
    parser.feed(text)
    forms = [fields for fields in parser.forms if containing in fields]
    check(forms, f"no form with a field {containing!r} on the page: {_summary(text)}")
    return forms[0]


def _field_value(text: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', text) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', text
    )
    return html.unescape(match[1]) if match else ""


def _capturing(function, errors: list):
    def wrapped():
        try:
            function()
        except BaseException as error:  # noqa: BLE001 (handed to the main thread)
            errors.append(error)

    return wrapped


def _git(*words: str) -> str:
    result = subprocess.run(["git", *words], cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603, S607
    return result.stdout.strip()


def _redis_pings(url: str) -> bool:
    import redis

    try:
        return redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def _redis_flush(url: str) -> None:
    import redis

    redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _static_key() -> str:
    """What the collected static files depend on: every file under a static/ folder of the tree
    (its path and content) and the pinned dependencies (their packages' static files)."""
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    for path in _tree_files("*"):
        if "static" in path.relative_to(ROOT).parts:
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _tree_files(pattern: str) -> list[Path]:
    """The tree's files named `pattern`, outside the virtualenv, var/ and .git, as `find` lists them."""
    found = []
    for top in sorted(ROOT.iterdir()):
        if top.is_dir() and not top.is_symlink() and top.name not in (".venv", "var", ".git", "node_modules"):
            found += sorted(path for path in top.rglob(pattern) if path.is_file())
    return found


def _var(name: str) -> Path:
    folder = ROOT / "var" / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ports", default="", help="loopback ports to use, e.g. 8170-8179 (default: free ones)")
    parser.add_argument("--redis-url", default="", help="an existing Redis database (flushed) instead of redis-server")
    parser.add_argument("--agents", type=int, default=300, help="agents of yesterday's demo (default: 300)")
    parser.add_argument("--recipients", type=int, default=100, help="agents the newsletter goes to (default: 100)")
    parser.add_argument(
        "--yesterday",
        default="auto",
        help="git revision of yesterday's version (default: the commit before the newest migration; none: this tree)",
    )
    parser.add_argument("--scale", action="store_true", help="two gunicorn servers and two workers")
    parser.add_argument("--keep", action="store_true", help="keep the run's folder and database")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    stack = Stack(args)
    started = time.monotonic()
    ok = False
    try:
        say("Starting the stack…")
        stack.start()
        say(f"Stack up in {time.monotonic() - started:.1f} s. Smoke test:")
        stack.smoke()
        ok = True
    except SmokeFailure as failure:
        say(f"FAILED: {failure}")
    finally:
        say("Stopping…")
        try:
            stack.stop()
        except SmokeFailure as failure:
            say(f"FAILED: {failure}")
            ok = False
    figures = json.dumps(stack.figures, ensure_ascii=False)
    say(f"{'PASSED' if ok else 'FAILED'} in {time.monotonic() - started:.1f} s: {figures}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
