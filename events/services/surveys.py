"""The satisfaction questionnaire (surveys): attached over the sessions, sent after each one."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event, Registration, Session
from events.permissions import can_edit_event
from intranet.services import audit_log_record

SURVEY_SEND_WITHIN = timedelta(days=7)  # a session ended longer ago is not surveyed any more


@transaction.atomic
def event_survey_attach(*, event: Event, survey, user) -> Event:
    """One questionnaire (a survey the person manages) over the event's sessions: a survey session
    per session, so its results read per session and overall. Each session's people are invited
    when it has ended (session_surveys_send)."""
    from surveys.models import Survey
    from surveys.permissions import can_manage_survey
    from surveys.services.questionnaire import session_create as survey_session_create

    event = Event.objects.select_for_update().get(pk=event.pk)
    if not can_edit_event(user, event):
        raise PermissionDenied
    if not can_manage_survey(user, survey):
        raise ValidationError({"survey": _("Choisissez un questionnaire dont vous êtes l'auteur.")})
    if survey.status == Survey.Status.CLOSED:
        raise ValidationError({"survey": _("Ce questionnaire est clôturé.")})
    if event.survey_id and event.sessions.filter(survey_sent_at__isnull=False).exists():
        raise ValidationError(_("Le questionnaire a déjà été envoyé après une séance : il ne change plus."))
    event.sessions.update(survey_session=None)
    event.survey = survey
    event.save(update_fields=["survey"])
    labels = set(survey.sessions.values_list("label", flat=True))
    for session in event.sessions.filter(status=Session.Status.SCHEDULED).order_by("starts_at", "pk"):
        base = f"{session.label or event.title} — {timezone.localtime(session.starts_at):%d/%m/%Y %H:%M}"[:240]
        label, number = base, 1
        while label in labels:
            number += 1
            label = f"{base} ({number})"
        labels.add(label)
        survey_session = survey_session_create(
            survey=survey, label=label, held_on=timezone.localtime(session.starts_at).date()
        )
        Session.objects.filter(pk=session.pk).update(survey_session=survey_session)
    audit_log_record(actor=user, action="event.survey", target=event, details={"survey": survey.pk})
    return event


def session_surveys_send(*, now: datetime | None = None) -> int:
    """After a session (within a week): those who came (checked in; those registered when nobody
    was) are invited to the event's questionnaire, for that session, once. Returns the sessions."""
    from surveys.models import Survey
    from surveys.services.invitations import survey_invite

    now = now or timezone.now()
    due = Session.objects.live().filter(
        ends_at__lte=now,
        ends_at__gt=now - SURVEY_SEND_WITHIN,
        survey_sent_at__isnull=True,
        survey_session__isnull=False,
        event__survey__isnull=False,
        event__survey__status__in=[Survey.Status.DRAFT, Survey.Status.SCHEDULED, Survey.Status.OPEN],
    )
    sent = 0
    for session_id in due.values_list("pk", flat=True):
        with transaction.atomic(durable=True):
            session = (
                Session.objects.select_for_update(of=("self",))
                .select_related("event__survey", "survey_session")
                .filter(pk=session_id, survey_sent_at__isnull=True)
                .first()
            )
            if session is None:
                continue
            seated = Registration.objects.filter(session=session, status=Registration.Status.CONFIRMED)
            present = seated.filter(checked_in_at__isnull=False)
            agents = (present if session.checked_in_count else seated).values_list("agent_id", flat=True)
            survey_invite(survey=session.event.survey, agents=list(agents), session=session.survey_session)
            session.survey_sent_at = now
            session.save(update_fields=["survey_sent_at"])
        sent += 1
    return sent
