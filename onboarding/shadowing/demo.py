"""Demo data for "Montre-moi ton job" (seed 004): hosts' offers across services, last season's
campaign as the CCAS ran it (about fifty requests and forty participants, rapports d'étonnement,
some published) and the current campaign collecting wishes — one of agent@'s waiting for
manager@'s approval, so the queue has something to show.

Idempotent: does nothing when the demo campaigns exist (or when there are too few agents)."""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from intranet.demo import DEMO_ACCOUNTS
from intranet.models import Agent, OrgUnit
from onboarding.shadowing.models import AgreementVersion, Availability, Campaign, Offer, Slot, Visit, VisitEvent

PAST_TITLE = "Montre-moi ton job – saison passée"
CURRENT_TITLE = "Montre-moi ton job – campagne en cours"
OFFERS = 24
DONE, REFUSED, CANCELLED = 24, 14, 12  # 50 requests; 24 visitors + 16 hosts = 40 participants
REFUSALS = [
    "Période de forte activité dans le service (clôture budgétaire).",
    "Effectif réduit ce mois-ci, à reprogrammer à la prochaine campagne.",
    "Le poste demandé traite des données trop sensibles pour un accueil.",
    "L'accueillant est en formation sur toute la période.",
]
REPORTS = [
    "Je ne mesurais pas le nombre d'appels reçus par l'accueil : je comprends mieux pourquoi nos dossiers "
    "incomplets leur posent tant de difficultés. Nous allons revoir notre formulaire.",
    "Étonnée par la polyvalence de l'équipe technique : chaque demande d'intervention arrive par trois canaux "
    "différents. Un seul point d'entrée leur ferait gagner du temps.",
    "J'ai découvert les contraintes de sécurité de la crèche : les horaires que nous fixons pour les réunions "
    "ne tiennent pas compte des transmissions du soir.",
    "La paie dépend de nos saisies avant le 10 du mois : je ne le savais pas. Je transmettrai plus tôt.",
    "Une journée très riche : les usagers arrivent souvent après avoir été renvoyés d'un guichet à l'autre.",
    "Le travail réel est loin de la fiche de poste ; merci à l'équipe pour son accueil et sa patience.",
]


def _at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


# Seed 004: the hosts are agents of every trade — the lycées' kitchens, maintenance and reception
# first (the TOS agents), then the other services' jobs — not the heads of service.
FIELD_JOBS = (
    "restauration",
    "cuisin",
    "maintenance",
    "accueil",
    "entretien",
    "espaces verts",
    "polyvalent",
    "puériculture",
    "exploitation de la route",
    "magasin",
)


def _hosts(agents) -> list:
    """OFFERS hosts, never a unit's head: one per job title, the field trades first, then one per
    service; agents of services not yet hosting when job titles run short."""
    heads = set(OrgUnit.objects.exclude(head=None).values_list("head_id", flat=True))
    candidates = [agent for agent in agents if agent.pk not in heads]
    field = [a for a in candidates if any(word in (a.job_title or "").lower() for word in FIELD_JOBS)]
    chosen, titles, units = [], set(), set()
    passes = (
        (field, lambda a: a.job_title not in titles),
        (candidates, lambda a: a.job_title not in titles and a.org_unit_id not in units),
        (candidates, lambda a: a.org_unit_id not in units),
        (candidates, lambda a: True),
    )
    for pool, wanted in passes:
        for agent in pool:
            if len(chosen) == OFFERS:
                return chosen
            if agent not in chosen and wanted(agent):
                chosen.append(agent)
                titles.add(agent.job_title)
                units.add(agent.org_unit_id)
    return chosen


def demo_seed(*, stdout):
    if Campaign.objects.filter(title__in=[PAST_TITLE, CURRENT_TITLE]).exists():
        return
    # Heads of units last: at the reference size (500 units) the first 400 agents are all heads,
    # who never host (_hosts), and the campaigns had no offer at all.
    is_head = Exists(OrgUnit.objects.filter(head=OuterRef("pk")))
    agents = list(
        Agent.objects.internal()
        .active()
        .filter(org_unit__isnull=False, site__isnull=False)
        .exclude(email__in=[account.email for account in DEMO_ACCOUNTS])
        .select_related("org_unit", "site")
        .alias(is_head=is_head)
        .order_by("is_head", "pk")[:400]
    )
    if len(agents) < 80:
        stdout.write("Montre-moi ton job : trop peu d'agents pour les campagnes de démonstration.\n")
        return
    with transaction.atomic():
        _seed(agents, stdout=stdout)


def _seed(agents, *, stdout):
    rng = random.Random(4004)  # noqa: S311 (demo data, not security)
    today = timezone.localdate()
    agreement = AgreementVersion.objects.order_by("-version").first()
    rh = Agent.objects.filter(email="rh@demo.local").first()

    hosts = _hosts(agents)
    offers = Offer.objects.bulk_create(
        [
            Offer(
                host=host,
                job_title=host.job_title or "Agent du service",
                org_unit=host.org_unit,
                site=host.site,
                description=f"Une {'demi-journée' if i % 2 else 'journée'} avec l'équipe « {host.org_unit.name} » : "
                "accueil, dossiers du jour, réunion d'équipe, et vos questions.",
                availability=[Availability.HALF_DAY, Availability.DAY, Availability.BOTH][i % 3],
                availability_note="Hors vacances scolaires" if i % 4 == 0 else "",
            )
            for i, host in enumerate(hosts)
        ]
    )
    host_ids = {host.pk for host in hosts}
    visitors = [agent for agent in agents if agent.pk not in host_ids]

    past_start = today - timedelta(days=200)
    past = Campaign.objects.create(
        title=PAST_TITLE,
        wishes_open_on=past_start,
        wishes_close_on=past_start + timedelta(days=30),
        visits_end_on=past_start + timedelta(days=120),
        created_by=rh,
        description="Première édition : souhaits ouverts à tous, puis organisation avec les chefs de service.",
    )
    current = Campaign.objects.create(
        title=CURRENT_TITLE,
        wishes_open_on=today - timedelta(days=7),
        wishes_close_on=today + timedelta(days=30),
        visits_end_on=today + timedelta(days=120),
        created_by=rh,
        description="Deuxième édition : l'action devient un rendez-vous régulier.",
    )

    visits, finals = [], []
    done_offers = offers[:16]
    for i in range(DONE + REFUSED + CANCELLED):
        visitor = visitors[i % DONE] if i < DONE else visitors[DONE + i]
        offer = done_offers[i % len(done_offers)] if i < DONE else rng.choice(offers)
        day = past_start + timedelta(days=35 + i)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        duration = Availability.DAY if offer.availability == Availability.DAY else Availability.HALF_DAY
        visit = Visit(
            campaign=past,
            visitor=visitor,
            offer=offer,
            host=offer.host,
            duration=duration,
            created_at=_at(past_start + timedelta(days=i % 30)),
            motivation="Mieux comprendre le travail de ce service, avec lequel nous échangeons souvent.",
        )
        if i < DONE:
            visit.state = Visit.State.EVALUATED
            visit.host_accepted_at = visit.host_manager_accepted_at = _at(day - timedelta(days=10))
            visit.scheduled_on, visit.slot = day, Slot.DAY if duration == Availability.DAY else Slot.MORNING
            visit.agreement, visit.agreement_signed_at = agreement, _at(day - timedelta(days=2))
            visit.evaluation_sent_at = _at(day, 17)
            if i % 2 == 0:
                visit.report = REPORTS[(i // 2) % len(REPORTS)]
                visit.report_written_at = _at(day + timedelta(days=2))
                visit.report_publish_consent = i % 4 == 0
                if visit.report_publish_consent:
                    visit.report_published_at = _at(day + timedelta(days=5))
            finals.append(("complete", visit.scheduled_on))
        elif i < DONE + REFUSED:
            visit.state, visit.refusal_reason = Visit.State.REFUSED, rng.choice(REFUSALS)
            finals.append(("refuse", day))
        else:
            visit.state, visit.cancel_reason = Visit.State.CANCELLED, "Absence imprévue le jour prévu."
            finals.append(("cancel", day))
        visits.append(visit)

    # The current campaign: a few wishes on their way, one of agent@'s for manager@.
    demo_agent = Agent.objects.filter(email="agent@demo.local").first()
    current_visits = []
    for i, state in enumerate(
        [Visit.State.WISH, Visit.State.WISH, Visit.State.APPROVED, Visit.State.ACCEPTED, Visit.State.SCHEDULED]
    ):
        offer = offers[(i * 5) % len(offers)]
        visitor = demo_agent if i == 0 and demo_agent else visitors[-(i + 1)]
        visit = Visit(
            campaign=current,
            visitor=visitor,
            offer=offer,
            host=offer.host,
            state=state,
            duration=Availability.DAY if offer.availability == Availability.DAY else Availability.HALF_DAY,
            created_at=_at(today - timedelta(days=5 - i)),
            motivation="Découvrir le quotidien de ce métier.",
        )
        if state in (Visit.State.ACCEPTED, Visit.State.SCHEDULED):
            visit.host_accepted_at = visit.host_manager_accepted_at = _at(today - timedelta(days=1))
        if state == Visit.State.SCHEDULED:
            day = today + timedelta(days=10)
            while day.weekday() >= 5:
                day += timedelta(days=1)
            visit.scheduled_on = day
            visit.slot = Slot.DAY if visit.duration == Availability.DAY else Slot.AFTERNOON
        current_visits.append(visit)
    current_visits.append(
        Visit(
            campaign=current,
            visitor=visitors[-7],
            wished_job="Agent des espaces verts",
            motivation="J'aimerais comprendre l'entretien des parcs.",
            created_at=_at(today - timedelta(days=2)),
        )
    )

    created = Visit.objects.bulk_create(visits + current_visits)
    events = [
        VisitEvent(visit=visit, at=visit.created_at, actor=visit.visitor, action="request", to_state="souhait")
        for visit in created
    ]
    events += [
        VisitEvent(
            visit=visit, at=_at(day, 16), actor=visit.host, action=action, from_state="programmee", to_state=visit.state
        )
        for visit, (action, day) in zip(created, finals, strict=False)
    ]
    VisitEvent.objects.bulk_create(events)
    answered = _evaluations(past=past, visits=[v for v in created if v.state == Visit.State.EVALUATED], rh=rh, rng=rng)
    stdout.write(
        f"Montre-moi ton job : {len(offers)} offres d'accueil, {len(visits)} demandes la saison passée "
        f"({answered} évaluations à chaud remplies), {len(current_visits)} dans la campagne en cours.\n"
    )


def _evaluations(*, past: Campaign, visits: list[Visit], rh, rng) -> int:
    """The past season's hot evaluations, as `visit_evaluation_send` hands them to the surveys app:
    the campaign's visitor and host questionnaires, each visit's two people invited on its day,
    most of them having answered; closed since the season ended. Returns the answers stored."""
    from surveys.demo import demo_survey_answered
    from surveys.services.drafting import survey_create_from_template
    from surveys.services.status import survey_close, survey_publish

    if not visits:
        return 0
    first_day = min(visit.scheduled_on for visit in visits)
    answered = 0
    visited_on = {}  # each person's last visit of the season: they answer in the days after it
    for visit in visits:
        for person in (visit.visitor_id, visit.host_id):
            visited_on[person] = max(visited_on.get(person, visit.scheduled_on), visit.scheduled_on)
    for template, field, title, people in (
        ("shadowing_visitor", "visitor_survey_id", "votre découverte", [v.visitor for v in visits]),
        ("shadowing_host", "host_survey_id", "votre accueil", list({v.host_id: v.host for v in visits}.values())),
    ):
        survey = survey_create_from_template(
            template=template,
            title=f"Montre-moi ton job – {past.title.split('– ')[-1]} : {title}",
            author=rh,
            opens_on=first_day,
            closes_on=past.visits_end_on + timedelta(days=15),
        )
        survey_publish(survey=survey, today=first_day)
        answering = round(len(people) * 0.85)
        demo_survey_answered(
            survey=survey,
            agents=people,
            answering=answering,
            rng=rng,
            day=lambda invitation: visited_on[invitation.agent_id] + timedelta(days=rng.randint(0, 3)),
            mailed_at=_at(first_day, 17),
        )
        survey_close(survey=survey)
        setattr(past, field, survey.pk)
        answered += answering
    past.save(update_fields=["visitor_survey_id", "host_survey_id"])
    return answered
