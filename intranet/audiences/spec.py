"""The audience itself: its spec, the agents it resolves to, and its description in French."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intranet.models import Agent, OrgUnit, Site
from intranet.roles import GROUP_ROLES, Role

# The roles an audience can name: the group roles (except partners, chosen by their own box and
# administrators, a technical role) and managers (agents who head a unit or have reports).
AUDIENCE_ROLES = tuple(role for role in GROUP_ROLES if role not in (Role.PARTNER, Role.ADMIN)) + (Role.MANAGER,)
ROLE_LABELS = {
    Role.HR: gettext_lazy("Ressources humaines"),
    Role.COMMUNICATION: gettext_lazy("Communication"),
    Role.COPIL: gettext_lazy("Comité de pilotage"),
    Role.MANAGER: gettext_lazy("Encadrants"),
}


@dataclass(frozen=True)
class AudienceSpec:
    everyone: bool = False
    units: tuple[int, ...] = ()  # with their sub-units
    sites: tuple[int, ...] = ()
    categories: tuple[str, ...] = ()  # Agent.Category values
    roles: tuple[str, ...] = ()  # Role values among AUDIENCE_ROLES
    agents: tuple[int, ...] = ()  # added by hand
    partners: bool = False
    # Left out of the internal part (everyone or the filters), not of the agents named by hand nor
    # the partners: « the audience, except the sites that have their own » (events' invitations).
    except_sites: tuple[int, ...] = ()

    @property
    def has_filters(self) -> bool:
        return bool(self.units or self.sites or self.categories or self.roles)

    @property
    def is_empty(self) -> bool:
        return not (self.everyone or self.has_filters or self.agents or self.partners)

    def to_json(self) -> dict:
        data = asdict(self)
        if not self.except_sites:  # the specs stored before it existed, and most since, go without
            del data["except_sites"]
        return {key: list(value) if isinstance(value, tuple) else value for key, value in data.items()}

    @classmethod
    def from_json(cls, data: dict | None) -> AudienceSpec:
        data = data or {}
        return cls(
            everyone=bool(data.get("everyone")),
            units=tuple(int(pk) for pk in data.get("units", ())),
            sites=tuple(int(pk) for pk in data.get("sites", ())),
            categories=tuple(str(value) for value in data.get("categories", ())),
            roles=tuple(str(value) for value in data.get("roles", ())),
            agents=tuple(int(pk) for pk in data.get("agents", ())),
            partners=bool(data.get("partners")),
            except_sites=tuple(int(pk) for pk in data.get("except_sites", ())),
        )


def unit_ids_with_descendants(unit_ids) -> set[int]:
    """`unit_ids` and the ids of every unit below them (one query: the tree is loaded whole)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in OrgUnit.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found: set[int] = set()
    pending = list(unit_ids)
    while pending:
        pk = pending.pop()
        if pk not in found:
            found.add(pk)
            pending.extend(children.get(pk, []))
    return found


def _role_filter(roles) -> Q:
    condition = Q(pk__in=[])
    group_names = [role for role in roles if role != Role.MANAGER]
    if group_names:
        condition |= Q(groups__name__in=group_names)
    if Role.MANAGER in roles:
        condition |= Q(headed_units__isnull=False) | Q(reports__isnull=False)
    return condition


def audience_agents(*, spec: AudienceSpec) -> QuerySet[Agent]:
    """Every active agent of the audience, each once, ordered by name."""
    active = Agent.objects.active()
    condition = Q(pk__in=[])
    if spec.everyone or spec.has_filters:
        internal = Q(is_external=False)
        if spec.units:
            internal &= Q(org_unit_id__in=unit_ids_with_descendants(spec.units))
        if spec.sites:
            internal &= Q(site_id__in=spec.sites)
        if spec.categories:
            internal &= Q(category__in=spec.categories)
        if spec.roles:
            internal &= Q(pk__in=active.filter(_role_filter(spec.roles)).values("pk"))
        if spec.except_sites:
            internal &= ~Q(site_id__in=spec.except_sites)  # Django keeps the agents without a site (NULL)
        condition |= internal
    if spec.agents:
        condition |= Q(pk__in=spec.agents)
    if spec.partners:
        condition |= Q(is_external=True)
    return active.filter(condition).order_by("last_name", "first_name", "pk")


def audience_describe(*, spec: AudienceSpec) -> str:
    """The audience in a French sentence, for the pages that show who will receive something."""
    if spec.is_empty:
        return _("Personne")
    parts = []
    if spec.everyone or spec.has_filters:
        filters = []
        if spec.units:
            names = OrgUnit.objects.filter(pk__in=spec.units).order_by("name").values_list("name", flat=True)
            filters.append(_("des unités %(names)s (et de leurs sous-unités)") % {"names": ", ".join(names)})
        if spec.sites:
            names = Site.objects.filter(pk__in=spec.sites).order_by("name").values_list("name", flat=True)
            filters.append(_("des sites %(names)s") % {"names": ", ".join(names)})
        if spec.categories:
            filters.append(_("de catégorie %(names)s") % {"names": ", ".join(sorted(spec.categories))})
        if spec.roles:
            labels = [str(ROLE_LABELS.get(Role(role), role)) for role in spec.roles if role in {r.value for r in Role}]
            filters.append(_("ayant le rôle %(names)s") % {"names": ", ".join(labels)})
        if spec.except_sites:
            names = Site.objects.filter(pk__in=spec.except_sites).order_by("name").values_list("name", flat=True)
            filters.append(_("hors des sites %(names)s") % {"names": ", ".join(names)})
        parts.append(" ".join([_("Les agents"), *filters]) if filters else _("Tous les agents"))
    if spec.agents:
        parts.append(_("%(count)d agent(s) choisi(s) nommément") % {"count": len(spec.agents)})
    if spec.partners:
        parts.append(_("les partenaires extérieurs"))
    return " ; ".join(parts)


def audience_is_every_agent(spec: AudienceSpec) -> bool:
    """True when the audience holds every internal agent (no filter restricts it)."""
    return spec.everyone and not spec.has_filters and not spec.except_sites
