"""The core's Celery tasks: thin, they call one service each. The rows in the database are the
work (intranet.workqueue): a task delivered twice does nothing twice."""

from celery import shared_task
from celery.utils.log import get_task_logger
from django.db import InterfaceError, OperationalError

from intranet import services, workqueue

logger = get_task_logger(__name__)


# The database went away: try again soon, well under the broker's visibility timeout.
RETRY_ON_DATABASE_ERRORS = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "max_retries": 5,
}


@shared_task(**RETRY_ON_DATABASE_ERRORS)
def send_pending_emails_task() -> None:
    counts = services.email_send_pending()
    if any(counts.values()):
        logger.info("Outbox: %s", counts)


@shared_task(**RETRY_ON_DATABASE_ERRORS)
def render_pending_documents_task() -> None:
    counts = services.document_render_pending()
    if any(counts.values()):
        logger.info("Documents: %s", counts)


@shared_task
def recover_stalled_work_task() -> None:
    """Beat, every settings.WORK_RECOVERY_TICK seconds; also the workers' heartbeat."""
    services.heartbeat_record(key="worker")
    published = {name: count for name, count in workqueue.recover_stalled_work().items() if count}
    if published:
        logger.info("Stalled work published again: %s", published)


@shared_task
def todo_digests_task() -> None:
    count = services.todo_digests_send()
    if count:
        logger.info("%s « À faire » digest(s) queued", count)


@shared_task(**RETRY_ON_DATABASE_ERRORS)
def retention_purge_task() -> None:
    """Beat, every night: what is kept only for a while (intranet.retention)."""
    from intranet import retention

    retention.retention_purge()
