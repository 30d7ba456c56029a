"""Figures of the campaigns: the campaign page and the action plan's indicators."""

from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from onboarding.shadowing.models import Campaign, Offer, Visit
from surveys.models import Survey
from surveys.results import survey_satisfaction_rate


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
