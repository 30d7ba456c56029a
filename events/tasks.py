"""The events app's Celery tasks: thin, they call one service each."""

from celery import shared_task
from celery.utils.log import get_task_logger

from events import services
from intranet.tasks import RETRY_ON_DATABASE_ERRORS

logger = get_task_logger(__name__)


@shared_task(**RETRY_ON_DATABASE_ERRORS)
def session_reminders_task() -> None:
    """Hourly: the sessions of tomorrow remind those registered, and the sessions just held invite
    those who came to the event's questionnaire; each once (idempotent)."""
    reminded = services.session_reminders_send()
    surveyed = services.session_surveys_send()
    if reminded or surveyed:
        logger.info("Sessions reminded: %s; surveyed: %s", reminded, surveyed)
