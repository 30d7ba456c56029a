"""Something waiting in every « À faire » source, for one person who holds every role: the
manager of agents wishing to shadow a job, a visitor, the manager of a newcomer, a pilot of
cards under review, an HR and steering-committee member."""

from datetime import timedelta

from django.utils import timezone

from actions.models import ActionCard, Plan
from actions.reviews.models import CardSnapshot, Decision, Review
from actions.reviews.services.committee import review_close, review_create, review_open, review_session_start
from content.models import Document, News
from intranet.models import Agent
from onboarding.models import Arrival, Assignee, JourneyTask, Phase
from onboarding.shadowing.models import Campaign, Visit
from tests.actions.factories import ActionCardFactory, ObjectiveFactory, PlanFactory
from tests.content.factories import FolderFactory, NewsFactory, PageFactory
from tests.events.factories import EventFactory, SessionFactory
from tests.factories import AgentFactory
from tests.onboarding.factories import ArrivalFactory
from tests.shadowing.factories import CampaignFactory, VisitFactory
from tests.surveys.factories import InvitationFactory, SurveyFactory
from tests.vacancies.factories import InterestFactory

SOURCES = [
    "shadowing-decisions",
    "shadowing-visits",
    "onboarding-tasks",
    "onboarding-late",
    "reviews-self-assessments",
    "reviews-decisions",
    "reviews-decision-follow-ups",
    "actions-cards",
    "surveys-to-answer",
    "vacancies-interests",
    "content-news-review",
    "content-news-returned",
    "content-pages-review",
    "content-documents-review",
    "events-checkins",
    "events-deadlines",
]


def busy_person() -> Agent:
    return AgentFactory(email="occupee@test.local", first_name="Odile", roles=["rh", "copil", "communication"])


def _stage(user: Agent):
    """The campaign, the newcomer, the current plan and its review collecting self-assessments,
    and another plan's review in session (made once)."""
    today = timezone.localdate()
    campaign = Campaign.objects.first() or CampaignFactory()
    arrival = Arrival.objects.filter(manager=user).first() or ArrivalFactory(manager=user)
    plan = Plan.objects.filter(is_current=True).first()
    if plan is None:
        plan = PlanFactory(is_current=True)
        review = review_create(plan=plan, year=today.year, date=today + timedelta(30), user=user)
        review_open(review=review, user=user)
        other = PlanFactory(is_current=False)
        session = review_create(plan=other, year=today.year, date=today, user=user)
        review_open(review=session, user=user)
        review_session_start(review=session, user=user)
    review = Review.objects.get(plan=plan)
    session = Review.objects.get(status=Review.Status.IN_SESSION)
    closed = Review.objects.filter(status=Review.Status.CLOSED).first()
    if closed is None:
        closed = review_create(
            plan=PlanFactory(is_current=False), year=today.year - 1, date=today - timedelta(60), user=user
        )
        review_open(review=closed, user=user)
        review_session_start(review=closed, user=user)
        review_close(review=closed, user=user, undecided_confirmed=True)
    return campaign, arrival, plan, review, session, closed


def _snapshot(review: Review, card: ActionCard) -> CardSnapshot:
    return CardSnapshot.objects.create(
        review=review,
        card=card,
        objective_number=card.objective.number,
        objective_title=card.objective.title,
        card_number=card.number,
        card_title=card.title,
        position=card.position,
        status=card.status,
    )


def fill_inbox(user: Agent, n: int) -> None:
    """`n` more things waiting for `user` in each source."""
    today = timezone.localdate()
    campaign, arrival, plan, review, session, closed = _stage(user)
    for i in range(n):
        VisitFactory(campaign=campaign, visitor=AgentFactory(manager=user))  # a wish for their approval
        VisitFactory(campaign=campaign, visitor=user, state=Visit.State.APPROVED)  # an agreement to sign
        InvitationFactory(agent=user, survey=SurveyFactory(closes_on=today + timedelta(days=7)))
        InterestFactory()
        JourneyTask.objects.create(
            arrival=arrival,
            title=f"Préparer le poste {i}",
            phase=Phase.BEFORE,
            assignee_role=Assignee.MANAGER,
            assignee=user,
            due_date=today + timedelta(days=i - 1),  # the first one is late
        )
        JourneyTask.objects.create(
            arrival=arrival,
            title=f"Créer le compte {i}",
            phase=Phase.BEFORE,
            assignee_role=Assignee.IT,
            due_date=today - timedelta(days=2),
        )
        # A card of the current plan the user pilots, nobody followed up for months, in the review.
        card = ActionCardFactory(objective=ObjectiveFactory(plan=plan))
        card.pilot_agents.add(user)
        ActionCard.objects.filter(pk=card.pk).update(updated_at=timezone.now() - timedelta(days=200))
        _snapshot(review, card)
        # A card of the review in session, without a decision yet.
        _snapshot(session, ActionCardFactory(objective=ObjectiveFactory(plan=session.plan)))
        # A card the user pilots that last year's (closed) review asked to « réajuster ».
        adjusted = ActionCardFactory(objective=ObjectiveFactory(plan=closed.plan))
        adjusted.pilot_agents.add(user)
        Decision.objects.create(review=closed, card=adjusted, decision=Decision.Choice.ADJUST, comment="Revoir")
        # A news item submitted for review, one of the user's drafts sent back, a page and a
        # document of theirs whose review date has come.
        NewsFactory(status=News.Status.REVIEW, publish_at=None, submitted_at=timezone.now())
        NewsFactory(status=News.Status.DRAFT, publish_at=None, author=user, review_note="Préciser la date.")
        PageFactory(owner=user, reviewed_on=today - timedelta(days=400))
        Document.objects.create(
            folder=FolderFactory(), title=f"Guide {i}", owner=user, review_on=today - timedelta(days=i)
        )
        # A session of today the user organises (its check-in waits), and an event they are invited
        # to whose registrations close soon.
        # (The weekly e-mail of the coming Monday finds them too: a session held without a
        # check-in stays a week, and registrations close in a week.)
        SessionFactory(event=EventFactory(organisers=[user]), starts_at=timezone.now(), confirmed_count=1)
        SessionFactory(
            event=EventFactory(invited_at=timezone.now(), audience={"agents": [user.pk]}),
            starts_at=timezone.now() + timedelta(days=10),
            registration_closes_at=timezone.now() + timedelta(days=7),
        )
