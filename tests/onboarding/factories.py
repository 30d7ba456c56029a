import datetime

import factory
from django.utils import timezone

from events.models import Event
from onboarding.models import (
    Arrival,
    Assignee,
    BuddyVolunteer,
    GuideChapter,
    IntegrationDay,
    JourneyTemplate,
    Phase,
    TemplateTask,
)
from tests.events.factories import EventFactory, SessionFactory
from tests.factories import AgentFactory


class JourneyTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JourneyTemplate

    name = factory.Sequence(lambda n: f"Parcours {n}")
    it_email = "informatique@test.local"


class TemplateTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TemplateTask

    template = factory.SubFactory(JourneyTemplateFactory)
    title = factory.Sequence(lambda n: f"Tâche {n}")
    phase = Phase.DAY_ONE
    assignee = Assignee.AGENT
    offset_days = 0


class ArrivalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Arrival

    agent = factory.SubFactory(AgentFactory)
    arrival_date = factory.LazyFunction(timezone.localdate)


class BuddyVolunteerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BuddyVolunteer

    agent = factory.SubFactory(AgentFactory)
    capacity = 1


class GuideChapterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuideChapter

    title = factory.Sequence(lambda n: f"Chapitre {n}")
    body = "<p>Texte du chapitre.</p>"
    order = factory.Sequence(lambda n: n)


class IntegrationDayFactory(factory.django.DjangoModelFactory):
    """A journée d'intégration: its event (events app, kind « journée d'intégration ») with its one
    session on `date`, at `place`, with `capacity` seats, and the period of arrivals it invites."""

    class Meta:
        model = IntegrationDay

    class Params:
        title = "Journée d'intégration"
        date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
        place = "Hôtel de la communauté, salle du conseil"
        capacity = 2

    event_session = factory.LazyAttribute(
        lambda day: SessionFactory(
            event=EventFactory(title=day.title, kind=Event.Kind.INTEGRATION, audience={"agents": []}),
            starts_at=datetime.datetime.combine(day.date, datetime.time(9), tzinfo=timezone.get_current_timezone()),
            ends_at=datetime.datetime.combine(day.date, datetime.time(17), tzinfo=timezone.get_current_timezone()),
            site=None,
            room=day.place,
            capacity=day.capacity,
        )
    )
    arrivals_from = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=60))
    arrivals_to = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=20))
