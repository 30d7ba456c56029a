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
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
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


_roles_models: set[str] = set()


def roles_depend_on(*labels: str) -> None:
    """Models whose rows decide roles or a `person_flag` ("content.Editor"): their saves and
    deletions start a new version of the roles."""
    _roles_models.update(labels)


@receiver(post_save, dispatch_uid="roles-renewed-on-save")
@receiver(post_delete, dispatch_uid="roles-renewed-on-delete")
def _roles_renewed_on_change(sender, **kwargs) -> None:
    if sender._meta.label in _roles_models:
        roles_changed()


@receiver(m2m_changed, dispatch_uid="roles-renewed-on-m2m")
def _roles_renewed_on_relation(sender, action, **kwargs) -> None:
    if action.startswith("post_") and sender._meta.label in _roles_models:
        roles_changed()


def _roles_key(user) -> str:
    return f"roles:{user.pk}:{version(ROLES_VERSION)}"


def _stored(user) -> dict:
    """The person's groups and derived roles, and the facts `person_flag` has kept with them:
    from the cache (one read), computed when missing; kept on the user object for the request."""
    entry = getattr(user, "_roles_entry", None)
    if entry is not None:
        return entry
    key = _roles_key(user)
    entry = cache.get(key) if settings.ROLES_CACHE_SECONDS else None
    if not isinstance(entry, dict):
        groups = set(user.groups.values_list("name", flat=True))
        roles = {role for role in GROUP_ROLES if role.value in groups}
        if not user.is_external:
            roles.update(Role(derived.key) for derived in registry.derived_roles.values() if derived.rule(user))
        entry = {"roles": sorted(roles), "flags": {}}
        if settings.ROLES_CACHE_SECONDS:
            cache.set(key, entry, settings.ROLES_CACHE_SECONDS)
    user._roles_entry = entry
    return entry


def person_flag(user, name: str, compute) -> bool:
    """A fact about the person that decides what they may do and see (« names a news editor »,
    « moderates a managers' folder »), kept with their roles: read with them, and computed again
    with them once roles_changed() starts a new version (what changes the fact calls it)."""
    entry = _stored(user)
    if name not in entry["flags"]:
        entry["flags"][name] = bool(compute())
        if settings.ROLES_CACHE_SECONDS:
            cache.set(_roles_key(user), entry, settings.ROLES_CACHE_SECONDS)
    return entry["flags"][name]


def roles_of(user) -> frozenset[Role]:
    """Every role of `user`, computed once per user object (groups and derived roles: once per
    version of the roles, from the cache)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_roles_cache", None)
    if cached is not None:
        return cached
    roles = {Role(value) for value in _stored(user)["roles"]}
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
