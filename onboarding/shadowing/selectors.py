"""Permission-aware reads of the job-shadowing app, with what each page needs loaded."""

from decimal import Decimal

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from intranet.fulltext import text_match
from intranet.models import Agent, OrgUnit
from intranet.registry import TodoGroup, TodoItem
from intranet.selectors import todo_group_from_queryset
from onboarding.shadowing import permissions as perms
from onboarding.shadowing.models import ApproverAbsence, Campaign, Offer, Visit
from surveys.models import Survey
from surveys.results import survey_satisfaction_rate


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
    """The agents whose manager, or whose unit's head, is one of `managers` (a subquery)."""
    return Agent.objects.filter(Q(manager_id__in=managers) | Q(org_unit__head_id__in=managers)).values("pk")


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


# --- Figures (the campaign page and the action plan's indicators) ----------------------------


def _visits_of(campaign_ids):
    visits = Visit.objects.all()
    return visits if campaign_ids is None else visits.filter(campaign_id__in=campaign_ids)


def campaign_ids_for(argument: str) -> list[int] | None:
    """An indicator's argument: a campaign id, or "" for the campaigns of the current year."""
    if argument:
        return [int(argument)] if argument.isdigit() else []
    year = timezone.localdate().year
    return list(Campaign.objects.filter(wishes_open_on__year=year).values_list("pk", flat=True))


def figure_requests(campaign_ids) -> int:
    return _visits_of(campaign_ids).count()


def figure_participants(campaign_ids) -> int:
    """Distinct agents (visitors and hosts) of the visits that took place."""
    done = _visits_of(campaign_ids).done()
    return len(set(done.values_list("visitor_id", flat=True)) | set(done.values_list("host_id", flat=True)) - {None})


def figure_visits(campaign_ids) -> int:
    return _visits_of(campaign_ids).done().count()


def figure_visits_by_service(campaign_ids) -> list[dict]:
    return list(
        _visits_of(campaign_ids)
        .done()
        .values("host__org_unit__name")
        .annotate(visits=Count("pk"))
        .order_by("-visits", "host__org_unit__name")
    )


def figure_satisfaction(campaign_ids) -> Decimal | None:
    """The mean satisfaction rate of the campaigns' hot-evaluation questionnaires (the surveys
    app's satisfaction rate of each)."""
    campaigns = Campaign.objects.all() if campaign_ids is None else Campaign.objects.filter(pk__in=campaign_ids)
    rates = []
    survey_ids = [
        survey_id
        for pair in campaigns.values_list("visitor_survey_id", "host_survey_id")
        for survey_id in pair
        if survey_id is not None
    ]
    surveys = Survey.objects.in_bulk(survey_ids)
    for survey_id in survey_ids:
        value = survey_satisfaction_rate(surveys[survey_id]) if survey_id in surveys else None
        if value is not None:
            rates.append(Decimal(value))
    return (sum(rates) / len(rates)).quantize(Decimal("0.1")) if rates else None


def campaign_figures(*, campaign: Campaign) -> dict:
    ids = [campaign.pk]
    by_state = dict(campaign.visits.values_list("state").annotate(n=Count("pk")))
    return {
        "requests": figure_requests(ids),
        "participants": figure_participants(ids),
        "visits": figure_visits(ids),
        "by_service": figure_visits_by_service(ids),
        "satisfaction": figure_satisfaction(ids),
        "by_state": [(label, by_state.get(value, 0)) for value, label in Visit.State.choices],
        "reports": campaign.visits.exclude(report="").count(),
        "offers": Offer.objects.active().count(),
    }


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


# --- « À faire » ---------------------------------------------------------------------------------


def todo_decisions(*, user, today, limit: int) -> TodoGroup | None:
    """« À faire »: the requests waiting for `user`'s decision (`visit_queue`, the « À décider »
    page's own list), oldest first; late once their campaign's visits should be over."""
    return todo_group_from_queryset(
        visit_queue(user=user),
        limit=limit,
        late=Q(campaign__visits_end_on__lt=today),
        item=lambda visit: TodoItem(
            title=str(visit),
            url=visit.get_absolute_url(),
            due=visit.campaign.visits_end_on,
            late=visit.campaign.visits_end_on < today,
            detail=visit.get_state_display(),
        ),
        url=reverse("shadowing:visit-queue"),
    )


_TO_SIGN = (Visit.State.APPROVED, Visit.State.ACCEPTED, Visit.State.SCHEDULED)


def _todo_visit_item(visit: Visit, *, user, today) -> TodoItem:
    if visit.host_id == user.pk and visit.state == Visit.State.ACCEPTED:
        title = _("Programmer la visite de %(visitor)s") % {"visitor": visit.visitor.get_full_name()}
        due = visit.campaign.visits_end_on
    elif visit.state == Visit.State.SCHEDULED and visit.agreement_signed_at and visit.scheduled_on <= today:
        title = _("Confirmer que la visite a eu lieu")
        due = visit.scheduled_on
    elif visit.state in _TO_SIGN:
        title = _("Signer l'engagement de discrétion avant votre visite")
        due = visit.scheduled_on
    else:
        title = _("Écrire votre rapport d'étonnement")
        due = visit.campaign.visits_end_on
    return TodoItem(
        title=title,
        url=visit.get_absolute_url(),
        due=due,
        late=due is not None and due < today,
        detail=visit.job_label,
    )


def todo_my_visits(*, user, today, limit: int) -> TodoGroup | None:
    """« À faire » on `user`'s own visits: as the visitor, the discretion agreement to sign before
    the visit and, after it, the rapport d'étonnement (while the campaign lasts); as the host,
    an accepted visit to schedule; for both, from its day on, to confirm that the visit took place."""
    visits = (
        Visit.objects.with_people()
        .filter(
            Q(visitor=user, state__in=_TO_SIGN, agreement_signed_at__isnull=True)
            | Q(host=user, state=Visit.State.ACCEPTED)
            | (Q(visitor=user) | Q(host=user))
            & Q(state=Visit.State.SCHEDULED, agreement_signed_at__isnull=False, scheduled_on__lte=today)
            | Q(visitor=user, state__in=[Visit.State.DONE, Visit.State.EVALUATED], report="")
            & Q(campaign__visits_end_on__gte=today)
        )
        .order_by("scheduled_on", "created_at", "pk")
    )
    return todo_group_from_queryset(
        visits,
        limit=limit,
        late=Q(scheduled_on__lt=today, state__in=_TO_SIGN) | Q(host=user, campaign__visits_end_on__lt=today),
        item=lambda visit: _todo_visit_item(visit, user=user, today=today),
        url=reverse("shadowing:visit-mine"),
    )
