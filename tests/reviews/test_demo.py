import io

from actions.reviews.demo import demo_seed
from actions.reviews.models import Decision, Review, SelfAssessment
from actions.services.plan_loading import plan_data_read, plan_load
from tests.factories import AgentFactory


def test_demo_gives_a_closed_review_with_decisions_and_an_open_one_and_runs_once(db):
    plan = plan_load(data=plan_data_read())
    AgentFactory(email="copil@demo.local", roles=["copil"])
    AgentFactory(email="agent@demo.local")
    pilot = AgentFactory(email="pilote@demo.local")
    for card in plan.cards.all():
        card.pilot_agents.add(pilot)
    demo_seed(stdout=io.StringIO())
    last, current = Review.objects.order_by("year")
    assert last.status == Review.Status.CLOSED
    assert Decision.objects.filter(review=last).count() == plan.cards.count() == 26
    assert current.status == Review.Status.SELF_ASSESSMENT
    assert SelfAssessment.objects.filter(review=current).exists()
    out = io.StringIO()
    demo_seed(stdout=out)
    assert "déjà" in out.getvalue()
    assert Review.objects.count() == 2
