"""A survey's status: publishing a draft, closing, and following the opening and closing dates (beat)."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from intranet.services import audit_log_record
from surveys.models import Invitation, Survey


def _status_for_dates(survey: Survey, *, today: date) -> str:
    """The status a published survey has on `today`."""
    if survey.closes_on is not None and today > survey.closes_on:
        return Survey.Status.CLOSED
    if survey.opens_on is not None and today < survey.opens_on:
        return Survey.Status.SCHEDULED
    return Survey.Status.OPEN


@transaction.atomic
def survey_publish(*, survey: Survey, user=None, today: date | None = None) -> Survey:
    """Draft → open (or scheduled until its opening date)."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if not survey.questions.exists():
        raise ValidationError(_("Ajoutez au moins une question avant de publier l'enquête."))
    if survey.status == Survey.Status.DRAFT:
        survey.status = _status_for_dates(survey, today=today or timezone.localdate())
        survey.save(update_fields=["status", "updated_at"])
        if user is not None:
            audit_log_record(actor=user, action="survey.publish", target=survey)
    return survey


def _drafts_delete(survey: Survey) -> None:
    Invitation.objects.filter(survey=survey, draft__isnull=False).update(draft=None)


@transaction.atomic
def survey_close(*, survey: Survey, user=None) -> Survey:
    """Close now: no more answers; the partial answers left are deleted."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    survey.status = Survey.Status.CLOSED
    if survey.closes_on is None or survey.closes_on >= timezone.localdate():
        survey.closes_on = timezone.localdate() - timedelta(days=1)
        if survey.opens_on and survey.opens_on > survey.closes_on:
            survey.opens_on = survey.closes_on
    survey.save(update_fields=["status", "closes_on", "opens_on", "updated_at"])
    _drafts_delete(survey)
    if user is not None:
        audit_log_record(actor=user, action="survey.close", target=survey)
    return survey


@transaction.atomic
def survey_status_sync(*, today: date | None = None) -> int:
    """Beat: published surveys follow their dates (scheduled → open → closed). Returns how many changed."""
    today = today or timezone.localdate()
    changed = 0
    published = (
        Survey.objects.exclude(status=Survey.Status.DRAFT)
        .filter(~Q(status=Survey.Status.CLOSED) | Q(closes_on__gte=today))
        .select_for_update(skip_locked=True)
    )
    for survey in published:
        status = _status_for_dates(survey, today=today)
        if status != survey.status:
            survey.status = status
            survey.save(update_fields=["status", "updated_at"])
            if status == Survey.Status.CLOSED:
                _drafts_delete(survey)
            changed += 1
    return changed
