import datetime

import factory
from django.utils import timezone

from onboarding.shadowing.models import Availability, Campaign, Offer, Visit
from tests.factories import AgentFactory, OrgUnitFactory, SiteFactory


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    title = factory.Sequence(lambda n: f"Campagne {n}")
    wishes_open_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    wishes_close_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=20))
    visits_end_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=90))


class HostFactory(AgentFactory):
    """A colleague in another service, with a manager heading that service."""

    org_unit = factory.SubFactory(OrgUnitFactory, name=factory.Sequence(lambda n: f"Service accueillant {n}"))
    site = factory.SubFactory(SiteFactory)
    job_title = "Travailleuse sociale"


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    host = factory.SubFactory(HostFactory)
    job_title = factory.Sequence(lambda n: f"Métier {n}")
    description = "Accueil du public, instruction des dossiers d'aide sociale."
    org_unit = factory.LazyAttribute(lambda offer: offer.host.org_unit)
    site = factory.LazyAttribute(lambda offer: offer.host.site)
    availability = Availability.BOTH


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    campaign = factory.SubFactory(CampaignFactory)
    visitor = factory.SubFactory(AgentFactory)
    offer = factory.SubFactory(OfferFactory)
    host = factory.LazyAttribute(lambda visit: visit.offer.host if visit.offer else None)
    duration = Availability.HALF_DAY


def host_with_manager(**kwargs):
    """A host whose service is headed by a manager (who is also the host's manager)."""
    unit_name = kwargs.pop("unit_name", None)
    unit = OrgUnitFactory(name=unit_name) if unit_name else OrgUnitFactory()
    boss = AgentFactory(org_unit=unit, job_title="Cheffe de service")
    unit.head = boss
    unit.save(update_fields=["head"])
    host = AgentFactory(org_unit=unit, manager=boss, site=SiteFactory(), **kwargs)
    return host, boss
