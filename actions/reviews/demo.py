"""Demo data for the reviews: last year's review, closed, with self-assessments, the follow-up
group's proposals and the committee's decisions; this year's, open, with some pilots'
self-assessments written. Runs after the actions demo (the plan must be loaded), through the
services; deterministic, and a no-op when the plan already has reviews."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from actions.models import ActionCard, Plan
from actions.permissions import is_card_pilot
from actions.reviews.models import CardSnapshot, Decision, Proposal, Review, SelfAssessment
from actions.reviews.services.committee import (
    decision_record,
    review_close,
    review_create,
    review_open,
    review_session_start,
)
from actions.reviews.services.pilots import followup_join, proposal_post, self_assessment_save
from actions.services.plan_loading import plan_data_read
from intranet.models import Agent

SEED = 2
OPENED_DAYS_AGO, SESSION_DAYS_AGO = 360, 330  # last year's review
VOLUNTEERS = ("agent@demo.local", "manager@demo.local", "communication@demo.local")
ASSESSMENTS = (
    (
        "L'action a bien avancé : le groupe de travail s'est réuni chaque trimestre et les premières étapes sont "
        "réalisées.",
        "Disponibilité des agents pendant l'été.",
        "Finaliser le document et le présenter en comité de direction.",
    ),
    (
        "Démarrage plus lent que prévu, mais les services se sont approprié la démarche.",
        "Charge de travail des services supports.",
        "Recentrer l'action sur deux livrables pour l'an prochain.",
    ),
    (
        "Les objectifs de l'année sont atteints ; les retours des agents sont positifs.",
        "",
        "Mesurer la satisfaction des agents et diffuser les résultats.",
    ),
)
COMMENTS = {
    Decision.Choice.CONTINUE: "Le comité salue l'avancement et maintient le calendrier.",
    Decision.Choice.ADJUST: "Le comité demande de resserrer le périmètre et de revoir les échéances.",
    Decision.Choice.STOP: "L'action est arrêtée : ses objectifs sont repris par une autre action.",
}
PROPOSALS = (
    ("1.1", "Associer les secrétaires de mairie au groupe de travail dès la prochaine réunion."),
    ("5.3", "Ouvrir les immersions « vis ma vie » aux agents des communes membres."),
    ("3.4", "Reprendre la formation aux outils numériques sous forme d'ateliers courts."),
)


def _pilot(card):
    for agent in card.pilot_agents.all():
        return agent
    for unit in card.pilot_units.all():
        if unit.head_id:
            return unit.head
    return None


def _assess(review, rng, *, share: float) -> None:
    for snapshot in review.snapshots.select_related("card").order_by("objective_number", "position"):
        card = snapshot.card
        pilot = _pilot(card)
        if pilot is None or not is_card_pilot(pilot, card) or rng.random() > share:
            continue
        assessment, difficulties, next_steps = rng.choice(ASSESSMENTS)
        self_assessment_save(
            review=review,
            card=card,
            user=pilot,
            assessment=assessment,
            difficulties=difficulties,
            next_steps=next_steps,
        )


def _decision_for(card, rng) -> str:
    """What the committee decided last year, in keeping with what the card became: an action
    since abandoned was stopped, a late or postponed one adjusted, the others mostly continued."""
    if card.status == ActionCard.Status.ABANDONED:
        return Decision.Choice.STOP
    if card.status in (ActionCard.Status.LATE, ActionCard.Status.POSTPONED):
        return Decision.Choice.ADJUST
    if card.status == ActionCard.Status.DONE:
        return Decision.Choice.CONTINUE
    return rng.choices([Decision.Choice.CONTINUE, Decision.Choice.ADJUST], weights=[3, 1])[0]


def _date_last_review(review, *, now, rng) -> None:
    """Last year's review happened last year: proposals posted before it opened, self-assessments
    written while it was open, decisions taken on the session's day, closed that day."""
    opened, session = now - timedelta(days=OPENED_DAYS_AGO), now - timedelta(days=SESSION_DAYS_AGO)
    Review.objects.filter(pk=review.pk).update(
        created_at=opened - timedelta(days=20),
        opened_at=opened,
        session_started_at=session,
        closed_at=session + timedelta(hours=3),
        changed_at=session + timedelta(hours=3),
    )
    for proposal in Proposal.objects.filter(review=review):
        Proposal.objects.filter(pk=proposal.pk).update(created_at=opened - timedelta(days=rng.randint(2, 15)))
    for item in SelfAssessment.objects.filter(review=review):
        SelfAssessment.objects.filter(pk=item.pk).update(updated_at=opened + timedelta(days=rng.randint(1, 25)))
    Decision.objects.filter(review=review).update(recorded_at=session + timedelta(hours=1))


def demo_seed(*, stdout) -> None:
    plan = Plan.objects.filter(slug=plan_data_read()["slug"]).first()
    copil = Agent.objects.filter(email="copil@demo.local").first()
    if plan is None or copil is None:
        stdout.write("Revues : pas de plan ou pas de compte copil de démonstration.\n")
        return
    if Review.objects.filter(plan=plan).exists():
        stdout.write("Revues : déjà chargées.\n")
        return
    rng = random.Random(SEED)  # noqa: S311 (demo data, reproducible on purpose)
    today = timezone.localdate()
    with transaction.atomic():
        for email in VOLUNTEERS:
            volunteer = Agent.objects.filter(email=email).first()
            if volunteer:
                followup_join(plan=plan, user=volunteer)
        volunteer = (
            Agent.objects.get(email=VOLUNTEERS[0]) if Agent.objects.filter(email=VOLUNTEERS[0]).exists() else copil
        )
        cards = {card.number: card for card in plan.cards.all()}

        session_day = today - timedelta(days=SESSION_DAYS_AGO)
        last = review_create(plan=plan, year=today.year - 1, date=session_day, user=copil)
        for number, text in PROPOSALS[:2]:
            if number in cards:
                proposal_post(card=cards[number], user=volunteer, text=text)
        review_open(review=last, user=copil, now=timezone.now() - timedelta(days=OPENED_DAYS_AGO))
        # A year ago the cards were less advanced than today. Demo only: snapshots are
        # immutable (a trigger refuses updates), so last year's are replaced by earlier copies.
        earlier = list(last.snapshots.all())
        for snapshot in earlier:
            snapshot.pk = None
            if snapshot.progress is not None:
                snapshot.progress = max(0, snapshot.progress - rng.randint(10, 40))
        last.snapshots.all().delete()
        CardSnapshot.objects.bulk_create(earlier)
        _assess(last, rng, share=0.8)
        review_session_start(review=last, user=copil)
        for snapshot in last.snapshots.select_related("card"):
            choice = _decision_for(snapshot.card, rng)
            decision_record(review=last, card=snapshot.card, user=copil, decision=choice, comment=COMMENTS[choice])
        review_close(review=last, user=copil, undecided_confirmed=True)
        _date_last_review(last, now=timezone.now(), rng=rng)

        current = review_create(plan=plan, year=today.year, date=today + timedelta(days=21), user=copil)
        review_open(review=current, user=copil)
        number, text = PROPOSALS[2]
        if number in cards:
            proposal_post(card=cards[number], user=volunteer, text=text)
        _assess(current, rng, share=0.4)
    stdout.write(f"Revues : revue {last.year} clôturée, revue {current.year} ouverte.\n")
