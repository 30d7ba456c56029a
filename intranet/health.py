"""The health of the installation, part by part: the database, Redis, the worker, beat, the SMTP
server and the disk. `/sante/` gives it to monitors as JSON; `/sante/detail/` to administrators as
a page (intranet.views). Each check is cheap: a monitor may poll every few seconds."""

from __future__ import annotations

import contextlib
import shutil
import socket
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from intranet import smtp, workqueue
from intranet.models import Heartbeat

OK, WARNING, ERROR, OFF = "ok", "warning", "error", "off"
_SMTP_PROBE_KEY = "health:smtp-probe"
_SMTP_PROBE_SECONDS = 60  # one TCP connection to the SMTP server a minute at most, whoever polls


@dataclass
class Check:
    key: str
    status: str  # ok, warning, error, off (not used in this installation)
    summary: str  # French, for the administrators' page
    detail: str = ""  # technical (an error message): administrators only, never in the public JSON
    data: dict = field(default_factory=dict)  # figures for monitors (ages, latencies, sizes)


def database() -> Check:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # noqa: BLE001 (any failure is the finding)
        return Check("database", ERROR, _("La base de données ne répond pas."), f"{type(error).__name__}: {error}")
    latency = round((time.monotonic() - started) * 1000, 1)
    return Check("database", OK, _("La base de données répond."), data={"latency_ms": latency})


def redis_broker() -> Check:
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return Check("redis", OFF, _("Pas de Redis : la file de tâches est dans des fichiers (var/broker/)."))
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    started = time.monotonic()
    try:
        client.ping()
        queued = client.llen("celery")
    except redis.RedisError as error:
        return Check("redis", ERROR, _("Redis ne répond pas : les tâches attendent dans la base."), str(error))
    finally:
        client.close()
    latency = round((time.monotonic() - started) * 1000, 1)
    return Check(
        "redis",
        OK,
        _("Redis répond ; %(count)s tâche(s) en file.") % {"count": queued},
        data={"latency_ms": latency, "queued_tasks": queued},
    )


def _age(key: str, now: datetime) -> float | None:
    at = Heartbeat.objects.filter(key=key).values_list("at", flat=True).first()
    return None if at is None else max(0.0, (now - at).total_seconds())


def worker(now: datetime) -> Check:
    """The recovery tick runs in a worker every WORK_RECOVERY_TICK seconds; a worker busy with
    long batches may leave it waiting up to WORK_BATCH_SECONDS."""
    age = _age("worker", now)
    limit = workqueue.batch_seconds() + 3 * workqueue.recovery_tick().total_seconds()
    if age is None:
        return Check("worker", ERROR, _("Aucun worker ne s'est jamais signalé."))
    data = {"heartbeat_age_seconds": round(age)}
    if age <= limit:
        return Check("worker", OK, _("Un worker s'est signalé il y a %(age)s s.") % {"age": round(age)}, data=data)
    return Check(
        "worker",
        ERROR,
        _("Aucun worker ne s'est signalé depuis %(age)s s : les envois et les PDF attendent.") % {"age": round(age)},
        data=data,
    )


def beat(now: datetime) -> Check:
    age = _age("beat", now)
    limit = 3 * workqueue.recovery_tick().total_seconds()
    if age is None:
        return Check("beat", ERROR, _("Beat (l'horloge des tâches) ne s'est jamais signalé."))
    data = {"last_run_age_seconds": round(age)}
    if age <= limit:
        return Check("beat", OK, _("Beat a lancé la reprise il y a %(age)s s.") % {"age": round(age)}, data=data)
    return Check(
        "beat",
        ERROR,
        _("Beat n'a rien lancé depuis %(age)s s : plus de reprise ni de tâche planifiée.") % {"age": round(age)},
        data=data,
    )


def _smtp_probe() -> str:
    """ "" when a TCP connection to the SMTP server opens, else the error (cached a minute)."""
    try:
        cached = cache.get(_SMTP_PROBE_KEY)
    except Exception:  # noqa: BLE001 (no cache: probe every time)
        cached = None
    if cached is not None:
        return cached
    try:
        with socket.create_connection((settings.EMAIL_HOST, int(settings.EMAIL_PORT)), timeout=3):
            result = ""
    except OSError as error:
        result = f"{type(error).__name__}: {error}"
    with contextlib.suppress(Exception):  # the cache is only a shortcut
        cache.set(_SMTP_PROBE_KEY, result, _SMTP_PROBE_SECONDS)
    return result


def smtp_server(now: datetime) -> Check:
    if getattr(settings, "EMAIL_BACKEND", "") != smtp.SMTP_BACKEND:
        return Check("smtp", OFF, _("Pas de serveur SMTP : les courriels sont écrits dans des fichiers (var/mail/)."))
    state = smtp.unreachable_state()
    if state and state["retry_at"] > now - timedelta(minutes=5):
        return Check(
            "smtp",
            ERROR,
            _("Le serveur SMTP est injoignable depuis %(since)s ; nouvel essai toutes les %(seconds)s s.")
            % {
                "since": timezone.localtime(state["since"]).strftime("%H:%M:%S"),
                "seconds": settings.SMTP_RETRY_SECONDS,
            },
            state["error"],
        )
    error = _smtp_probe()
    if error:
        return Check("smtp", ERROR, _("Le serveur SMTP n'accepte pas de connexion."), error)
    return Check("smtp", OK, _("Le serveur SMTP accepte les connexions."))


def disk() -> Check:
    """The free space where the files (MEDIA_ROOT) and var/ live; warning under 10 % or 2 GB,
    error under 2 % or 500 MB."""
    worst, lines, data = OK, [], {}
    for name, path in (("media", settings.MEDIA_ROOT), ("var", settings.BASE_DIR / "var")):
        try:
            usage = shutil.disk_usage(path)
        except OSError:
            continue
        free_ratio = usage.free / usage.total if usage.total else 0
        status = OK
        if free_ratio < 0.02 or usage.free < 500 * 1024**2:
            status = ERROR
        elif free_ratio < 0.10 or usage.free < 2 * 1024**3:
            status = WARNING
        worst = max(worst, status, key=[OK, WARNING, ERROR].index)
        data[f"{name}_free_bytes"] = usage.free
        lines.append(
            _("%(name)s : %(free)s Go libres sur %(total)s Go")
            % {"name": name, "free": round(usage.free / 1024**3, 1), "total": round(usage.total / 1024**3, 1)}
        )
    summary = {OK: _("Assez d'espace disque."), WARNING: _("Peu d'espace disque."), ERROR: _("Disque presque plein.")}
    return Check("disk", worst, summary[worst], " ; ".join(lines), data)


def report(*, now: datetime | None = None) -> dict:
    """{"status": "ok" | "degraded" | "down", "checks": [Check…]}: down when the database does not
    answer (nothing works), degraded when any other part is in error or short of something."""
    now = now or timezone.now()
    db = database()
    checks = [db, redis_broker()]
    if db.status == OK:
        checks += [worker(now), beat(now)]
    checks += [smtp_server(now), disk()]
    if db.status == ERROR:
        status = "down"
    elif any(check.status in (ERROR, WARNING) for check in checks):
        status = "degraded"
    else:
        status = "ok"
    return {"status": status, "checked_at": now, "checks": checks}


def public_json(result: dict) -> dict:
    """What monitors get: statuses and figures, never an error message (they may name hosts)."""
    return {
        "status": result["status"],
        "checked_at": result["checked_at"].isoformat(),
        "checks": {check.key: {"status": check.status, **check.data} for check in result["checks"]},
    }


def as_dicts(result: dict) -> list[dict]:
    return [asdict(check) for check in result["checks"]]
