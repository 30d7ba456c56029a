from celery import shared_task
from celery.utils.log import get_task_logger
from django.utils import timezone

from identity import partners
from intranet.tasks import RETRY_ON_DATABASE_ERRORS

logger = get_task_logger(__name__)


@shared_task(**RETRY_ON_DATABASE_ERRORS)
def partners_expire_task() -> None:
    ended = partners.partners_expire(today=timezone.localdate())
    logger.info("Partners whose access ended, signed out: %s", ended)
