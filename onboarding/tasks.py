"""The onboarding app's Celery tasks: thin, they take ids and call one service each."""

from celery import shared_task
from celery.utils.log import get_task_logger

from intranet.tasks import RETRY_ON_DATABASE_ERRORS
from onboarding.services.daily import onboarding_daily
from onboarding.services.welcome_guide import guide_render_in_slot

logger = get_task_logger(__name__)


@shared_task(**RETRY_ON_DATABASE_ERRORS)
def render_guide_task(arrival_id: int) -> None:
    rendered = guide_render_in_slot(arrival_id=arrival_id)
    logger.info("Guide of arrival %s %s", arrival_id, "rendered" if rendered else "not rendered now")


@shared_task(**RETRY_ON_DATABASE_ERRORS)
def render_pending_guides_task() -> None:
    rendered = guide_render_in_slot()
    if rendered:
        logger.info("Guides rendered: %s", rendered)


@shared_task(**RETRY_ON_DATABASE_ERRORS)
def onboarding_daily_task() -> None:
    done = onboarding_daily()
    logger.info("Onboarding: %s", done)
