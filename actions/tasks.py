"""The actions app's Celery tasks: thin, they call one service each."""

from celery import shared_task
from celery.utils.log import get_task_logger

from actions.services.indicators import indicator_refresh_from_sources
from intranet.tasks import RETRY_ON_DATABASE_ERRORS

logger = get_task_logger(__name__)


@shared_task(**RETRY_ON_DATABASE_ERRORS)
def indicators_refresh_task() -> None:
    counts = indicator_refresh_from_sources()
    logger.info("Indicators fed by other modules: %s", counts)
