"""The surveys app's Celery tasks: thin, each calls services; the rows say what is left to do."""

from celery import shared_task
from celery.utils.log import get_task_logger

from intranet.tasks import RETRY_ON_DATABASE_ERRORS
from surveys.services.invitations import invitations_mail_pending, reminders_send, survey_auto_remind
from surveys.services.status import survey_status_sync

logger = get_task_logger(__name__)


@shared_task(**RETRY_ON_DATABASE_ERRORS)
def survey_invitations_mail_task(survey_id: int) -> None:
    count = invitations_mail_pending(survey_id=survey_id)
    logger.info("Survey %s: %s invitation e-mail(s) queued", survey_id, count)


@shared_task(**RETRY_ON_DATABASE_ERRORS)
def survey_reminders_task(survey_id: int) -> None:
    count = reminders_send(survey_id=survey_id)
    logger.info("Survey %s: %s reminder(s) queued", survey_id, count)


@shared_task(**RETRY_ON_DATABASE_ERRORS)
def surveys_daily_task() -> None:
    """Beat (hourly, idempotent): statuses follow the dates; automatic reminders before closing;
    what a lost task left undone (invitations not mailed, reminders asked for and not sent)."""
    changed = survey_status_sync()
    asked = survey_auto_remind()
    invited = invitations_mail_pending()
    reminded = reminders_send()
    logger.info(
        "Surveys: %s status change(s), %s automatic reminder(s) asked, %s invitation(s) and %s reminder(s) e-mailed",
        changed,
        asked,
        invited,
        reminded,
    )
