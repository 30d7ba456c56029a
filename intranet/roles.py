"""Roles: Django groups, plus roles derived from relations.

Group roles are given by HR or an administrator. Derived roles follow from the data:
a manager has reports or heads a unit; an action pilot pilots an action card (each rule is a
`DerivedRole` of the registry, registered by the app that knows the relation). Object-level rules
("may this manager approve this visit?") live in each app's permissions.py and use
these helpers; templates never decide a permission.
"""

from enum import StrEnum

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from intranet.kept import renew, version
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


# Each person's groups and derived roles are kept in the cache (every page's menu needs them:
# 3 to 4 queries saved a request) per version of the roles: what changes a group, a manager, a
# unit's head or a card's pilots calls roles_changed(); the time limit bounds what a change made
# elsewhere (a shell) leaves stale. settings.ROLES_CACHE_SECONDS: 0 keeps nothing (the tests,
# whose factories change relations without the services).
ROLES_VERSION = "roles"


def roles_changed() -> None:
    """Start a new version of everyone's roles (intranet.kept.renew: now and after the commit)."""
    renew(ROLES_VERSION)


def _stored_roles(user) -> set[Role]:
    """The roles from groups and relations (not from the user's own row), from the cache."""
    key = f"roles:{user.pk}:{version(ROLES_VERSION)}"
    stored = cache.get(key)
    if stored is not None:
        return {Role(value) for value in stored}
    groups = set(user.groups.values_list("name", flat=True))
    roles = {role for role in GROUP_ROLES if role.value in groups}
    if not user.is_external:
        roles.update(Role(derived.key) for derived in registry.derived_roles.values() if derived.rule(user))
    if settings.ROLES_CACHE_SECONDS:
        cache.set(key, sorted(roles), settings.ROLES_CACHE_SECONDS)
    return roles


def roles_of(user) -> frozenset[Role]:
    """Every role of `user`, computed once per user object (groups and derived roles: once per
    version of the roles, from the cache)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_roles_cache", None)
    if cached is not None:
        return cached
    roles = _stored_roles(user)
    if user.is_superuser:
        roles.add(Role.ADMIN)
    if user.is_external:
        roles.add(Role.PARTNER)
    else:
        roles.add(Role.AGENT)
    user._roles_cache = frozenset(roles)
    return user._roles_cache


def has_role(user, *roles: Role) -> bool:
    """True when `user` holds at least one of `roles`; administrators hold them all."""
    held = roles_of(user)
    return Role.ADMIN in held or any(role in held for role in roles)


def is_internal(user) -> bool:
    """An authenticated agent of the administration (not an external partner)."""
    return getattr(user, "is_authenticated", False) and not user.is_external
