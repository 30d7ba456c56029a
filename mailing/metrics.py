"""The mailing engine's Prometheus metrics (registered by mailing/plugins.py; see intranet/metrics.py)."""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector


class DeliveriesCollector(Collector):
    """Deliveries of the mailings sending now or finished in the last week, by status (older ones
    no longer change)."""

    def describe(self):
        """The names, without touching the database (registration, at startup)."""
        yield GaugeMetricFamily("maison_commune_mailing_deliveries", "")
        yield GaugeMetricFamily("maison_commune_mailings_sending", "")

    def collect(self):
        from mailing.models import Delivery, Mailing

        now = timezone.now()
        recent = Q(mailing__status=Mailing.Status.SENDING) | Q(mailing__finished_at__gte=now - timedelta(days=7))
        family = GaugeMetricFamily(
            "maison_commune_mailing_deliveries",
            "Deliveries of the mailings sending or finished in the last 7 days, by status",
            labels=["status"],
        )
        counts = dict(Delivery.objects.filter(recent).values_list("status").annotate(n=Count("pk")))
        for status in Delivery.Status.values:
            family.add_metric([status], counts.get(status, 0))
        yield family
        yield GaugeMetricFamily(
            "maison_commune_mailings_sending",
            "Mailings being sent now",
            value=Mailing.objects.filter(status=Mailing.Status.SENDING).count(),
        )
