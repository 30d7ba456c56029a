"""The reviews' Celery tasks: thin, they call one service each."""

from celery import shared_task
from celery.utils.log import get_task_logger

from actions.reviews.services.upkeep import review_reminders_send
from intranet.tasks import RETRY_ON_DATABASE_ERRORS

logger = get_task_logger(__name__)


@shared_task(**RETRY_ON_DATABASE_ERRORS)
def review_reminders_task() -> None:
    """Beat (hourly): remind pilots of stale cards and missing self-assessments before a review."""
    sent = review_reminders_send()
    logger.info("Reviews: %s reminder e-mail(s) queued", sent)
