"""The content app's Celery tasks: thin, they call one service each."""

from celery import shared_task
from celery.utils.log import get_task_logger

from content import services
from intranet.tasks import RETRY_ON_DATABASE_ERRORS

logger = get_task_logger(__name__)


@shared_task(**RETRY_ON_DATABASE_ERRORS)
def page_review_reminders_task() -> None:
    """Daily: the owners of pages last reviewed a year ago are reminded once (idempotent)."""
    sent = services.page_review_reminders_send()
    logger.info("Page review reminders sent: %s", sent)


@shared_task(**RETRY_ON_DATABASE_ERRORS)
def document_texts_extract_task() -> None:
    """The text of the library's new versions, for the search (idempotent: pending ones only)."""
    done = services.document_texts_extract_pending()
    if done:
        logger.info("Document texts extracted: %s", done)
