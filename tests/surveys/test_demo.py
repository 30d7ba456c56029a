import io

import pytest
from django.db.models import Count, Q

from intranet.models import Agent, Site
from surveys.demo import INTRANET_TITLE, MEETINGS_TITLE, demo_seed
from surveys.models import Answer, Invitation, Question, Response, Survey
from tests.factories import AgentFactory

pytestmark = pytest.mark.django_db


def _population(count: int) -> None:
    lycee = Site.objects.create(name="Lycée Jean Zay", kind=Site.Kind.LYCEE)
    Agent.objects.bulk_create(
        [
            Agent(
                email=f"tos{n}@demo.local", first_name="Agent", last_name=f"TOS {n}", matricule=f"T{n:05d}", site=lycee
            )
            for n in range(count)
        ]
    )


def test_demo_seed_tells_seed_000_once():
    """(How fast: bench/surveys_demo.py.)"""
    _population(640)
    agent = AgentFactory(email="agent@demo.local")
    AgentFactory(email="rh@demo.local")
    AgentFactory(email="communication@demo.local")
    demo_seed(stdout=io.StringIO())

    meetings = Survey.objects.get(title=MEETINGS_TITLE)
    assert meetings.status == Survey.Status.CLOSED
    assert meetings.anonymous
    assert meetings.sessions.count() == 15
    assert Response.objects.filter(survey=meetings).count() == 559
    overall = meetings.questions.filter(kind=Question.Kind.SCALE).order_by("section__order", "order").first()
    counts = Answer.objects.filter(question=overall).aggregate(
        total=Count("pk"), satisfied=Count("pk", filter=Q(number__gte=4))
    )
    assert counts["total"] == 559
    assert round(100 * counts["satisfied"] / counts["total"]) == 88
    invited = Invitation.objects.filter(survey=meetings)
    assert invited.filter(answered=True).count() == 559
    assert round(100 * 559 / invited.count()) == 90
    per_session = Response.objects.filter(survey=meetings).values("session").annotate(n=Count("pk"))
    assert min(row["n"] for row in per_session) >= 5

    open_survey = Survey.objects.get(title=INTRANET_TITLE)
    assert open_survey.is_accepting_answers()
    mine = Invitation.objects.get(survey=open_survey, agent=agent)
    assert not mine.answered
    assert set(open_survey.questions.values_list("kind", flat=True)) == set(Question.Kind.values)

    before = (Survey.objects.count(), Response.objects.count(), Answer.objects.count())
    demo_seed(stdout=io.StringIO())
    assert (Survey.objects.count(), Response.objects.count(), Answer.objects.count()) == before
