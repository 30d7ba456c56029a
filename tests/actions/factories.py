import datetime

import factory

from actions.models import ActionCard, Indicator, Measurement, Objective, Plan, Step


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    title = factory.Sequence(lambda n: f"Projet d'administration {n}")
    slug = factory.Sequence(lambda n: f"plan-{n}")
    organisation = "Communauté de communes de test"


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Objectif de test {n}")


class ActionCardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionCard

    objective = factory.SubFactory(ObjectiveFactory)
    plan = factory.SelfAttribute("objective.plan")
    position = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda card: f"{card.objective.number}.{card.position}")
    title = factory.Sequence(lambda n: f"Action de test {n}")
    objectives = "Un premier objectif\nUn second objectif"
    resources = "Ressources humaines"


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Step

    card = factory.SubFactory(ActionCardFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Étape {n}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    card = factory.SubFactory(ActionCardFactory)
    position = factory.Sequence(lambda n: n + 1)
    definition = factory.Sequence(lambda n: f"Nombre de choses faites {n}")
    unit = "choses"


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    date = factory.Sequence(lambda n: datetime.date(2021, 1, 1) + datetime.timedelta(days=n))
    value = 1
