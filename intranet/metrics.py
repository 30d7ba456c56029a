"""Prometheus metrics of what the site does in the background, computed from the database when
Prometheus scrapes `/metrics` (exact whichever process answers; django-prometheus adds the
requests' own metrics). Served to the addresses of settings.METRICS_ALLOWED_NETWORKS only. Apps
add their own collectors with `register(collector)` from their plugins (mailing/metrics.py)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY, Collector


class BackgroundWorkCollector(Collector):
    def describe(self):
        """The names, without touching the database (called when the collector is registered, at
        startup, maybe before the migrations)."""
        for name in (
            "maison_commune_outbox_emails",
            "maison_commune_outbox_oldest_pending_seconds",
            "maison_commune_documents",
            "maison_commune_heartbeat_age_seconds",
            "maison_commune_smtp_unreachable",
            "maison_commune_celery_queued_tasks",
        ):
            yield GaugeMetricFamily(name, "")

    def collect(self):
        from intranet import smtp
        from intranet.models import DocumentRequest, Heartbeat, OutgoingEmail

        now = timezone.now()
        outbox = GaugeMetricFamily(
            "maison_commune_outbox_emails", "Single e-mails of the outbox by status", labels=["status"]
        )
        counts = dict(OutgoingEmail.objects.values_list("status").annotate(n=Count("pk")))
        for status in OutgoingEmail.Status.values:
            outbox.add_metric([status], counts.get(status, 0))
        yield outbox
        oldest = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING).aggregate(at=Min("created_at"))["at"]
        yield GaugeMetricFamily(
            "maison_commune_outbox_oldest_pending_seconds",
            "Age of the oldest e-mail waiting to be sent (0: none)",
            value=(now - oldest).total_seconds() if oldest else 0,
        )
        documents = GaugeMetricFamily(
            "maison_commune_documents", "Documents (PDFs) asked for, by status", labels=["status"]
        )
        counts = dict(DocumentRequest.objects.values_list("status").annotate(n=Count("pk")))
        for status in DocumentRequest.Status.values:
            documents.add_metric([status], counts.get(status, 0))
        yield documents
        ages = GaugeMetricFamily(
            "maison_commune_heartbeat_age_seconds",
            "Seconds since the worker ran the recovery tick, since beat published it",
            labels=["process"],
        )
        for key, at in Heartbeat.objects.values_list("key", "at"):
            ages.add_metric([key], (now - at).total_seconds())
        yield ages
        yield GaugeMetricFamily(
            "maison_commune_smtp_unreachable",
            "1 while the last try found the SMTP server unreachable",
            value=1 if smtp.waiting_for_server(now=now - timedelta(minutes=5)) else 0,
        )
        queued = _queued_tasks()
        if queued is not None:
            yield GaugeMetricFamily("maison_commune_celery_queued_tasks", "Tasks waiting in Redis", value=queued)


def _queued_tasks() -> int | None:
    from django.conf import settings

    if not getattr(settings, "REDIS_URL", ""):
        return None
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        return client.llen("celery")
    except redis.RedisError:
        return None
    finally:
        client.close()


_registered: set[str] = set()


def register(collector: Collector) -> None:
    """Add an app's collector to Prometheus's registry, once per process (apps' plugins)."""
    name = type(collector).__qualname__
    if name not in _registered:
        REGISTRY.register(collector)
        _registered.add(name)
