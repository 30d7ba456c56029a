import datetime

import factory
from django.utils import timezone

from tests.factories import AgentFactory, OrgUnitFactory, SiteFactory
from vacancies.models import Concours, Interest, Vacancy


class VacancyFactory(factory.django.DjangoModelFactory):
    """A published vacancy open for two months, unless told otherwise."""

    class Meta:
        model = Vacancy

    reference = factory.Sequence(lambda n: f"TEST-{n:04d}")
    title = factory.Sequence(lambda n: f"Gestionnaire de paie {n}")
    org_unit = factory.SubFactory(OrgUnitFactory)
    site = factory.SubFactory(SiteFactory)
    category = Vacancy.Category.B
    grade = "Rédacteur territorial"
    description = "Missions :\n- tenir la paie\n- conseiller les agents"
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    contact_email = "recrutement@test.local"
    status = Vacancy.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class ConcoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Concours

    name = factory.Sequence(lambda n: f"Concours d'adjoint technique {n}")
    category = Vacancy.Category.C
    registration_opens = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=5))
    registration_closes = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    exam_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=90))
    preparation = "Préparation avec le CNFPT."
    status = Concours.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class InterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interest

    vacancy = factory.SubFactory(VacancyFactory)
    agent = factory.SubFactory(AgentFactory)
    message = "Ce poste m'intéresse."
