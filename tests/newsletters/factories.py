import factory

from intranet.audiences import AudienceSpec
from newsletters.models import Block, Issue


class IssueFactory(factory.django.DjangoModelFactory):
    """A draft issue to every agent."""

    class Meta:
        model = Issue

    number = factory.Sequence(lambda n: 100 + n)
    title = factory.Sequence(lambda n: f"Numéro de test {n}")
    edito = "Le mot de la direction générale."
    audience = factory.LazyFunction(lambda: AudienceSpec(everyone=True).to_json())


class TextBlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Block

    issue = factory.SubFactory(IssueFactory)
    kind = Block.Kind.TEXT
    position = factory.Sequence(lambda n: n + 1)
    title = "Actualités"
    body = "<p>Les réunions d'information reprennent.</p>"
