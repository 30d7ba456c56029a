"""The mailing app's Celery tasks: thin, they take ids and call one service each. The state is in
the delivery rows, so a task delivered twice (acks late, rejected when its worker is lost) sends
nothing twice; no countdown: retries wait in the rows and beat's recovery publishes them."""

from celery import shared_task
from celery.utils.log import get_task_logger

from intranet.tasks import RETRY_ON_DATABASE_ERRORS
from mailing import services

logger = get_task_logger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True, **RETRY_ON_DATABASE_ERRORS)
def mailing_send_batch_task(mailing_id: int) -> None:
    counts = services.mailing_send_batch(mailing_id=mailing_id)
    logger.info("Mailing %s: %s", mailing_id, counts)
