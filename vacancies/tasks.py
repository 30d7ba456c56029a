"""The vacancies app's Celery tasks: thin, they call one service each."""

from celery import shared_task
from celery.utils.log import get_task_logger

from intranet.tasks import RETRY_ON_DATABASE_ERRORS
from vacancies.services.postings import vacancy_close_past_deadline

logger = get_task_logger(__name__)


@shared_task(**RETRY_ON_DATABASE_ERRORS)
def vacancies_close_past_deadline_task() -> None:
    """Bookkeeping only: pages already treat a vacancy past its deadline as closed."""
    closed = vacancy_close_past_deadline()
    logger.info("Vacancies closed at their deadline: %s", closed)
