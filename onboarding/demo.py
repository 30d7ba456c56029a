"""Demo data for onboarding: the guide's chapters and identity, the default journey
template, parrain/marraine volunteers, five recent arrivals at various stages of their
journey (one still to come, one today, one in their first week, one after a month, one
after three months) and two journées d'intégration (events of the events app), the first with its
invitations and waiting list.
Deterministic, and a no-op once an arrival exists."""

from datetime import time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from intranet.models import Agent
from onboarding import content
from onboarding.models import Arrival
from onboarding.services.buddies import buddy_assign, buddy_suggestions, volunteer_save
from onboarding.services.integration_days import integration_day_create, integration_day_invite
from onboarding.services.journeys import arrival_record, task_set_done
from onboarding.services.welcome_guide import guide_settings

# Days from today to each demo arrival, and the share of its past-due tasks already done.
STAGES = ((10, 0.5), (0, 1.0), (-6, 0.8), (-35, 0.9), (-95, 1.0))
VOLUNTEERS = 8
CONTACTS = (
    "Ressources humaines : rh@demo.local — 03 83 00 00 10\n"
    "Service informatique (assistance) : 03 83 00 00 20\n"
    "Accueil du siège : 03 83 00 00 00\n"
    "Médecine préventive : 03 83 00 00 30\n"
    "Comité national d'action sociale (CNAS) : www.cnas.fr"
)


def _accounts() -> list[str]:
    """The demo's role accounts: left as they are (the agent account is not a newcomer)."""
    from intranet.demo import DEMO_ACCOUNTS

    return [account.email for account in DEMO_ACCOUNTS]


def demo_seed(*, stdout) -> None:
    if Arrival.objects.exists():
        return
    rh = Agent.objects.filter(email="rh@demo.local").first()
    candidates = list(
        Agent.objects.active()
        .internal()
        .filter(arrival_date__isnull=False, manager__isnull=False)
        .exclude(email__in=_accounts())
        .order_by("-arrival_date", "pk")[:5]
    )
    if len(candidates) < len(STAGES):
        stdout.write("Intégration : pas assez d'agents pour les arrivées de démonstration.\n")
        return
    with transaction.atomic():
        _seed(rh=rh, candidates=candidates)
    stdout.write(
        "Intégration des nouveaux agents : livret d'accueil, parcours type, parrains et marraines volontaires, "
        "5 arrivées et deux journées d'intégration.\n"
    )


def _seed(*, rh, candidates) -> None:
    today = timezone.localdate()
    content.chapters_seed()
    identity = guide_settings()
    identity.administration_name = identity.administration_name or settings.SITE_NAME
    identity.contacts = identity.contacts or CONTACTS
    identity.save()
    template = content.journey_template_seed(it_email="informatique@demo.local")
    newcomer_ids = {agent.pk for agent in candidates}
    seniors, units = [], set()
    experienced = (
        Agent.objects.active()
        .internal()
        .filter(arrival_date__lt=today - timedelta(days=365 * 3))
        .exclude(pk__in=newcomer_ids)
        .exclude(email__in=_accounts())
        .order_by("pk")
    )
    for senior in experienced.iterator():  # one volunteer per service, the first few services
        if senior.org_unit_id not in units:
            units.add(senior.org_unit_id)
            seniors.append(senior)
        if len(seniors) == VOLUNTEERS:
            break
    for index, senior in enumerate(seniors):
        volunteer_save(
            agent=senior, capacity=1 + index % 3, note="Connaît bien les sites et les services transversaux."
        )
    for agent, (offset, done_share) in zip(candidates, STAGES, strict=True):
        arrival = arrival_record(
            agent=agent, arrival_date=today + timedelta(days=offset), manager=agent.manager, template=template, user=rh
        )
        suggestions = buddy_suggestions(arrival=arrival, limit=1)
        if suggestions and offset != 10:  # the one still to come waits for HR's choice
            buddy_assign(arrival=arrival, buddy=suggestions[0].volunteer.agent, user=rh)
        due = list(arrival.tasks.filter(due_date__lt=today).order_by("due_date", "pk"))
        for task in due[: round(len(due) * done_share)]:
            task_set_done(task=task, user=task.assignee or rh)
    programme = (
        "9 h 00 : accueil par le directeur général des services\n10 h 00 : nos valeurs, notre projet "
        "d'administration\n12 h 00 : déjeuner avec les parrains et marraines\n14 h 00 : visite des sites"
    )
    # Two journées d'intégration (events of the events app): the next one invites the arrivals of the
    # last four months (four seats: the fifth waits), the one after those of the months to come.
    for offset, (first, last), capacity in ((21, (-120, 30), 4), (84, (31, 90), 12)) if rh is not None else ():
        day = today + timedelta(days=offset)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        integration_day = integration_day_create(
            user=rh,
            title="Journée d'intégration",
            day=day,
            start_time=time(9, 0),
            end_time=time(17, 0),
            place="Siège, salle du conseil",
            capacity=capacity,
            arrivals_from=today + timedelta(days=first),
            arrivals_to=today + timedelta(days=last),
            programme=programme,
        )
        integration_day_invite(integration_day=integration_day)
