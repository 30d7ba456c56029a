"""Who may do what with job-shadowing visits: one place, used by the services, the views and
the selectors (a template never decides).

- A visit's visitor-side approvers: the visitor's manager and the head of the visitor's unit.
- Its host-side approvers: the host's manager, the head of the host's unit and the head of the
  offer's service ("visits hosted in their units").
- An approver absent today (ApproverAbsence) is replaced by the substitute named on the
  absence and by the head of their own unit (the nearest unit up whose head is someone else).
- HR sees and acts on everything.
"""

from dataclasses import dataclass

from django.utils import timezone

from intranet.roles import Role, has_role, is_internal
from onboarding.shadowing.models import ApproverAbsence, Visit


def is_hr(user) -> bool:
    return has_role(user, Role.HR)


def can_use(user) -> bool:
    """The catalogue, wishes and offers: every internal agent."""
    return is_internal(user)


def can_manage_campaigns(user) -> bool:
    return is_hr(user)


def can_read_figures(user) -> bool:
    return has_role(user, Role.HR, Role.COPIL, Role.PILOT)


def can_promote(user) -> bool:
    """Flyers, posters, the mailing to all agents."""
    return has_role(user, Role.HR, Role.COMMUNICATION)


def can_declare_absence(user) -> bool:
    return has_role(user, Role.MANAGER, Role.HR)


def _ids(*agents) -> set[int]:
    return {agent.pk for agent in agents if agent is not None}


def visitor_approver_ids(visit: Visit) -> set[int]:
    visitor = visit.visitor
    unit_head = visitor.org_unit.head_id if visitor.org_unit_id else None
    return {visitor.manager_id, unit_head} - {None, visitor.pk}


def host_approver_ids(visit: Visit) -> set[int]:
    if visit.host_id is None:
        return set()
    host = visit.host
    ids = {host.manager_id, host.org_unit.head_id if host.org_unit_id else None}
    if visit.offer_id:
        ids.add(visit.offer.org_unit.head_id)
    return ids - {None, host.pk}


def _unit_head_above(manager) -> int | None:
    unit = manager.org_unit if manager.org_unit_id else None
    while unit is not None:
        if unit.head_id and unit.head_id != manager.pk:
            return unit.head_id
        unit = unit.parent
    return None


def substitutes(approver_ids: set[int], *, today=None) -> dict[int, int]:
    """{substitute id: absent approver id} for the approvers absent today."""
    today = today or timezone.localdate()
    result: dict[int, int] = {}
    absences = ApproverAbsence.objects.filter(
        manager_id__in=approver_ids, starts_on__lte=today, ends_on__gte=today
    ).select_related("manager__org_unit")
    for absence in absences:
        head = _unit_head_above(absence.manager)
        for substitute_id in (absence.substitute_id, head):
            if substitute_id and substitute_id != absence.manager_id:
                result.setdefault(substitute_id, absence.manager_id)
    return result


def absent_ids(approver_ids: set[int], *, today=None) -> set[int]:
    today = today or timezone.localdate()
    return set(
        ApproverAbsence.objects.filter(
            manager_id__in=approver_ids, starts_on__lte=today, ends_on__gte=today
        ).values_list("manager_id", flat=True)
    )


@dataclass(frozen=True)
class Acting:
    """May `user` act as an approver of this side? `on_behalf_of` is the absent approver a
    substitute stands in for (None when acting in their own right)."""

    allowed: bool
    on_behalf_of_id: int | None = None
    as_hr: bool = False


def acting_as(user, approver_ids: set[int]) -> Acting:
    if not getattr(user, "is_authenticated", False):
        return Acting(False)
    if user.pk in approver_ids:
        return Acting(True)
    substituted = substitutes(approver_ids).get(user.pk)
    if substituted is not None:
        return Acting(True, on_behalf_of_id=substituted)
    if is_hr(user):
        return Acting(True, as_hr=True)
    return Acting(False)


def acting_for_visitor_side(user, visit: Visit) -> Acting:
    return acting_as(user, visitor_approver_ids(visit))


def acting_for_host_side(user, visit: Visit) -> Acting:
    return acting_as(user, host_approver_ids(visit))


def can_see_visit(user, visit: Visit) -> bool:
    if not is_internal(user):
        return False
    if user.pk in (visit.visitor_id, visit.host_id) or is_hr(user):
        return True
    return acting_for_visitor_side(user, visit).allowed or acting_for_host_side(user, visit).allowed


def can_cancel(user, visit: Visit) -> bool:
    return visit.is_open and can_see_visit(user, visit)


def can_schedule(user, visit: Visit) -> bool:
    return visit.state in (Visit.State.ACCEPTED, Visit.State.SCHEDULED) and (
        user.pk == visit.host_id or acting_for_host_side(user, visit).allowed
    )


def can_complete(user, visit: Visit) -> bool:
    return visit.state == Visit.State.SCHEDULED and (
        user.pk in (visit.visitor_id, visit.host_id) or acting_for_host_side(user, visit).allowed
    )


def can_complete_now(user, visit: Visit, *, today=None) -> bool:
    """« La visite a eu lieu »: offered from the visit's day on, to those who may confirm it."""
    today = today or timezone.localdate()
    return can_complete(user, visit) and visit.scheduled_on is not None and visit.scheduled_on <= today


def can_assign_host(user, visit: Visit) -> bool:
    return (
        visit.state in (Visit.State.WISH, Visit.State.APPROVED)
        and visit.host_id is None
        and (is_hr(user) or acting_for_visitor_side(user, visit).allowed)
    )


def can_approve(user, visit: Visit) -> bool:
    """The step waiting for this user's decision (approve / accept / refuse)."""
    if visit.state == Visit.State.WISH:
        return acting_for_visitor_side(user, visit).allowed
    if visit.state == Visit.State.APPROVED and visit.host_id is not None:
        if user.pk == visit.host_id:
            return visit.host_accepted_at is None
        acting = acting_for_host_side(user, visit)
        return acting.allowed and (visit.host_manager_accepted_at is None or acting.as_hr)
    return False


def can_edit_offer(user, offer) -> bool:
    """A hosting offer is edited by its host, or by HR."""
    return offer.host_id == user.pk or is_hr(user)


def is_visitor(user, visit: Visit) -> bool:
    return user.pk == visit.visitor_id


# States in which the visitor signs the discretion agreement: between the approval and the visit.
AGREEMENT_STATES = (Visit.State.APPROVED, Visit.State.ACCEPTED, Visit.State.SCHEDULED)


def can_sign_agreement(user, visit: Visit) -> bool:
    return is_visitor(user, visit) and visit.agreement_signed_at is None and visit.state in AGREEMENT_STATES


def can_write_report(user, visit: Visit) -> bool:
    """The rapport d'étonnement: the visitor's, once the visit took place."""
    return is_visitor(user, visit) and visit.state in (Visit.State.DONE, Visit.State.EVALUATED)


def can_publish_report(user, visit: Visit) -> bool:
    """HR publishes a report its author wrote and agreed to see published."""
    return is_hr(user) and bool(visit.report) and visit.report_publish_consent
