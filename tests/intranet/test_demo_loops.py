"""The demo walked to its end, as a new user trying it would (issue 15): the console speaks French,
the indicators fed by other modules have live values, the job-shadowing campaign shows the
satisfaction of its evaluated visits, its offers come from every trade, and its dates follow
each other in the right order. On one demo seeded for the module (a size that has lycées and
enough agents for the job-shadowing campaigns)."""

import io
import re
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from actions.models import Indicator
from actions.reviews.models import Decision, Proposal, Review, SelfAssessment
from events.models import Session as EventSession
from intranet.models import Agent, OrgUnit
from newsletters.models import Issue
from onboarding.shadowing.demo import PAST_TITLE
from onboarding.shadowing.models import Campaign, Offer, Visit
from surveys.models import Survey
from tests.harness import rolled_back_transaction
from tests.html import text_of
from vacancies.models import Concours, Vacancy

SIZE = 200

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), rolled_back_transaction():
        out = io.StringIO()
        call_command("seed_demo", agents=SIZE, stdout=out)
        yield out.getvalue()


def _login(client, email):
    client.force_login(Agent.objects.get(email=email))
    return client


def test_the_console_speaks_french(seeded):
    lines = [line for line in seeded.splitlines() if line.strip()]
    english = [line for line in lines if re.match(r"^\s*(Surveys|onboarding|shadowing|vacancies|Creating)\b", line)]
    assert english == []
    # English's little words, which no French line of the console uses (« Events: … the 15
    # information meetings counted … of … » slipped past the list of prefixes above).
    english_words = re.compile(r"\b(the|of|and|from|with|demo events|counted|created)\b")
    assert [line for line in lines if english_words.search(line)] == []
    assert "'unknown'" not in seeded
    assert "{'recorded'" not in seeded
    assert "Enquêtes : " in seeded
    assert "Intégration des nouveaux agents : " in seeded
    assert "Montre-moi ton job : " in seeded


def test_fed_indicators_have_todays_values_from_their_modules(seeded, client):
    fed = Indicator.objects.exclude(source="").select_related("card")
    assert {(i.card.number, i.source.partition(":")[0]) for i in fed} >= {
        ("5.1", "surveys.satisfaction"),
        ("5.2", "surveys.satisfaction"),
        ("5.3", "shadowing.satisfaction"),
    }
    for indicator in fed:
        assert indicator.measurements.filter(date=timezone.localdate()).exists(), indicator.card.number
    card = fed.get(card__number="5.3").card
    _login(client, "rh@demo.local")
    page = text_of(client.get(reverse("actions:card-detail", args=[card.pk])))
    assert "alimenté par Montre-moi ton job : taux de satisfaction" in page
    response = client.post(reverse("actions:card-indicators-refresh", args=[card.pk]), follow=True)
    text = text_of(response)
    assert "pas encore de valeur" not in text
    assert "à jour" in text


def test_the_past_campaign_shows_the_satisfaction_of_its_evaluated_visits(seeded, client):
    past = Campaign.objects.get(title=PAST_TITLE)
    _login(client, "rh@demo.local")
    text = text_of(client.get(reverse("shadowing:campaign-detail", args=[past.pk])))
    assert re.search(r"\b\d+(,\d)? %\s*satisfaction", text), text[:2000]
    assert "— satisfaction" not in text


def test_offers_come_from_every_trade_not_from_the_heads_of_service(seeded):
    offers = list(Offer.objects.select_related("host"))
    heads = set(OrgUnit.objects.exclude(head=None).values_list("head_id", flat=True))
    assert len(offers) >= 16
    assert not [offer for offer in offers if offer.host_id in heads]
    titles = {offer.job_title.lower() for offer in offers}
    assert len(titles) == len(offers)
    for trade in ("restauration", "maintenance", "accueil"):
        assert any(trade in title for title in titles), trade


# --- The demo's dates follow each other ---------------------------------------------------------

FRENCH_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
SEASONS = ("printemps", "été", "automne", "hiver")


def _stage_dates(text: str) -> list:
    return [date(int(y), int(m), int(d)) for d, m, y in re.findall(r"\b(\d{2})/(\d{2})/(\d{4})\b", text)]


def test_each_concours_runs_registration_then_written_papers_then_orals(seeded, client):
    """Issue 15: the « attaché » exam had its written papers on 04/01/2027 and its oral « en décembre »."""
    problems = []
    for concours in Concours.objects.all():
        stages = _stage_dates(concours.exam_dates_detail)
        if not concours.registration_opens <= concours.registration_closes < (concours.exam_date or date.max):
            problems.append(
                f"{concours.name}: registration {concours.registration_opens}–{concours.registration_closes}"
            )
        if concours.exam_date and stages and stages[0] != concours.exam_date:
            problems.append(f"{concours.name}: first paper {concours.exam_date}, detail says {stages[0]}")
        if stages != sorted(stages):
            problems.append(f"{concours.name}: stages out of order {stages}")
        words = concours.exam_dates_detail.lower()
        stage_months = {FRENCH_MONTHS[day.month - 1] for day in [concours.exam_date, *stages] if day}
        stray = [month for month in FRENCH_MONTHS if re.search(rf"\b{month}\b", words) and month not in stage_months]
        if stray or any(season in words for season in SEASONS):
            problems.append(f"{concours.name}: « {concours.exam_dates_detail} » against {sorted(stage_months)}")
    assert problems == []
    _login(client, "agent@demo.local")
    page = text_of(client.get(reverse("vacancies:concours-list")))
    for concours in Concours.objects.exclude(exam_dates_detail=""):
        assert concours.exam_dates_detail in page


def test_reviews_proposals_assessments_and_decisions_are_dated_within_their_review(seeded):
    """Issue 15: follow-up-group proposals dated this month were attached to a review closed last January."""
    now = timezone.now()
    problems = []
    for review in Review.objects.all():
        steps = [review.created_at, review.opened_at, review.session_started_at, review.closed_at]
        known = [step for step in steps if step]
        if known != sorted(known) or known[-1] > now:
            problems.append(f"review {review.year}: {steps}")
        if review.closed_at and review.session_started_at.date() != review.date:
            problems.append(f"review {review.year}: held {review.session_started_at:%d/%m/%Y}, dated {review.date}")
        end = review.session_started_at or now
        for proposal in Proposal.objects.filter(review=review):
            if proposal.created_at > end:
                problems.append(
                    f"review {review.year}: proposal of {proposal.created_at:%d/%m/%Y} after {end:%d/%m/%Y}"
                )
        for item in SelfAssessment.objects.filter(review=review):
            if review.opened_at and not review.opened_at <= item.updated_at <= end:
                problems.append(f"review {review.year}: self-assessment of {item.updated_at:%d/%m/%Y}")
        for decision in Decision.objects.filter(review=review):
            if not review.session_started_at <= decision.recorded_at <= (review.closed_at or now):
                problems.append(f"review {review.year}: decision of {decision.recorded_at:%d/%m/%Y}")
    assert problems == []


def test_the_other_modules_dates_follow_each_other(seeded):
    today, now = timezone.localdate(), timezone.now()
    problems = []
    for vacancy in Vacancy.objects.exclude(published_at=None):
        if vacancy.published_at.date() > vacancy.deadline:
            problems.append(f"vacancy {vacancy.reference}: published after its deadline")
        if vacancy.closed_at and vacancy.closed_at < vacancy.published_at:
            problems.append(f"vacancy {vacancy.reference}: closed before published")
    for survey in Survey.objects.exclude(status=Survey.Status.DRAFT):
        if survey.status == Survey.Status.CLOSED and survey.closes_on and survey.closes_on > today:
            problems.append(f"survey {survey.title}: closed, closing on {survey.closes_on}")
        if survey.status == Survey.Status.OPEN and survey.opens_on and survey.opens_on > today:
            problems.append(f"survey {survey.title}: open, opening on {survey.opens_on}")
    sent = list(Issue.objects.exclude(sent_at=None).order_by("number"))
    if [issue.sent_at for issue in sent] != sorted(issue.sent_at for issue in sent):
        problems.append("newsletter: issues sent out of their numbers' order")
    for session in EventSession.objects.select_related("event"):
        if session.ends_at < session.starts_at:
            problems.append(f"event {session.event}: ends before it starts")
        opens, closes = session.registration_opens_at, session.registration_closes_at
        if opens and closes and closes < opens:
            problems.append(f"event {session.event}: registration closes before it opens")
        if closes and closes > session.starts_at:
            problems.append(f"event {session.event}: registration closes after the start")
    for campaign in Campaign.objects.all():
        if not campaign.wishes_open_on <= campaign.wishes_close_on <= campaign.visits_end_on:
            problems.append(f"campaign {campaign.title}: {campaign.wishes_open_on}, {campaign.wishes_close_on}")
    for visit in Visit.objects.filter(state__in=[Visit.State.DONE, Visit.State.EVALUATED]):
        if visit.scheduled_on and visit.scheduled_on > today:
            problems.append(f"visit {visit.pk}: done, on {visit.scheduled_on}")
    for visit in Visit.objects.exclude(created_at__lte=now):
        problems.append(f"visit {visit.pk}: asked in the future")
    assert problems == []
