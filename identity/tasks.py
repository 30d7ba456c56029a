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


@shared_task(**RETRY_ON_DATABASE_ERRORS)
def directory_sync_task() -> None:
    from identity import ldap

    if not ldap.configured():
        return
    report = ldap.directory_sync(dry_run=False)
    logger.info("Directory sync: %s", "; ".join(report.lines()[1:6]))
