"""Active Directory / LDAP: sign-in with the directory password (`LDAPBackend`) and the directory
sync (`directory_sync`), with ldap3.

The sync follows the HR import's rules (intranet/directory/importer/): it never deletes an
agent; it writes only the fields mapped in `LDAP_ATTRIBUTES`, never those HR keeps for itself
(`LDAP_HR_FIELDS`) nor what agents write about themselves (missions, photo, skills…); it matches
an entry to an agent by the link of a previous sync, then by matricule, then by e-mail. The unit is
the entry's first OU (or `LDAP_UNIT_ATTRIBUTE`), matched by name to an existing unit; the manager is
the agent of the entry named in `manager`. An agent linked to an entry that no longer comes back
from the directory's search (deleted, or disabled: AD's filter excludes them) is deactivated and
signed out. A dry run computes the same report and writes nothing.
"""

from __future__ import annotations

import logging
import ssl
from dataclasses import dataclass, field

import ldap3
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars
from ldap3.utils.dn import parse_dn

from identity.models import DirectoryLink
from identity.services import user_sessions_end
from intranet.directory.importer import normalise
from intranet.directory.selectors.orgchart import orgchart_changed
from intranet.models import OrgUnit
from intranet.services import audit_log_record

logger = logging.getLogger("identity.ldap")
SYNCABLE_FIELDS = {"email", "first_name", "last_name", "matricule", "job_title", "phone", "mobile"}


def configured() -> bool:
    return bool(settings.LDAP_SERVER_URI and settings.LDAP_USER_BASE)


def _server():
    # The directory's certificate is checked (ldap3 does not by default): passwords go over this link.
    tls = ldap3.Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=settings.LDAP_CA_CERT_FILE or None)
    return ldap3.Server(settings.LDAP_SERVER_URI, connect_timeout=settings.LDAP_TIMEOUT, tls=tls)


def _connection(user=None, password=None, **kwargs):
    """A connection, switched to TLS first with LDAP_START_TLS (for an ldap:// address)."""
    connection = ldap3.Connection(
        _server(), user, password, receive_timeout=settings.LDAP_TIMEOUT, auto_bind=ldap3.AUTO_BIND_NONE, **kwargs
    )
    connection.open()
    if settings.LDAP_START_TLS:
        connection.start_tls()
    return connection


def _service_connection():
    connection = _connection(settings.LDAP_BIND_DN or None, settings.LDAP_BIND_PASSWORD or None, read_only=True)
    if not connection.bind():
        raise LDAPException(f"the service account could not bind: {connection.result.get('description')}")
    return connection


def _value(entry, attribute: str) -> str:
    value = entry["attributes"].get(attribute)
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value or "").strip()


# --- sign-in ---------------------------------------------------------------------------------------
class LDAPBackend(ModelBackend):
    """Checks the password against the directory (a bind as the person's entry), then signs in
    the agent with that e-mail. Never creates an agent: the sync and HR do."""

    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        login = (email or username or kwargs.get(get_user_model().USERNAME_FIELD) or "").strip()
        if not configured() or not login or not password:
            return None
        try:
            with _service_connection() as service:
                mail = settings.LDAP_ATTRIBUTES.get("email", "mail")
                service.search(
                    settings.LDAP_USER_BASE,
                    f"(&{settings.LDAP_USER_FILTER}({mail}={escape_filter_chars(login)}))",
                    attributes=[mail],
                    size_limit=2,
                )
                if len(service.response) != 1:
                    return None
                dn = service.response[0]["dn"]
            person = _connection(dn, password)
            bound = person.bind()
            person.unbind()
            if not bound:
                return None
        except LDAPException as error:
            logger.warning("LDAP sign-in unavailable: %s", error)
            return None
        user = get_user_model().objects.filter(email__iexact=login).first()
        return user if user is not None and self.user_can_authenticate(user) else None


# --- sync --------------------------------------------------------------------------------------------
@dataclass
class SyncReport:
    dry_run: bool
    seen: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        head = _("Simulation : rien n'a été écrit.") if self.dry_run else _("Synchronisation appliquée.")
        lines = [
            head,
            _("Entrées lues : %(n)s") % {"n": self.seen},
            _("Agents créés : %(n)s") % {"n": len(self.created)},
            _("Agents mis à jour : %(n)s") % {"n": len(self.updated)},
            _("Agents désactivés : %(n)s") % {"n": len(self.deactivated)},
            _("Agents inchangés : %(n)s") % {"n": self.unchanged},
        ]
        lines += [f"  + {label}" for label in self.created]
        lines += [f"  ~ {label}" for label in self.updated]
        lines += [f"  - {label}" for label in self.deactivated]
        lines += [_("Attention : %(warning)s") % {"warning": warning} for warning in self.warnings]
        return lines


def _unit_name(entry) -> str:
    if settings.LDAP_UNIT_ATTRIBUTE:
        return _value(entry, settings.LDAP_UNIT_ATTRIBUTE)
    for attribute, value, _separator in parse_dn(entry["dn"]):
        if attribute.lower() == "ou":
            return value
    return ""


def _search_entries() -> list[dict]:
    mapping = settings.LDAP_ATTRIBUTES
    attributes = sorted({*mapping.values(), "manager", settings.LDAP_UNIT_ATTRIBUTE} - {""})
    with _service_connection() as connection:
        entries = connection.extend.standard.paged_search(
            settings.LDAP_USER_BASE, settings.LDAP_USER_FILTER, attributes=attributes, paged_size=500, generator=False
        )
    return [entry for entry in entries if entry.get("type") == "searchResEntry"]


def directory_sync(*, dry_run: bool, user=None, entries: list[dict] | None = None) -> SyncReport:
    """Bring the agents in line with the directory; see the module's docstring."""
    entries = _search_entries() if entries is None else entries
    report = SyncReport(dry_run=dry_run, seen=len(entries))
    with transaction.atomic():
        _apply(entries, report)
        if dry_run:
            transaction.set_rollback(True)
        else:
            audit_log_record(
                actor=user,
                action="directory.sync",
                target=None,
                details={
                    "created": len(report.created),
                    "updated": len(report.updated),
                    "deactivated": len(report.deactivated),
                },
            )
    return report


def _apply(entries: list[dict], report: SyncReport) -> None:
    orgchart_changed()  # who works where: the cached tree and headcounts go
    Agent = get_user_model()  # noqa: N806
    mapping = {key: attr for key, attr in settings.LDAP_ATTRIBUTES.items() if key in SYNCABLE_FIELDS}
    hr_fields = set(settings.LDAP_HR_FIELDS)
    units: dict[str, list[int]] = {}
    for unit in OrgUnit.objects.only("pk", "name"):
        units.setdefault(normalise(unit.name), []).append(unit.pk)
    links = {link.dn.lower(): link for link in DirectoryLink.objects.select_related("agent")}
    agent_by_dn: dict[str, object] = {}
    now = timezone.now()

    for entry in entries:
        dn = entry["dn"]
        values = {key: _value(entry, attribute) for key, attribute in mapping.items()}
        values["email"] = values.get("email", "").lower()
        if not values["email"]:
            report.warnings.append(_("%(dn)s : pas d'adresse e-mail, entrée ignorée") % {"dn": dn})
            continue
        link = links.get(dn.lower())
        agent = link.agent if link else None
        if agent is None and values.get("matricule"):
            agent = Agent.objects.filter(matricule=values["matricule"]).first()
        if agent is None:
            agent = Agent.objects.filter(email__iexact=values["email"]).first()
        unit_name = _unit_name(entry)
        unit_ids = units.get(normalise(unit_name), []) if unit_name else []
        if unit_name and len(unit_ids) != 1:
            report.warnings.append(
                _("%(dn)s : service « %(unit)s » introuvable ou ambigu, service inchangé")
                % {"dn": dn, "unit": unit_name}
            )

        created = agent is None
        if created:
            agent = Agent(password=make_password(None), is_active=True)
        changed = []
        for key, value in values.items():
            if key in hr_fields and not created:
                continue
            if key == "matricule":
                value = value or None
            if getattr(agent, key) != value:
                setattr(agent, key, value)
                changed.append(key)
        if len(unit_ids) == 1 and "org_unit" not in hr_fields and agent.org_unit_id != unit_ids[0]:
            agent.org_unit_id = unit_ids[0]
            changed.append("org_unit")
        if not agent.is_active and not agent.anonymised_at and not created:
            agent.is_active = True
            changed.append("is_active")
        label = f"{values.get('first_name', '')} {values.get('last_name', '')} <{values['email']}>".strip()
        if created:
            agent.save()
            report.created.append(label)
        elif changed:
            agent.save(update_fields=changed)
            report.updated.append(f"{label} ({', '.join(changed)})")
        else:
            report.unchanged += 1
        DirectoryLink.objects.update_or_create(agent=agent, defaults={"dn": dn, "synced_at": now})
        agent_by_dn[dn.lower()] = agent

    if "manager" not in hr_fields:
        for entry in entries:
            agent = agent_by_dn.get(entry["dn"].lower())
            manager_dn = _value(entry, "manager").lower()
            if agent is None:
                continue
            manager = agent_by_dn.get(manager_dn) if manager_dn else None
            if manager_dn and manager is None:
                report.warnings.append(
                    _("%(dn)s : responsable %(manager)s absent de l'annuaire synchronisé")
                    % {"dn": entry["dn"], "manager": manager_dn}
                )
                continue
            manager_id = manager.pk if manager else None
            if agent.manager_id != manager_id:
                agent.manager_id = manager_id
                agent.save(update_fields=["manager"])

    for dn, link in links.items():
        if dn not in agent_by_dn and link.agent.is_active:
            agent = link.agent
            agent.is_active = False
            agent.save(update_fields=["is_active"])
            user_sessions_end(user=agent)
            report.deactivated.append(f"{agent.get_full_name()} <{agent.email}>")
