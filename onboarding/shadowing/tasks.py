"""The job-shadowing app's Celery tasks: thin, over `services`."""

from celery import shared_task
from celery.utils.log import get_task_logger

from onboarding.shadowing.services.completion import visits_sweep

logger = get_task_logger(__name__)


@shared_task
def shadowing_sweep_task() -> dict:
    """Beat, hourly: evaluations left behind after a visit's commit, free wishes routed to HR."""
    counts = visits_sweep()
    if any(counts.values()):
        logger.info("Montre-moi ton job: %s", counts)
    return counts
