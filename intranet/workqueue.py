"""Work kept in the database, executed by Celery: the one way to publish a task, to hold a
worker slot, to notice a shutting-down worker, and to find stalled work again.

The rows are the work (an outbox mail, a delivery, an invitation to mail, a document to render);
a Celery message only says « look at the rows ». So:

- `publish(task, *args)` never fails its caller: a broker error is logged and the rows wait for
  beat's recovery; `publish_on_commit(task, *args)` publishes after the commit.
- `slot(name, key)` is held by a task while it works on `key` (a PostgreSQL session advisory lock,
  released by the server when the worker's connection closes, even when it is killed), and
  `held(name, key)` tells whether a live worker is on it.
- `recover_stalled_work()` (beat, every settings.WORK_RECOVERY_TICK seconds) asks every
  registered `intranet.registry.Recoverer` to publish again the work no live worker holds: the tasks a killed worker
  took with it, what was asked for while the broker was down, what waits for a retry.
- `stopping()` is true in a worker that received SIGTERM (a deployment): tasks that loop stop
  after the item in hand and hand the rest back (`publish` their continuation).

The timings are settings, stated together in intranet/settings.py (« Recovery ») and
docs/exploitation.md.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import zlib
from collections.abc import Iterator
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from kombu.exceptions import OperationalError as BrokerError

logger = logging.getLogger(__name__)


# --- Timings (settings, with their defaults here for the tests' overrides) -------------------


def recovery_tick() -> timedelta:
    """How often beat looks for stalled work."""
    return timedelta(seconds=getattr(settings, "WORK_RECOVERY_TICK", 10))


def stalled_after() -> timedelta:
    """Work published this long ago that no live worker holds is published again."""
    return timedelta(seconds=getattr(settings, "WORK_STALLED_AFTER", 15))


def batch_seconds() -> float:
    """A task that loops stops after this long and publishes its continuation."""
    return float(getattr(settings, "WORK_BATCH_SECONDS", 60))


# --- Publishing ------------------------------------------------------------------------------


def publish(task, *args) -> bool:
    """Publish `task(*args)`; False when the broker cannot be reached (logged, not raised: the rows
    are the request, and beat's recovery publishes it again once the broker is back)."""
    try:
        task.delay(*args)
    except (BrokerError, OSError) as error:
        logger.warning("Broker unreachable, %s%s left for the recovery: %s", task.name, args, error)
        return False
    return True


def publish_copies(task, *args, copies: int = 1) -> bool:
    """Publish `copies` messages of `task(*args)` (workers that share the rows); stops at the
    first broker error."""
    return all(publish(task, *args) for _copy in range(copies))


def publish_on_commit(task, *args, copies: int = 1) -> None:
    """Publish `task(*args)` (`copies` messages: parallel workers on the same rows) after the
    current transaction commits, at once outside one; nothing when it rolls back."""
    transaction.on_commit(partial(publish_copies, task, *args, copies=copies))


# --- Slots: which work a live worker holds ---------------------------------------------------


def _lock_class(name: str, number: int) -> int:
    return zlib.crc32(f"{name}:{number}".encode()) & 0x7FFFFFFF


@contextlib.contextmanager
def slot(name: str, key: int = 0, *, slots: int = 1) -> Iterator[int | None]:
    """Take one of `slots` slots of the work `name`/`key` for the time of the block: yields its
    number, or None when every slot is held (the caller has nothing to do). On PostgreSQL a
    session advisory lock per slot, freed by the server when the holder's connection closes;
    elsewhere (SQLite: one worker process) always slot 0."""
    if connection.vendor != "postgresql":
        yield 0
        return
    taken = None
    with connection.cursor() as cursor:
        for number in range(max(1, slots)):
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_lock_class(name, number), key])
            if cursor.fetchone()[0]:
                taken = number
                break
    try:
        yield taken
    finally:
        if taken is not None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_lock_class(name, taken), key])


def held(name: str, key: int = 0, *, slots: int = 1) -> bool:
    """Does a live session hold a slot of `name`/`key`? Always False off PostgreSQL (the recovery
    then publishes again and the task finds its slot taken or nothing to do)."""
    if connection.vendor != "postgresql":
        return False
    classes = [_lock_class(name, number) for number in range(max(1, slots))]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " AND classid::bigint = ANY(%s) AND objid::bigint = %s)",
            [classes, key],
        )
        return cursor.fetchone()[0]


# --- Quiet ticks -----------------------------------------------------------------------------

RECOVERY_TASK = "intranet.tasks.recover_stalled_work_task"


class QuietRecoveryTicks(logging.Filter):
    """Drops Celery's « received / succeeded / sending due task » lines of the recovery tick (six
    per minute, all alike); the tick logs itself when it publishes something, and its failures
    still show."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.INFO:
            return True
        try:
            text = record.getMessage()
        except Exception:  # noqa: BLE001 (a malformed record is not ours to judge)
            return True
        return RECOVERY_TASK not in text and "recover-stalled-work" not in text


def quiet_recovery_ticks() -> None:
    for name in ("celery.app.trace", "celery.worker.strategy", "celery.beat"):
        logger_ = logging.getLogger(name)
        if not any(isinstance(existing, QuietRecoveryTicks) for existing in logger_.filters):
            logger_.addFilter(QuietRecoveryTicks())


# --- A worker asked to stop (SIGTERM) --------------------------------------------------------

_stopping = None  # a byte shared with the pool's processes, created before they are forked


def worker_starting() -> None:
    """Called in the worker's main process before its pool starts (celery's worker_init)."""
    global _stopping
    _stopping = multiprocessing.RawValue("b", 0)
    quiet_recovery_ticks()


def worker_stopping() -> None:
    """Called when the worker begins its warm shutdown (celery's worker_shutting_down)."""
    if _stopping is not None:
        _stopping.value = 1


def stopping() -> bool:
    """True in a worker shutting down: a looping task stops after the item in hand."""
    return bool(_stopping is not None and _stopping.value)


# --- Recovery ----------------------------------------------------------------------------------


def recover_stalled_work() -> dict[str, int]:
    """Run every registered `intranet.registry.Recoverer` (one failing does not stop the others);
    {key: tasks published}."""
    from intranet.registry import registry

    done = {}
    for key, recoverer in sorted(registry.recoverers.items()):
        try:
            done[key] = recoverer.recover()
        except Exception:  # noqa: BLE001 (logged; the next tick tries again)
            logger.exception("Recovery of %s failed", key)
    return done
