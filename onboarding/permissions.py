"""Who may do what with arrivals. Views and selectors ask these rules; templates receive
their answers and never decide on their own.

- HR (and administrators) record arrivals, edit the journey templates, confirm parrains
  and marraines, run the journées d'intégration and see every arrival;
- HR and communication edit the welcome guide's chapters and identity;
- a manager sees the journeys of their arrivals, a parrain or marraine those of their
  newcomers, an arriving agent their own journey and guide;
- each one ticks the tasks given to them (HR ticks any).
"""

from intranet.roles import Role, has_role, is_internal
from onboarding.models import Assignee


def can_manage_onboarding(user) -> bool:
    return is_internal(user) and has_role(user, Role.HR, Role.ADMIN)


def can_edit_guide(user) -> bool:
    return is_internal(user) and has_role(user, Role.HR, Role.COMMUNICATION, Role.ADMIN)


def can_view_arrival(user, arrival) -> bool:
    if not is_internal(user):
        return False
    return can_manage_onboarding(user) or user.pk in (arrival.agent_id, arrival.manager_id, arrival.buddy_id)


def can_tick_task(user, task) -> bool:
    """The task's assignee, or whoever holds its role for this arrival now, or HR."""
    if not is_internal(user):
        return False
    if can_manage_onboarding(user) or task.assignee_id == user.pk:
        return True
    arrival = task.arrival
    holder = {
        Assignee.AGENT: arrival.agent_id,
        Assignee.MANAGER: arrival.manager_id,
        Assignee.BUDDY: arrival.buddy_id,
    }.get(task.assignee_role)
    return holder is not None and holder == user.pk
