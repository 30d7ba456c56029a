import datetime

import factory

from actions.reviews.models import FollowUpMember, Review
from tests.actions.factories import PlanFactory


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    plan = factory.SubFactory(PlanFactory)
    year = factory.Sequence(lambda n: 2020 + n % 50)
    date = factory.LazyAttribute(lambda review: datetime.date(review.year, 11, 15))


class FollowUpMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUpMember

    plan = factory.SubFactory(PlanFactory)
    agent = factory.SubFactory("tests.factories.AgentFactory")
