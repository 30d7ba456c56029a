"""Roles: Django groups, plus roles derived from relations.

Group roles are given by HR or an administrator. Derived roles follow from the data:
a manager has reports or heads a unit; an action pilot pilots an action card (each rule is a
`DerivedRole` of the registry, registered by the app that knows the relation). Object-level rules
("may this manager approve this visit?") live in each app's permissions.py and use
these helpers; templates never decide a permission.
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from intranet.registry import registry


class Role(StrEnum):
    AGENT = "agent"
    MANAGER = "manager"
    HR = "rh"
    COMMUNICATION = "communication"
    COPIL = "copil"
    PILOT = "pilote"
    PARTNER = "partenaire"
    ADMIN = "admin"


# Roles given by membership of a group; the group's name is the role's value.
GROUP_ROLES = (Role.HR, Role.COMMUNICATION, Role.COPIL, Role.PARTNER, Role.ADMIN)

LABELS = {
    Role.AGENT: _("Agent"),
    Role.MANAGER: _("Encadrant"),
    Role.HR: _("Ressources humaines"),
    Role.COMMUNICATION: _("Communication"),
    Role.COPIL: _("Comité de pilotage"),
    Role.PILOT: _("Pilote d'action"),
    Role.PARTNER: _("Partenaire externe"),
    Role.ADMIN: _("Administrateur"),
}


def roles_of(user) -> frozenset[Role]:
    """Every role of `user`, computed once per user object."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_roles_cache", None)
    if cached is not None:
        return cached
    groups = set(user.groups.values_list("name", flat=True))
    roles = {role for role in GROUP_ROLES if role.value in groups}
    if user.is_superuser:
        roles.add(Role.ADMIN)
    if user.is_external:
        roles.add(Role.PARTNER)
    else:
        roles.add(Role.AGENT)
        roles.update(Role(derived.key) for derived in registry.derived_roles.values() if derived.rule(user))
    user._roles_cache = frozenset(roles)
    return user._roles_cache


def has_role(user, *roles: Role) -> bool:
    """True when `user` holds at least one of `roles`; administrators hold them all."""
    held = roles_of(user)
    return Role.ADMIN in held or any(role in held for role in roles)


def is_internal(user) -> bool:
    """An authenticated agent of the administration (not an external partner)."""
    return getattr(user, "is_authenticated", False) and not user.is_external
