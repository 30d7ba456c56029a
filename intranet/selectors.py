"""Permission-aware reads of the core."""

from django.db.models import QuerySet

from intranet.models import Agent, AuditLogEntry
from intranet.roles import is_internal


def agent_list_visible_to(*, user) -> QuerySet[Agent]:
    """Agents `user` may find: every active, not anonymised agent of the administration for
    an internal user; nobody for an external partner. The one rule of the directory (search,
    agent page, vCard, org chart): partners' "directory of their contacts" is not defined
    yet, so until it is they see no agent at all, never more."""
    if not is_internal(user):
        return Agent.objects.none()
    return Agent.objects.active().internal().select_related("org_unit", "site")


def audit_log_list() -> QuerySet[AuditLogEntry]:
    return AuditLogEntry.objects.select_related("actor", "target_type")


def home_unit_context(*, user) -> dict | None:
    """The "my service" slot: the agent's unit, manager and the size of the team."""
    if user.org_unit_id is None and user.manager_id is None:
        return None
    agent = Agent.objects.select_related("org_unit__head", "site", "manager").get(pk=user.pk)
    colleagues = agent.org_unit.members.active().count() if agent.org_unit else 0
    return {"agent": agent, "colleagues": colleagues}
