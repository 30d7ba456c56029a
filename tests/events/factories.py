from datetime import timedelta

import factory
from django.utils import timezone

from events.models import Event, Registration, Session
from tests.factories import AgentFactory, SiteFactory


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Réunion d'information {n}")
    kind = Event.Kind.MEETING
    audience = {"everyone": True}
    status = Event.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def organisers(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisers.set(extracted)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda session: session.starts_at + timedelta(hours=2))
    site = factory.SubFactory(SiteFactory)
    room = "Salle du conseil"
    capacity = 20


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed registration, counted on its session (as the services do)."""

    class Meta:
        model = Registration
        skip_postgeneration_save = True

    session = factory.SubFactory(SessionFactory)
    agent = factory.SubFactory(AgentFactory)
    status = Registration.Status.CONFIRMED
    waiting_since = factory.LazyAttribute(lambda r: timezone.now() if r.status == Registration.Status.WAITING else None)

    @factory.post_generation
    def counted(self, create, extracted, **kwargs):
        if create:
            field = {"confirmed": "confirmed_count", "waiting": "waiting_count"}.get(self.status)
            if field:
                Session.objects.filter(pk=self.session_id).update(**{field: getattr(self.session, field) + 1})
                setattr(self.session, field, getattr(self.session, field) + 1)
