"""Reads of the mailing app."""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, Min, OuterRef, QuerySet, Subquery
from django.utils import timezone

from intranet import workqueue
from mailing.models import Delivery, Mailing


def mailing_for_source(obj: models.Model) -> Mailing | None:
    """The latest mailing of an object (a newsletter issue…), or None."""
    return (
        Mailing.objects.filter(source_type=ContentType.objects.get_for_model(obj), source_id=obj.pk)
        .order_by("-created_at", "-pk")
        .first()
    )


def _latest_mailing(model, source_pk):
    return (
        Mailing.objects.filter(source_type=ContentType.objects.get_for_model(model), source_id=source_pk)
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )


def source_reached(obj: models.Model, *, agent) -> bool:
    """Was this agent a recipient of the object's latest mailing (`mailing_for_source`,
    `mailing_reached`), asked in one query."""
    if agent is None or not getattr(agent, "is_authenticated", False):
        return False
    return Delivery.objects.filter(mailing_id=Subquery(_latest_mailing(obj, obj.pk)), agent_id=agent.pk).exists()


def source_reached_expression(model, *, agent) -> Exists:
    """`source_reached` for each row of a query on `model` (an annotation: the object's page reads
    the object and whether its reader was reached in one query)."""
    latest = _latest_mailing(model, OuterRef(OuterRef("pk")))
    return Exists(Delivery.objects.filter(mailing_id=Subquery(latest), agent_id=agent.pk))


def mailing_reached(*, mailing: Mailing, agent) -> bool:
    """Was this agent a recipient of the mailing (by e-mail or on paper)? False before the audience
    is frozen (the send has not started)."""
    if agent is None or not getattr(agent, "is_authenticated", False):
        return False
    return mailing.deliveries.filter(agent_id=agent.pk).exists()


def mailing_progress(mailing: Mailing) -> dict:
    """{total, sent, failed, remaining, paper, cancelled, by_email, percent}: percent is the share of
    the e-mail deliveries settled (sent or failed or cancelled)."""
    return _progress(Delivery.objects.filter(mailing_id=mailing.pk))


def mailings_progress(mailing_ids) -> dict:
    """mailing_progress summed over several mailings (one send its caller split, a message per group
    of recipients), in one query; `mailing_ids` may be a subquery."""
    return _progress(Delivery.objects.filter(mailing_id__in=mailing_ids))


def _progress(deliveries: QuerySet[Delivery]) -> dict:
    counts = deliveries.progress()
    by_email = counts["total"] - counts["paper"]
    settled = counts["sent"] + counts["failed"] + counts["cancelled"]
    counts["by_email"] = by_email
    counts["percent"] = round(100 * settled / by_email) if by_email else (100 if counts["total"] else 0)
    return counts


def mailing_list() -> QuerySet[Mailing]:
    return Mailing.objects.select_related("created_by").order_by("-created_at", "-pk")


def delivery_list(*, mailing: Mailing, status: str = "") -> QuerySet[Delivery]:
    """The per-recipient log (the row holds the frozen name and address: no join)."""
    deliveries = Delivery.objects.filter(mailing_id=mailing.pk).order_by("name", "pk")
    if status:
        deliveries = deliveries.filter(status=status)
    return deliveries


def mailing_activity(mailing: Mailing, *, now: datetime | None = None) -> dict | None:
    """What holds a send up, for its progress page, or None when it is moving (or not sending):
    {"state": "smtp", "retry_in": seconds, "error"} the SMTP server cannot be reached;
    {"state": "waiting", "count", "next_at"} every row left waits for a retry after a 4xx answer;
    {"state": "no_worker"} no live worker is on it (beat's recovery publishes it again)."""
    if mailing.status != Mailing.Status.SENDING:
        return None
    from mailing.services import SENDERS, senders_per_mailing

    now = now or timezone.now()
    if mailing.retry_at is not None:
        return {
            "state": "smtp",
            "retry_in": max(0, round((mailing.retry_at - now).total_seconds())),
            "error": mailing.last_error,
        }
    pending = Delivery.objects.filter(mailing_id=mailing.pk, status=Delivery.Status.PENDING)
    due = pending.filter(models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now))
    if not due.exists():
        waiting = pending.aggregate(count=models.Count("pk"), next_at=Min("next_attempt_at"))
        return {"state": "waiting", **waiting} if waiting["count"] else None
    quiet_since = now - workqueue.stalled_after() - workqueue.recovery_tick()
    if (mailing.dispatched_at is None or mailing.dispatched_at < quiet_since) and not workqueue.held(
        SENDERS, mailing.pk, slots=senders_per_mailing()
    ):
        return {"state": "no_worker"}
    return None
