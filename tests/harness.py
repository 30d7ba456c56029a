"""Real services for the tests: an SMTP server on loopback (aiosmtpd) and a Celery worker
running as its own process against Redis and the test's PostgreSQL database.

The fixtures are re-exported by tests/conftest.py:

- `smtp_server`: a running server that keeps what it receives; Django's settings point at it.
- `celery_worker_process`: `celery -A intranet worker --pool=solo` on a Redis database of
  its own (one of /8–/15 that no other test run holds, flushed), the test database and the
  `smtp_server`; `.kill()` sends SIGKILL to its whole process group, `.terminate()` SIGTERM to
  its main process (a warm shutdown, as `docker compose restart` does), `.restart()` starts a
  fresh one. Tests using it need `@pytest.mark.django_db(transaction=True)`: the worker only
  sees committed rows.
- `celery_worker_with_beat`: the same, as production runs it: two prefork processes and beat
  embedded (`--beat`), so the recovery of stalled work runs by itself every
  settings.WORK_RECOVERY_TICK seconds.
"""

import asyncio
import contextlib
import email
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
CELERY = BASE_DIR / ".venv" / "bin" / "celery"
# Redis databases the worker tests may use, one per test run at a time: two runs sharing one
# would flush or consume each other's tasks.
WORKER_REDIS_DBS = range(15, 7, -1)
WORKER_REDIS_LOCK = "maison-commune:worker-test-run"


def _claim_redis_db(redis_url: str):
    """The first Redis database no other test run holds, emptied and marked as ours."""
    import redis

    for db in WORKER_REDIS_DBS:
        url = with_redis_db(redis_url, db)
        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        if client.set(WORKER_REDIS_LOCK, os.getpid(), nx=True, ex=3600):
            client.flushdb()
            client.set(WORKER_REDIS_LOCK, os.getpid(), ex=3600)
            return url, client
        client.close()
    return "", None


def free_port() -> int:
    """A loopback TCP port nobody listens on (right now)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, *, timeout: float, interval: float = 0.05, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout:.0f} s waiting for {message}")


# --- SMTP ---------------------------------------------------------------------------------


@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""

    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part is not None else ""


class RecordingHandler:
    """Keeps every message accepted (after the final dot, before the 250).

    `hold_after(n)` makes the conversation after the n-th accepted message wait at DATA
    (the client has sent the message, the server has not answered), so a test can kill the
    sender at that exact point; `release()` then drops that message with a 451 answer, as a
    server does when the client has gone before the end of the transaction.
    `hold_after(n, accepted=True)`: the server keeps that message (it will deliver it) and
    holds its 250 until `release()`: a sender killed then has had its message accepted
    without learning it, the window between the server's 250 and the sender's commit."""

    def __init__(self):
        self.received: list[ReceivedMail] = []
        self._lock = threading.Lock()
        self._hold_after: int | None = None
        self._hold_accepted = False
        self.holding = threading.Event()
        self._release = threading.Event()
        # address -> the answer to its RCPT TO ("451 4.2.2 Mailbox full"): refused recipients.
        self.rcpt_answers: dict[str, str] = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 (aiosmtpd's hook name)
        answer = self.rcpt_answers.get(address)
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        if self._hold_after is not None and len(self.received) >= self._hold_after:
            self._hold_after = None
            if self._hold_accepted:
                with self._lock:
                    self.received.append(ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), message))
            self.holding.set()
            while not self._release.is_set():
                await asyncio.sleep(0.01)
            return "250 2.0.0 OK: queued" if self._hold_accepted else "451 4.3.0 Client gone, message dropped"
        with self._lock:
            self.received.append(ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 2.0.0 OK: queued"

    def hold_after(self, count: int, *, accepted: bool = False) -> None:
        self.holding.clear()
        self._release.clear()
        self._hold_accepted = accepted
        self._hold_after = count

    def release(self) -> None:
        self._release.set()


class SMTPServer:
    def __init__(self, port: int, handler: RecordingHandler, controller=None):
        self.host, self.port, self.handler = "127.0.0.1", port, handler
        self.controller = controller

    def stop(self) -> None:
        """The server goes away: connections are dropped and new ones refused (an outage)."""
        if self.controller is not None:
            self.handler.release()
            self.controller.stop()
            self.controller = None

    def start(self) -> None:
        """The server is back, on the same port, keeping what it received before."""
        from aiosmtpd.controller import Controller

        if self.controller is None:
            self.controller = Controller(self.handler, hostname=self.host, port=self.port)
            self.controller.start()

    @property
    def messages(self) -> list[ReceivedMail]:
        with self.handler._lock:
            return list(self.handler.received)

    def messages_to(self, address: str) -> list[ReceivedMail]:
        return [mail for mail in self.messages if address in mail.rcpt_tos]

    def count_by_recipient(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for mail in self.messages:
            for address in mail.rcpt_tos:
                counts[address] = counts.get(address, 0) + 1
        return counts

    def wait_for(self, count: int, *, timeout: float = 30) -> list[ReceivedMail]:
        wait_until(
            lambda: len(self.messages) >= count,
            timeout=timeout,
            message=f"{count} message(s) at the SMTP server (got {len(self.messages)})",
        )
        return self.messages


@pytest.fixture
def smtp_server(settings):
    from aiosmtpd.controller import Controller

    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    server = SMTPServer(controller.port, handler, controller)
    try:
        yield server
    finally:
        server.stop()


# --- Celery -------------------------------------------------------------------------------


@contextlib.contextmanager
def celery_broker(url: str, **conf):
    """Make this process publish to `url` (and with `conf`), then restore. Celery caches its
    connection and producer pools, so those are dropped both ways (not closed: kombu keeps
    them in a registry by URL and hands the same pool back next time)."""
    from intranet.celery import app

    def drop_pools():
        app._pool = None
        app.amqp._producer_pool = None

    saved = {key: app.conf[key] for key in ["broker_url", *conf]}
    drop_pools()
    app.conf.update(broker_url=url, **conf)
    try:
        yield app
    finally:
        drop_pools()
        app.conf.update(saved)


def with_redis_db(url: str, db: int) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{db}"))


def worker_database_url() -> str:
    """DATABASE_URL of the test database (pytest-django's test_<name>), for the worker."""
    from django.db import connection

    url = os.environ.get("DATABASE_URL", "")
    if connection.vendor != "postgresql" or not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        return ""
    return urlunsplit(urlsplit(url)._replace(path="/" + connection.settings_dict["NAME"]))


class CeleryWorkerProcess:
    def __init__(self, *, env: dict[str, str], log_dir: Path, concurrency: int = 0, beat: bool = False):
        """`concurrency` 0: the solo pool (one process); n: n prefork processes. `beat`: beat embedded."""
        self.env, self.log_dir = env, log_dir
        self.concurrency, self.beat = concurrency, beat
        self.process: subprocess.Popen | None = None
        self.starts = 0
        self.log_path: Path | None = None
        self.ready_at: float | None = None  # time.monotonic() when the last start was ready

    def command(self) -> list[str]:
        pool = ["--pool=prefork", f"--concurrency={self.concurrency}"] if self.concurrency else ["--pool=solo"]
        beat = ["--beat", "--schedule", str(self.log_dir / "celerybeat-schedule")] if self.beat else []
        return [
            str(CELERY),
            "-A",
            "intranet",
            "worker",
            *pool,
            *beat,
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"test-worker-{os.getpid()}-{self.starts}@%h",
        ]

    def start(self, *, timeout: float = 60) -> None:
        self.starts += 1
        self.log_path = self.log_dir / f"worker-{self.starts}.log"
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 (our own venv's celery)
                self.command(),
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: pool processes and beat die with it
            )
        deadline = time.monotonic() + timeout
        while " ready." not in self.log():
            if self.process.poll() is not None or time.monotonic() > deadline:
                output = self.log()[-3000:]
                self.stop()
                pytest.fail(f"The Celery worker did not start:\n{output}")
            time.sleep(0.1)
        self.ready_at = time.monotonic()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path else ""

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL to the whole process group (main process, pool processes, embedded beat): no
        warm shutdown, no ack, no cleanup, as when the machine loses it."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while _group_alive(self.process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)

    def terminate(self, *, timeout: float = 90) -> float:
        """SIGTERM to the main process only, as `docker compose stop|restart` sends it: a warm
        shutdown. Returns the seconds it took to exit."""
        started = time.monotonic()
        if self.alive:
            self.process.terminate()
            self.process.wait(timeout=timeout)
        return time.monotonic() - started

    def stop(self, *, timeout: float = 15) -> None:
        if self.alive:
            self.process.terminate()  # warm shutdown: finishes the task at hand
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=timeout)
        self.kill()  # what is left of the group (pool processes, beat)

    def restart(self) -> None:
        self.stop()
        self.start()


def _this_tree_only(tmp_path: Path) -> Path:
    """A folder for PYTHONPATH whose sitecustomize puts this worktree first on sys.path and drops
    setuptools' editable finder: an editable install made from another checkout (a shared
    virtualenv) would otherwise supply the modules this tree lacks, and the worker would run a
    mixture of both."""
    folder = tmp_path / "pythonpath"
    folder.mkdir(exist_ok=True)
    (folder / "sitecustomize.py").write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(BASE_DIR)!r})\n"
        "sys.meta_path[:] = [f for f in sys.meta_path if not getattr(f, '__name__', '').startswith('_Editable')]\n"
    )
    return folder


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@pytest.fixture
def celery_worker_process(smtp_server, tmp_path):
    """A real worker in its own process (see the module's docstring). Skips, or fails under
    CI, without REDIS_URL or a PostgreSQL DATABASE_URL."""
    yield from _worker(smtp_server, tmp_path)


@pytest.fixture
def celery_worker_with_beat(smtp_server, tmp_path):
    """A real worker as production runs it: two prefork processes, beat embedded."""
    yield from _worker(smtp_server, tmp_path, concurrency=2, beat=True)


@pytest.fixture
def private_redis(tmp_path):
    """A redis-server of the test's own, on a free port, that the test may stop and start again
    (never the machine's Redis on 6379, which other runs use). No persistence: a restart loses
    what was queued, the worst case of a broker restart."""
    from tests.conftest import skip_or_fail

    binary = shutil.which("redis-server")
    if not binary:
        skip_or_fail("The broker-restart tests need redis-server on the PATH")
    server = RedisServer(binary, port=free_port(), folder=tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


class RedisServer:
    def __init__(self, binary: str, *, port: int, folder: Path):
        self.binary, self.port, self.folder = binary, port, folder
        self.process: subprocess.Popen | None = None
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self, *, timeout: float = 10) -> None:
        import redis

        self.process = subprocess.Popen(  # noqa: S603 (Debian's redis-server)
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        wait_until(lambda: _pings(client), timeout=timeout, message="redis-server ready")
        client.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


def _pings(client) -> bool:
    import redis

    try:
        return bool(client.ping())
    except redis.RedisError:
        return False


@pytest.fixture
def celery_worker_on_private_redis(smtp_server, tmp_path, private_redis):
    """A worker as production runs it (two prefork processes, beat embedded) on `private_redis`
    (broker and cache), which the test may stop and start again."""
    yield from _worker(smtp_server, tmp_path, concurrency=2, beat=True, redis_url=private_redis.url)


def _worker(smtp_server, tmp_path, *, redis_url: str = "", **options):
    from django.db import connection

    from tests.conftest import skip_or_fail

    private = bool(redis_url)
    redis_url = redis_url or os.environ.get("REDIS_URL", "")
    if not redis_url:
        skip_or_fail("The Celery worker tests need Redis: set REDIS_URL")
    database_url = worker_database_url()
    if not database_url:
        skip_or_fail(
            "The Celery worker tests need PostgreSQL (a worker process cannot see a SQLite "
            "test database): set DATABASE_URL=postgres://…"
        )
    if connection.in_atomic_block:
        pytest.fail("A worker only sees committed rows: mark the test @pytest.mark.django_db(transaction=True)")

    import redis

    try:
        broker_url, client = (redis_url, redis.Redis.from_url(redis_url)) if private else _claim_redis_db(redis_url)
    except redis.RedisError as error:
        skip_or_fail(f"Redis at {redis_url} is not reachable: {error}")
    if client is None:
        skip_or_fail(f"No free Redis database among {list(WORKER_REDIS_DBS)} for the worker tests")

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "intranet.settings",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "tests-only-worker-secret-key-0123456789"),
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "0",
        "REDIS_URL": broker_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_server.port}",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "MEDIA_ROOT": str(tmp_path / "media"),  # files the worker writes (documents): the test's own
        "PYTHONUNBUFFERED": "1",
        # This worktree's code only, whatever the virtualenv's editable install points at.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(_this_tree_only(tmp_path)), os.environ.get("PYTHONPATH", "")])),
    }
    worker = CeleryWorkerProcess(env=env, log_dir=tmp_path, **options)
    worker.broker_url = broker_url
    with celery_broker(broker_url):
        worker.start()
        try:
            yield worker
        finally:
            worker.stop()
            with contextlib.suppress(redis.RedisError):
                client.flushdb()
            client.close()


# --- Database -----------------------------------------------------------------------------


@contextlib.contextmanager
def rolled_back_transaction(using: str = "default"):
    """A transaction rolled back at the end, for data a module's tests share (a module-scoped
    fixture under `django_db_blocker.unblock()`): each test's own transaction becomes a
    savepoint inside it. Marked as Django's TestCase marks its own, so a durable service may
    still run in the tests."""
    from django.db import transaction

    atomic = transaction.atomic(using=using)
    atomic._from_testcase = True
    atomic.__enter__()
    try:
        yield
    finally:
        transaction.set_rollback(True, using=using)
        atomic.__exit__(None, None, None)
