"""Permission-aware reads of the core."""

from django.db.models import Q, QuerySet

from intranet.models import Agent, AuditLogEntry
from intranet.roles import is_internal


def agent_list_visible_to(*, user) -> QuerySet[Agent]:
    """Agents `user` may find: every active agent for an internal user, nobody otherwise
    (the partners' directory of their contacts comes with the directory issue)."""
    if not is_internal(user):
        return Agent.objects.none()
    return Agent.objects.active().internal().select_related("org_unit", "site")


def agent_search(*, user, query: str, limit: int = 10) -> QuerySet[Agent]:
    """A simple search on names, job title and e-mail (the directory brings ranking)."""
    agents = agent_list_visible_to(user=user)
    for word in query.split():
        agents = agents.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word)
            | Q(job_title__icontains=word) | Q(email__icontains=word)
        )
    return agents[:limit]


def audit_log_list() -> QuerySet[AuditLogEntry]:
    return AuditLogEntry.objects.select_related("actor", "target_type")


def home_unit_context(*, user) -> dict | None:
    """The "my service" slot: the agent's unit, manager and the size of the team."""
    if user.org_unit_id is None and user.manager_id is None:
        return None
    agent = Agent.objects.select_related("org_unit__head", "site", "manager").get(pk=user.pk)
    colleagues = agent.org_unit.members.active().count() if agent.org_unit else 0
    return {"agent": agent, "colleagues": colleagues}
