"""The core's Celery tasks: thin, they take ids and call one service each."""

from celery import shared_task
from celery.utils.log import get_task_logger
from django.db import InterfaceError, OperationalError

from intranet import services

logger = get_task_logger(__name__)


# The database went away: try again soon, well under the broker's visibility timeout.
RETRY_ON_DATABASE_ERRORS = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "max_retries": 5,
}


@shared_task(**RETRY_ON_DATABASE_ERRORS)
def send_email_task(email_id: int) -> None:
    sent = services.email_send(email_id=email_id)
    logger.info("E-mail %s %s", email_id, "sent" if sent else "not sent (see its row)")


@shared_task
def dispatch_pending_emails_task() -> None:
    count = services.email_dispatch_pending()
    if count:
        logger.info("%s pending e-mail(s) published again", count)


@shared_task(**RETRY_ON_DATABASE_ERRORS)
def render_document_task(request_id: int) -> None:
    done = services.document_render(request_id=request_id)
    logger.info("Document %s %s", request_id, "rendered" if done else "not rendered (see its row)")


@shared_task
def dispatch_pending_documents_task() -> None:
    count = services.document_dispatch_pending()
    if count:
        logger.info("%s pending document(s) published again", count)
