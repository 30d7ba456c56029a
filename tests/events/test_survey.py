"""The satisfaction questionnaire through the surveys app: one survey over the event's sessions (a
survey session each), sent after each session to those who came, its results per session."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from events import services
from surveys.models import Invitation
from tests.events.factories import EventFactory, RegistrationFactory, SessionFactory
from tests.surveys.factories import SurveyFactory

pytestmark = pytest.mark.django_db


def _held(event, hours_ago=3):
    start = timezone.now() - timedelta(hours=hours_ago)
    return SessionFactory(event=event, starts_at=start, ends_at=start + timedelta(hours=2))


def test_the_questionnaire_goes_after_each_session_to_those_who_came_once(rh, django_capture_on_commit_callbacks):
    event = EventFactory(single_session=False)
    held, coming = _held(event), SessionFactory(event=event)
    came = RegistrationFactory(session=held)
    RegistrationFactory(session=held)  # registered, did not come
    services.registration_check_in(registration=came, user=rh)
    survey = SurveyFactory(title="Votre avis sur la réunion", authors=[rh])
    services.event_survey_attach(event=event, survey=survey, user=rh)
    held.refresh_from_db()
    coming.refresh_from_db()
    assert held.survey_session.survey == survey
    assert coming.survey_session.survey == survey
    assert survey.sessions.count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        assert services.session_surveys_send() == 1
    invitation = Invitation.objects.get(survey=survey)
    assert invitation.agent_id == came.agent_id
    assert invitation.session == held.survey_session
    assert services.session_surveys_send() == 0
    with pytest.raises(ValidationError, match="déjà été envoyé"):
        services.event_survey_attach(event=event, survey=SurveyFactory(authors=[rh]), user=rh)


def test_only_a_survey_one_manages(rh, communication):
    event = SessionFactory().event
    with pytest.raises(ValidationError, match="dont vous êtes l'auteur"):
        services.event_survey_attach(event=event, survey=SurveyFactory(authors=[communication]), user=rh)


def test_the_organiser_chooses_it_on_the_event_page_and_reads_its_results(client, rh):
    event = SessionFactory().event
    survey = SurveyFactory(title="Votre avis sur la réunion", authors=[rh])
    client.force_login(rh)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Questionnaire de satisfaction" in page
    response = client.post(reverse("events:event-survey", args=[event.pk]), {"survey": survey.pk}, follow=True)
    page = response.content.decode()
    assert "Questionnaire choisi" in page
    assert reverse("surveys:survey-results", args=[survey.pk]) in page
