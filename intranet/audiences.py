"""Audiences: who a newsletter, a survey or a mailing is addressed to, shared by every app.

An audience is a small JSON-able spec (`AudienceSpec`), stored by the app that uses it and
resolved to agents with `audience_agents(spec=...)` at the moment it matters (the send, the
invitation), so the app can freeze the result as its own rows.

The rule, said once:
- the internal part starts from every active internal agent when `everyone` is set or any filter
  is given; each filter (units with their sub-units, sites, categories, roles) then restricts it,
  several values of one filter meaning "any of them": "site Lycée Fabert AND category C";
- the agents listed by hand are added, and external partners too when `partners` is set.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intranet.models import Agent, OrgUnit, SavedAudience, Site
from intranet.pickers import PickerMultipleChoiceField
from intranet.roles import GROUP_ROLES, Role
from intranet.text_policy import TextPolicyMixin

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

    @property
    def has_filters(self) -> bool:
        return bool(self.units or self.sites or self.categories or self.roles)

    @property
    def is_empty(self) -> bool:
        return not (self.everyone or self.has_filters or self.agents or self.partners)

    def to_json(self) -> dict:
        data = asdict(self)
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
        parts.append(" ".join([_("Les agents"), *filters]) if filters else _("Tous les agents"))
    if spec.agents:
        parts.append(_("%(count)d agent(s) choisi(s) nommément") % {"count": len(spec.agents)})
    if spec.partners:
        parts.append(_("les partenaires extérieurs"))
    return " ; ".join(parts)


class AudienceForm(TextPolicyMixin, forms.Form):
    """Chooses an audience; `spec` holds the result once the form is valid.

    Agents named by hand are typed as e-mail addresses, one per line (a select of 10,000 agents is
    not usable); an unknown address is a form error naming it, so nothing is lost silently.
    """

    saved = forms.ModelChoiceField(
        label=gettext_lazy("Liste enregistrée"),
        queryset=SavedAudience.objects.all(),
        required=False,
        help_text=gettext_lazy("Reprend une liste enregistrée ; les autres champs s'ajoutent à elle."),
    )
    everyone = forms.BooleanField(label=gettext_lazy("Tous les agents"), required=False)
    units = PickerMultipleChoiceField(
        picker="services",
        kind="unit",
        label=gettext_lazy("Unités (avec leurs sous-unités)"),
        queryset=OrgUnit.objects.all(),
        required=False,
    )
    sites = PickerMultipleChoiceField(
        picker="sites", kind="site", label=gettext_lazy("Sites"), queryset=Site.objects.all(), required=False
    )
    categories = forms.MultipleChoiceField(
        label=gettext_lazy("Catégories"),
        choices=Agent.Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    roles = forms.MultipleChoiceField(
        label=gettext_lazy("Rôles"),
        choices=[(role.value, ROLE_LABELS[role]) for role in AUDIENCE_ROLES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    emails = forms.CharField(
        label=gettext_lazy("Agents choisis nommément"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Une adresse e-mail par ligne."),
    )
    partners = forms.BooleanField(label=gettext_lazy("Les partenaires extérieurs"), required=False)

    def clean_emails(self) -> tuple[int, ...]:
        addresses = []
        for line_number, line in enumerate(self.cleaned_data["emails"].splitlines(), start=1):
            address = line.strip().lower()
            if not address:
                continue
            try:
                validate_email(address)
            except ValidationError:
                raise ValidationError(
                    _("Ligne %(line)d : « %(value)s » n'est pas une adresse e-mail.")
                    % {"line": line_number, "value": address}
                ) from None
            addresses.append(address)
        found = dict(Agent.objects.active().filter(email__in=addresses).values_list("email", "pk"))
        unknown = [address for address in addresses if address not in found]
        if unknown:
            raise ValidationError(
                _("Aucun agent actif avec l'adresse : %(addresses)s.") % {"addresses": ", ".join(unknown)}
            )
        return tuple(dict.fromkeys(found[address] for address in addresses))

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        base = AudienceSpec.from_json(cleaned["saved"].spec) if cleaned.get("saved") else AudienceSpec()
        spec = AudienceSpec(
            everyone=base.everyone or cleaned["everyone"],
            units=tuple(dict.fromkeys([*base.units, *(unit.pk for unit in cleaned["units"])])),
            sites=tuple(dict.fromkeys([*base.sites, *(site.pk for site in cleaned["sites"])])),
            categories=tuple(dict.fromkeys([*base.categories, *cleaned["categories"]])),
            roles=tuple(dict.fromkeys([*base.roles, *cleaned["roles"]])),
            agents=tuple(dict.fromkeys([*base.agents, *cleaned["emails"]])),
            partners=base.partners or cleaned["partners"],
        )
        if spec.is_empty:
            raise ValidationError(_("Choisissez au moins un destinataire : tous les agents, un filtre ou une liste."))
        self.spec = spec
        return cleaned

    @classmethod
    def initial_from(cls, spec: AudienceSpec) -> dict:
        """The form's initial values for an existing spec (to edit it)."""
        emails = Agent.objects.filter(pk__in=spec.agents).order_by("email").values_list("email", flat=True)
        return {
            "everyone": spec.everyone,
            "units": list(spec.units),
            "sites": list(spec.sites),
            "categories": list(spec.categories),
            "roles": list(spec.roles),
            "emails": "\n".join(emails),
            "partners": spec.partners,
        }


# --- Who is in an audience (the same rule, read the other way) ---------------------------------


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
    """Whether `member` is one of the audience `spec` (the module's rule)."""
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
    if spec.categories and member.category not in spec.categories:
        return False
    return not spec.roles or bool(member.roles.intersection(spec.roles))


def audience_is_every_agent(spec: AudienceSpec) -> bool:
    """True when the audience holds every internal agent (no filter restricts it)."""
    return spec.everyone and not spec.has_filters
