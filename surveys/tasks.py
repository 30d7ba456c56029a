"""The surveys app's Celery tasks: thin, each calls one service."""

from celery import shared_task
from celery.utils.log import get_task_logger

from intranet.tasks import RETRY_ON_DATABASE_ERRORS
from surveys import services

logger = get_task_logger(__name__)


@shared_task(**RETRY_ON_DATABASE_ERRORS)
def surveys_daily_task() -> None:
    """Beat (hourly, idempotent): statuses follow the dates; automatic reminders before closing."""
    changed = services.survey_status_sync()
    reminded = services.survey_auto_remind()
    logger.info("Surveys: %s status change(s), %s automatic reminder(s)", changed, reminded)
