"""The beat's daily work (`onboarding_daily`), and the 3-month satisfaction survey it sends through
the surveys app."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onboarding.models import Arrival
from onboarding.services.integration_days import sessions_invite_upcoming
from onboarding.services.journeys import journey_reminders_send
from onboarding.services.welcome_guide import guide_dispatch_pending
from surveys.models import Survey
from surveys.services.drafting import survey_create_from_template
from surveys.services.invitations import survey_invite

# The 3-month satisfaction survey is sent this long after the arrival.
SURVEY_AFTER = timedelta(days=90)


def arrival_surveys_send(*, today: date | None = None) -> int:
    """The 3-month satisfaction survey (seed 001, 5.4: "grille de satisfaction"): one survey
    per quarter of arrivals, from the surveys app's "onboarding_3_months" template, sent to
    the arrivals of 3 months ago and to their parrains and marraines."""
    today = today or timezone.localdate()
    sent = 0
    due = Arrival.objects.filter(survey_sent_at__isnull=True, arrival_date__lte=today - SURVEY_AFTER)
    for arrival in due.select_related("agent", "buddy")[:500]:
        with transaction.atomic():
            locked = (
                Arrival.objects.select_for_update(skip_locked=True)
                .filter(pk=arrival.pk, survey_sent_at__isnull=True)
                .first()
            )
            if locked is None:
                continue
            quarter = (arrival.arrival_date.month - 1) // 3 + 1
            title = _("Votre accueil, trois mois après (arrivées du T%(quarter)s %(year)s)") % {
                "quarter": quarter,
                "year": arrival.arrival_date.year,
            }
            survey = _quarter_survey(title=title, author=arrival.created_by, today=today)
            agents = [a for a in (arrival.agent, arrival.buddy) if a is not None]
            sent += survey_invite(survey=survey, agents=agents)
            locked.survey_sent_at = timezone.now()
            locked.save(update_fields=["survey_sent_at"])
    return sent


def _quarter_survey(*, title: str, author, today: date):
    survey = Survey.objects.filter(title=title).exclude(status=Survey.Status.CLOSED).order_by("-pk").first()
    if survey is None:
        survey = survey_create_from_template(
            template="onboarding_3_months",
            title=title,
            author=author,
            opens_on=today,
        )
    return survey


def onboarding_daily(*, today: date | None = None) -> dict:
    """The beat's work, idempotent: reminders due, invitations, the 3-month surveys, guides lost."""
    return {
        "reminders": journey_reminders_send(today=today),
        "invitations": sessions_invite_upcoming(today=today),
        "surveys": arrival_surveys_send(today=today),
        "guides": guide_dispatch_pending(),
    }
