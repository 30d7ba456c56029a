import factory
from django.contrib.auth.models import Group

from intranet.models import Agent, OrgUnit, Site, Skill

PASSWORD = "maison-commune"


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Site {n}")
    kind = Site.Kind.SIEGE
    city = "Pont-à-Mousson"


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    name = factory.Sequence(lambda n: f"Service {n}")
    kind = OrgUnit.Kind.SERVICE


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Compétence {n}")


class AgentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agent
        skip_postgeneration_save = True

    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.Sequence(lambda n: f"agent{n}@test.local")
    matricule = factory.Sequence(lambda n: f"M{n:06d}")
    job_title = "Gestionnaire administratif"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """`AgentFactory(roles=["rh"])` puts the agent in those role groups. The migrations create the
        groups, but a transactional test's flush empties them: they are created again when missing."""
        if create and extracted:
            self.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in extracted))
