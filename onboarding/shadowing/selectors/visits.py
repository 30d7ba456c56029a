"""Offers and visits: the catalogue, the visits each person may open or must decide on, the hosts
to suggest, the published reports, and an agent's data for « mes données »."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from intranet.fulltext import text_match
from intranet.kept import KeptFragment
from intranet.models import Agent, OrgUnit
from onboarding.shadowing import permissions as perms
from onboarding.shadowing.models import ApproverAbsence, Campaign, Offer, Visit

# The catalogue's campaign, filters and offers (onboarding.shadowing.views.catalogue), kept for
# everyone with the same filters and page (HR's button apart): the offers, their hosts, services
# and sites, the campaign of the day.
OFFER_CATALOGUE = KeptFragment(
    "shadowing-catalogue",
    changes_with=("shadowing.Offer", "shadowing.Campaign", "intranet.Agent", "intranet.OrgUnit", "intranet.Site"),
)


def offer_catalogue(*, org_unit_id: int | None = None, site_id: int | None = None):
    offers = Offer.objects.active().select_related("host", "org_unit", "site")
    if org_unit_id:
        offers = offers.filter(org_unit_id=org_unit_id)
    if site_id:
        offers = offers.filter(site_id=site_id)
    return offers.order_by("org_unit__name", "job_title", "pk")


def offer_search(*, user, query: str, limit: int) -> list[Offer]:
    """The open offers whose job, description or service holds every word of `query`
    (intranet.fulltext), with what a result shows loaded."""
    if not perms.can_use(user):
        return []
    found = text_match(
        Offer.objects.active(), query, fields=["job_title", "description", "org_unit__name"], title="job_title"
    )
    return list(found.select_related("org_unit", "site").order_by("job_title", "pk")[:limit])


def offer_filter_choices():
    """The services and sites that have open offers (the catalogue's filters)."""
    active = Offer.objects.active()
    units = active.values_list("org_unit_id", "org_unit__name").distinct().order_by("org_unit__name")
    sites = active.values_list("site_id", "site__name").distinct().order_by("site__name")
    return list(units), list(sites)


def _team(managers: set[int]):
    """The agents whose manager, or whose unit's head, is one of `managers` (a subquery). The units
    two halves are read apart and united: an OR of them, across the join to the units, made
    PostgreSQL read all 10,000 agents (4–7 ms a page); each half reads its own index."""
    headed = OrgUnit.objects.filter(head_id__in=managers).values("pk")
    reports = Agent.objects.filter(manager_id__in=managers).order_by().values("pk")
    return reports.union(Agent.objects.filter(org_unit_id__in=headed).order_by().values("pk"))


def visit_visible_queryset(*, user):
    """The visits `user` may open: theirs, those they host, those their approval covers
    (own team, hosted in their units, or as a substitute), all for HR."""
    visits = Visit.objects.with_people()
    if perms.is_hr(user):
        return visits
    managers = managed_ids(user=user)
    team = _team(managers)
    return visits.filter(
        Q(visitor=user)
        | Q(host=user)
        | Q(visitor_id__in=team)
        | Q(host_id__in=team)
        | Q(offer__org_unit_id__in=OrgUnit.objects.filter(head_id__in=managers).values("pk"))
    )


def managed_ids(*, user, today=None) -> set[int]:
    """The user, plus the managers absent today for whom the user stands in."""
    today = today or timezone.localdate()
    absences = ApproverAbsence.objects.filter(starts_on__lte=today, ends_on__gte=today).select_related(
        "manager__org_unit"
    )
    ids = {user.pk}
    for absence in absences:
        if absence.substitute_id == user.pk or perms._unit_head_above(absence.manager) == user.pk:
            ids.add(absence.manager_id)
    return ids


def visit_queue(*, user):
    """The decisions waiting for `user`: their team's wishes (as the visitor's manager) and its free
    wishes approved without a host, the requests addressed to them (as host), the visits hosted in
    their units (as the host's manager); for HR, the free wishes routed to them (no host in time)."""
    managers = managed_ids(user=user)
    team = _team(managers)
    waiting = Visit.objects.exclude(visitor=user)
    # Three narrow reads, each served by the state index (one OR across five joins made the
    # planner scan every visit and agent: 100 ms at 20,000 requests).
    # Their team's wishes, and its free wishes approved without a host (they designate one).
    ids = set(
        waiting.filter(
            Q(state=Visit.State.WISH) | Q(state=Visit.State.APPROVED, host=None), visitor_id__in=team
        ).values_list("pk", flat=True)
    )
    approved = waiting.filter(state=Visit.State.APPROVED)
    ids |= set(approved.filter(host=user, host_accepted_at=None).values_list("pk", flat=True))
    if perms.is_hr(user):  # after the delay nobody designated a host: HR
        ids |= set(
            waiting.filter(state__in=[Visit.State.WISH, Visit.State.APPROVED], host=None)
            .exclude(routed_to_hr_at=None)
            .values_list("pk", flat=True)
        )
    units = OrgUnit.objects.filter(head_id__in=managers).values("pk")
    ids |= set(
        approved.filter(host_manager_accepted_at=None)
        .filter(Q(host_id__in=team) | Q(offer__org_unit_id__in=units))
        .exclude(host=user)
        .values_list("pk", flat=True)
    )
    return Visit.objects.with_people().filter(pk__in=ids).order_by("created_at", "pk")


def visit_mine(*, user):
    visits = Visit.objects.with_people().order_by("-created_at", "-pk")
    return visits.filter(visitor=user), visits.filter(host=user)


def host_suggestions(*, visit: Visit, limit: int = 6) -> list[dict]:
    """For a free wish without a host, who could host it: the open offers of that job (or of the
    service it names), then the agents with that job title; never the visitor. Each: the agent,
    their offer when they made one, and why they are suggested."""
    wished = " ".join(visit.wished_job.split())
    if visit.host_id is not None or not wished:
        return []
    offers = (
        Offer.objects.active()
        .filter(Q(job_title__iexact=wished) | Q(job_title__icontains=wished) | Q(org_unit__name__iexact=wished))
        .exclude(host=visit.visitor_id)
        .select_related("host", "org_unit")
        .order_by("job_title", "pk")[:limit]
    )
    found = [
        {"agent": offer.host, "offer": offer, "reason": _("propose une offre : %(job)s") % {"job": offer.job_title}}
        for offer in offers
    ]
    taken = {item["agent"].pk for item in found} | {visit.visitor_id}
    same_job = (
        Agent.objects.internal()
        .active()
        .filter(Q(job_title__iexact=wished) | Q(job_title__icontains=wished))
        .exclude(pk__in=taken)
        .select_related("org_unit")
        .order_by("last_name", "first_name", "pk")[: max(0, limit - len(found))]
    )
    found += [
        {"agent": agent, "offer": None, "reason": _("même métier : %(job)s") % {"job": agent.job_title}}
        for agent in same_job
    ]
    return found


def campaign_visits(*, campaign: Campaign):
    return campaign.visits.with_people().order_by("state", "created_at", "pk")


def reports_published():
    return (
        Visit.objects.with_people()
        .filter(report_published_at__isnull=False, report_publish_consent=True)
        .order_by("-report_published_at")
    )


def agent_data_export(agent) -> dict:
    """What "Montre-moi ton job" holds on `agent`, for their "mes données" download."""

    def visit_data(visit):
        return {
            "campagne": visit.campaign.title,
            "metier": visit.job_label,
            "etat": visit.get_state_display(),
            "visiteur": visit.visitor.get_full_name(),
            "accueillant": visit.host.get_full_name() if visit.host else None,
            "date": visit.scheduled_on.isoformat() if visit.scheduled_on else None,
            "motivation": visit.motivation,
            "engagement_signe_le": visit.agreement_signed_at.isoformat() if visit.agreement_signed_at else None,
            "rapport_d_etonnement": visit.report,
            "publication_acceptee": visit.report_publish_consent,
        }

    visits = Visit.objects.with_people()
    return {
        "offres_d_accueil": list(Offer.objects.filter(host=agent).values("job_title", "description", "active")),
        "visites_demandees": [visit_data(visit) for visit in visits.filter(visitor=agent)],
        "visites_accueillies": [visit_data(visit) for visit in visits.filter(host=agent)],
        "absences_declarees": [
            {"du": a.starts_on.isoformat(), "au": a.ends_on.isoformat()}
            for a in ApproverAbsence.objects.filter(manager=agent)
        ],
    }
