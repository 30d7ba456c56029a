"""Who is in an audience: the same rule as `audience_agents`, read the other way (is this agent
one of the audience?), for the pages that decide what one person may read."""

from __future__ import annotations

from dataclasses import dataclass

from intranet.audiences.spec import AudienceSpec
from intranet.models import OrgUnit


@dataclass(frozen=True)
class AudienceMember:
    """What the audience rule reads of one agent: `audience_includes(spec=..., member=...)` is true
    exactly when `audience_agents(spec=...)` would list that agent (being active aside)."""

    pk: int
    internal: bool
    units: frozenset[int]  # the agent's unit and every unit above it
    site: int | None
    category: str
    roles: frozenset[str]


def _unit_ancestors(unit_id: int | None) -> frozenset[int]:
    if unit_id is None:
        return frozenset()
    parents = dict(OrgUnit.objects.values_list("pk", "parent_id"))
    found: list[int] = []
    current: int | None = unit_id
    while current is not None and current not in found:
        found.append(current)
        current = parents.get(current)
    return frozenset(found)


def audience_member(agent) -> AudienceMember:
    """`agent` as the audience rule sees it (two queries: the units above theirs, their roles);
    kept on the agent object, so a page asks once whatever the number of audiences it tests."""
    cached = getattr(agent, "_audience_member", None)
    if cached is not None:
        return cached
    from intranet.roles import roles_of  # roles reads the registry

    member = AudienceMember(
        pk=agent.pk,
        internal=not agent.is_external,
        units=_unit_ancestors(agent.org_unit_id),
        site=agent.site_id,
        category=agent.category or "",
        roles=frozenset(str(role) for role in roles_of(agent)),
    )
    agent._audience_member = member
    return member


def audience_includes(*, spec: AudienceSpec, member: AudienceMember) -> bool:
    """Whether `member` is one of the audience `spec` (the package's rule)."""
    if member.pk in spec.agents:
        return True
    if not member.internal:
        return spec.partners
    if not (spec.everyone or spec.has_filters):
        return False
    if spec.units and not member.units.intersection(spec.units):
        return False
    if spec.sites and member.site not in spec.sites:
        return False
    if member.site is not None and member.site in spec.except_sites:
        return False
    if spec.categories and member.category not in spec.categories:
        return False
    return not spec.roles or bool(member.roles.intersection(spec.roles))
