"""Parrains and marraines: the volunteers, the suggestions HR reads (a score and its reasons), and
the confirmation of a buddy."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from intranet.links import absolute_url
from intranet.models import Agent
from intranet.services import audit_log_record
from onboarding.models import Arrival, Assignee, BuddyVolunteer
from onboarding.services.common import _mail
from onboarding.services.welcome_guide import guide_request

# A parrain or marraine accompanies a newcomer this long after the arrival: within it, the
# newcomer counts against the volunteer's capacity.
BUDDY_PERIOD = timedelta(days=180)


@transaction.atomic
def volunteer_save(*, agent: Agent, capacity: int, note: str = "", is_active: bool = True) -> BuddyVolunteer:
    if agent.is_external:
        raise ValidationError(_("Un partenaire externe ne peut pas être parrain ou marraine."))
    volunteer = BuddyVolunteer.objects.filter(agent=agent).first() or BuddyVolunteer(agent=agent)
    volunteer.capacity, volunteer.note, volunteer.is_active = capacity, note, is_active
    volunteer.full_clean()
    volunteer.save()
    return volunteer


def buddy_load(*, today: date | None = None) -> Count:
    """For annotating volunteers: how many newcomers each accompanies now (arrived less than
    BUDDY_PERIOD ago, or not yet)."""
    today = today or timezone.localdate()
    return Count("agent__buddy_arrivals", filter=Q(agent__buddy_arrivals__arrival_date__gte=today - BUDDY_PERIOD))


@dataclass
class BuddySuggestion:
    volunteer: BuddyVolunteer
    score: int
    reasons: list[str]
    load: int


def buddy_suggestions(*, arrival: Arrival, limit: int = 5, today: date | None = None) -> list[BuddySuggestion]:
    """Volunteers with room left, best first. The score, explained to HR by its reasons:
    +3 from another service (a fresh look, outside the hierarchy), +2 on the same site (they
    can meet), +1 per 2 years in the administration (up to +3), -1 per newcomer already
    accompanied. The newcomer, their manager and full volunteers are left out."""
    today = today or timezone.localdate()
    agent = arrival.agent
    volunteers = (
        BuddyVolunteer.objects.filter(is_active=True, agent__is_active=True, agent__anonymised_at__isnull=True)
        .exclude(agent=agent)
        .exclude(agent_id=arrival.manager_id)
        .select_related("agent__org_unit", "agent__site")
        .annotate(load=buddy_load(today=today))
    )
    suggestions = []
    for volunteer in volunteers:
        if volunteer.load >= volunteer.capacity and arrival.buddy_id != volunteer.agent_id:
            continue
        candidate, score, reasons = volunteer.agent, 0, []
        if candidate.org_unit_id and candidate.org_unit_id != agent.org_unit_id:
            score += 3
            reasons.append(_("+3 : un autre service (%(unit)s)") % {"unit": candidate.org_unit})
        elif candidate.org_unit_id:
            reasons.append(_("+0 : le même service"))
        if candidate.site_id and candidate.site_id == agent.site_id:
            score += 2
            reasons.append(_("+2 : le même site (%(site)s)") % {"site": candidate.site})
        if candidate.arrival_date:
            years = (today - candidate.arrival_date).days // 365
            bonus = min(years // 2, 3)
            if bonus:
                score += bonus
                reasons.append(
                    _("+%(bonus)s : %(years)s ans d'expérience dans l'administration")
                    % {"bonus": bonus, "years": years}
                )
        if volunteer.load:
            score -= volunteer.load
            reasons.append(
                _("-%(load)s : accompagne déjà %(load)s nouvel(s) agent(s) sur %(capacity)s")
                % {"load": volunteer.load, "capacity": volunteer.capacity}
            )
        suggestions.append(BuddySuggestion(volunteer=volunteer, score=score, reasons=reasons, load=volunteer.load))
    suggestions.sort(key=lambda s: (-s.score, s.volunteer.agent.last_name, s.volunteer.agent.first_name))
    return suggestions[:limit]


@transaction.atomic
def buddy_assign(*, arrival: Arrival, buddy: Agent, user, today: date | None = None) -> Arrival:
    """HR confirms a parrain or marraine: a volunteer with room left (their row is locked, so
    two confirmations at once cannot both take the last place); both are told by e-mail and
    the buddy's tasks of the journey are given to them."""
    today = today or timezone.localdate()
    if buddy.pk == arrival.agent_id:
        raise ValidationError(_("Un agent ne peut pas être son propre parrain."))
    volunteer = BuddyVolunteer.objects.select_for_update().filter(agent=buddy, is_active=True).first()
    if volunteer is None:
        raise ValidationError(_("%(agent)s n'est pas inscrit comme parrain ou marraine volontaire.") % {"agent": buddy})
    arrival = Arrival.objects.select_for_update(of=("self",)).select_related("agent", "manager").get(pk=arrival.pk)
    if arrival.buddy_id == buddy.pk:
        return arrival
    load = Arrival.objects.filter(buddy=buddy, arrival_date__gte=today - BUDDY_PERIOD).count()
    if load >= volunteer.capacity:
        raise ValidationError(
            _("%(agent)s accompagne déjà %(load)s nouvel(s) agent(s) : sa capacité (%(capacity)s) est atteinte.")
            % {"agent": buddy, "load": load, "capacity": volunteer.capacity}
        )
    arrival.buddy, arrival.buddy_confirmed_at = buddy, timezone.now()
    arrival.save(update_fields=["buddy", "buddy_confirmed_at"])
    arrival.tasks.filter(assignee_role=Assignee.BUDDY).update(assignee=buddy)
    agent = arrival.agent
    url = absolute_url(arrival.get_absolute_url())
    _mail(
        agent=buddy,
        subject=_("Vous parrainez %(agent)s") % {"agent": agent},
        text=_(
            "Bonjour,\n\nMerci de votre engagement : vous accompagnerez %(agent)s, qui arrive le %(date)s "
            "(%(unit)s). Son parcours d'intégration et ce que nous attendons de vous : %(url)s\n"
        )
        % {"agent": agent, "date": f"{arrival.arrival_date:%d/%m/%Y}", "unit": agent.org_unit or "", "url": url},
        kind="onboarding.buddy.volunteer",
    )
    _mail(
        agent=agent,
        subject=_("Votre parrain ou marraine : %(buddy)s") % {"buddy": buddy},
        text=_(
            "Bonjour,\n\n%(buddy)s (%(job)s, %(unit)s) sera votre parrain ou marraine pendant vos premiers "
            "mois : n'hésitez pas à lui poser vos questions. Votre parcours : %(url)s\n"
        )
        % {"buddy": buddy, "job": buddy.job_title, "unit": buddy.org_unit or "", "url": url},
        kind="onboarding.buddy.newcomer",
    )
    audit_log_record(actor=user, action="onboarding.buddy.assign", target=arrival, details={"buddy": buddy.pk})
    guide_request(arrival=arrival)
    return arrival
