"""RGPD: an agent's own data (« mes données »), and the anonymisation of departed agents once
their retention period is over."""

import datetime
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from intranet.directory.permissions import can_manage_agents
from intranet.directory.selectors.orgchart import orgchart_changed
from intranet.directory.selectors.profile import agent_anonymisation_refusal, agents_due_for_anonymisation
from intranet.images import photo_delete_files
from intranet.models import Agent, AuditLogEntry, OrgUnit, OutgoingEmail
from intranet.registry import registry
from intranet.roles import roles_of
from intranet.services import audit_log_record

ANONYMISED_FIRST_NAME = "Agent"
ANONYMISED_LAST_NAME = "anonymisé"


def anonymised_label(agent) -> str:
    return f"{ANONYMISED_FIRST_NAME} {ANONYMISED_LAST_NAME} #{agent.pk}"


# --- RGPD: "mes données" ------------------------------------------------------------------


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _profile_data(agent: Agent) -> dict:
    def label(obj):
        return str(obj) if obj is not None else None

    return {
        "id": agent.pk,
        "email": agent.email,
        "first_name": agent.first_name,
        "last_name": agent.last_name,
        "matricule": agent.matricule,
        "job_title": agent.job_title,
        "org_unit": label(agent.org_unit),
        "site": label(agent.site),
        "manager": label(agent.manager),
        "phone": agent.phone,
        "mobile": agent.mobile,
        "show_phone": agent.show_phone,
        "show_mobile": agent.show_mobile,
        "show_photo": agent.show_photo,
        "photo": agent.photo.name if agent.photo else None,
        "missions": agent.missions,
        "status": agent.get_status_display() if agent.status else "",
        "category": agent.get_category_display() if agent.category else "",
        "filiere": agent.get_filiere_display() if agent.filiere else "",
        "arrival_date": _iso(agent.arrival_date),
        "departure_date": _iso(agent.departure_date),
        "is_external": agent.is_external,
        "organisation": agent.organisation,
        "is_active": agent.is_active,
        "date_joined": _iso(agent.date_joined),
        "last_login": _iso(agent.last_login),
        "details_confirmed_at": _iso(agent.details_confirmed_at),
    }


def _audit_data(agent: Agent) -> list[dict]:
    agent_type = ContentType.objects.get_for_model(Agent)
    entries = AuditLogEntry.objects.filter(
        Q(actor=agent) | Q(target_type=agent_type, target_id=str(agent.pk))
    ).order_by("at", "pk")
    return [
        {
            "at": _iso(entry.at),
            "action": entry.action,
            "actor": entry.actor_label,
            "target": entry.target_label,
            "ip_address": entry.ip_address if entry.actor_id == agent.pk else None,
            "details": entry.details,
        }
        for entry in entries
    ]


def agent_data_export(*, agent: Agent, user) -> dict:
    """Everything held on `agent`, for the agent themself; the export is logged."""
    if user.pk != agent.pk:
        raise PermissionDenied
    data = {
        "generated_at": timezone.now().isoformat(),
        "profile": _profile_data(agent),
        "skills": list(agent.skills.order_by("name").values_list("name", flat=True)),
        "groups": list(agent.groups.order_by("name").values_list("name", flat=True)),
        "roles": sorted(role.value for role in roles_of(agent)),
        "audit_log": _audit_data(agent),
    }
    for key, exporter in sorted(registry.data_exporters.items()):  # other apps' data: one key each
        data[key] = exporter.export(agent)
    audit_log_record(actor=user, action="agent.data_export", target=agent)
    return data


# --- RGPD: anonymisation ------------------------------------------------------------------


def _year_only(value: datetime.date | None) -> datetime.date | None:
    return value.replace(month=1, day=1) if value else None


@transaction.atomic
def agent_anonymise(*, agent: Agent, user=None, today: datetime.date | None = None) -> Agent:
    """Remove everything that identifies a departed agent, once the retention period
    (`AGENT_RETENTION_DAYS` after their departure) is over.

    Names become "Agent anonymisé", the e-mail a placeholder; matricule, phones, photo (files
    and thumbnails), missions, skills, job, unit, site, manager, status and groups go; dates
    keep their year only (for headcounts). Their reports and the units they headed lose the
    link. The audit log keeps its entries but their name, IP addresses and e-mail no longer
    appear in it, nor in the outbox; other apps' registered anonymisers run too. `user` None
    is the scheduled command."""
    if user is not None and not can_manage_agents(user):
        raise PermissionDenied
    agent = Agent.objects.select_for_update().get(pk=agent.pk)
    refusal = agent_anonymisation_refusal(agent=agent, user=user, today=today)
    if refusal:
        raise ValidationError(refusal)
    label = anonymised_label(agent)
    old_email, old_photo = agent.email, agent.photo.name if agent.photo else ""

    agent.first_name, agent.last_name = ANONYMISED_FIRST_NAME, ANONYMISED_LAST_NAME
    agent.email = f"agent-anonymise-{agent.pk}@anonyme.invalid"
    agent.matricule = None
    agent.phone = agent.mobile = agent.missions = agent.job_title = ""
    agent.status = agent.category = agent.filiere = agent.organisation = ""
    agent.photo = agent.photo_thumbnails_of = ""
    agent.org_unit = agent.site = agent.manager = None
    agent.show_phone = agent.show_mobile = agent.show_photo = False
    agent.arrival_date = _year_only(agent.arrival_date)
    agent.departure_date = _year_only(agent.departure_date)
    agent.date_joined = agent.date_joined.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    agent.last_login = None
    agent.details_confirmed_at = None
    agent.is_active = agent.is_staff = agent.is_superuser = False
    agent.anonymised_at = timezone.now()
    agent.set_unusable_password()
    agent.save()
    orgchart_changed()
    agent.skills.clear()
    agent.groups.clear()
    agent.user_permissions.clear()

    Agent.objects.filter(manager=agent).update(manager=None)
    OrgUnit.objects.filter(head=agent).update(head=None)
    agent.emailaddress_set.all().delete()  # allauth's copies of the address
    OutgoingEmail.objects.filter(to__iexact=old_email).update(to=agent.email)
    agent_type = ContentType.objects.get_for_model(Agent)
    AuditLogEntry.objects.filter(actor=agent).update(actor_label=label, ip_address=None)
    AuditLogEntry.objects.filter(target_type=agent_type, target_id=str(agent.pk)).update(target_label=label)
    for _key, anonymiser in sorted(registry.anonymisers.items()):
        anonymiser.anonymise(agent, label)
    entry = audit_log_record(actor=user, action="agent.anonymise", target=agent, details={"scheduled": user is None})
    entry.target_label = label
    entry.save(update_fields=["target_label"])
    if old_photo:
        transaction.on_commit(partial(photo_delete_files, old_photo))
    return agent


def agents_anonymise_departed(*, dry_run: bool = False, today: datetime.date | None = None) -> list[int]:
    """Anonymise every agent whose retention period is over (one transaction each, so one
    failure leaves the others done); returns their ids. With `dry_run`, only lists them."""
    ids = list(agents_due_for_anonymisation(today=today).values_list("pk", flat=True))
    if dry_run:
        return ids
    for pk in ids:
        agent_anonymise(agent=Agent.objects.get(pk=pk), user=None, today=today)
    return ids
