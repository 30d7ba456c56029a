"""Profiles: what agents and HR change on an agent, the yearly confirmation, the RGPD export
and the anonymisation of departed agents. Every write of a profile goes through here."""

import datetime
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from intranet.directory.permissions import can_manage_agents
from intranet.directory.selectors.orgchart import orgchart_changed
from intranet.directory.selectors.profile import agent_anonymisation_refusal, agents_due_for_anonymisation
from intranet.images import THUMBNAIL_SIZES, photo_delete_files, photo_reencode, thumbnail_generate
from intranet.models import Agent, AuditLogEntry, OrgUnit, OutgoingEmail, Skill
from intranet.registry import registry
from intranet.roles import roles_changed, roles_of
from intranet.services import audit_log_record

MAX_SKILLS = 15

# What an agent changes on their own profile; HR changes these and the rest.
SELF_FIELDS = ("photo", "missions", "skills", "phone", "mobile", "show_phone", "show_mobile", "show_photo")
HR_FIELDS = (
    *SELF_FIELDS,
    "first_name",
    "last_name",
    "email",
    "matricule",
    "job_title",
    "org_unit",
    "site",
    "manager",
    "arrival_date",
    "departure_date",
    "status",
    "category",
    "filiere",
)
# Plain fields copied as they come (photo, skills and manager have their own rules).
_PLAIN_FIELDS = tuple(f for f in HR_FIELDS if f not in ("photo", "skills", "manager"))

ANONYMISED_FIRST_NAME = "Agent"
ANONYMISED_LAST_NAME = "anonymisé"


# A change to one of these shows on the org chart (a head's name, a headcount): its cache goes.
ORGCHART_FIELDS = frozenset({"first_name", "last_name", "job_title", "org_unit", "is_active", "is_external", "email"})


def anonymised_label(agent) -> str:
    return f"{ANONYMISED_FIRST_NAME} {ANONYMISED_LAST_NAME} #{agent.pk}"


def _skills_from(*, chosen: Iterable[Skill], new_names: Iterable[str]) -> list[Skill]:
    """The chosen skills plus the new names, matched case-insensitively with existing skills
    (so "Comptabilité" typed again is the same skill), created only when unknown."""
    skills = {skill.pk: skill for skill in chosen}
    for raw in new_names:
        name = " ".join(raw.split())[:100]
        if not name:
            continue
        skill = Skill.objects.filter(name__iexact=name).first() or Skill.objects.create(name=name)
        skills[skill.pk] = skill
    if len(skills) > MAX_SKILLS:
        raise ValidationError({"skills": _("Vous pouvez indiquer %(max)s compétences au plus.") % {"max": MAX_SKILLS}})
    return list(skills.values())


def _check_manager(*, agent: Agent, manager: Agent | None) -> None:
    seen, boss = {agent.pk}, manager
    while boss is not None:
        if boss.pk in seen:
            raise ValidationError(
                {"manager": _("Un agent ne peut pas être son propre responsable, même indirectement.")}
            )
        seen.add(boss.pk)
        boss = boss.manager


def _set_photo(*, agent: Agent, upload) -> str:
    """Store a re-encoded copy of `upload` with its thumbnails; returns the old photo's name."""
    old_name = agent.photo.name if agent.photo else ""
    content = photo_reencode(upload)
    agent.photo.save(content.name, content, save=False)
    for size in THUMBNAIL_SIZES:
        thumbnail_generate(agent.photo.name, size)
    agent.photo_thumbnails_of = agent.photo.name
    return old_name


@transaction.atomic
def agent_profile_update(*, agent: Agent, user, data: dict[str, Any]) -> list[str]:
    """Change `agent`'s profile with the values of `data` (a form's cleaned data) that `user`
    may change; returns the names of the fields that changed.

    The agent changes their photo, missions, skills, phones and what they show; HR changes
    everything. Keys: the model's field names, plus `remove_photo` (bool) and `new_skills`
    (names to add). A photo is re-encoded (see intranet.images); the old files are deleted
    once the change is committed. An edit by someone else than the agent is written in the
    audit log, with the names of the fields changed (never their values)."""
    if agent.anonymised_at is not None:
        raise PermissionDenied
    if can_manage_agents(user):
        allowed = set(HR_FIELDS)
    elif user.pk == agent.pk:
        allowed = set(SELF_FIELDS)
    else:
        raise PermissionDenied
    changed: list[str] = []

    for name in _PLAIN_FIELDS:
        if name in allowed and name in data:
            value = data[name]
            if name == "email":
                value = (value or "").strip().lower()
            if name == "matricule":
                value = (value or "").strip() or None
            if isinstance(value, str) and name not in ("email", "matricule"):
                value = value.strip()
            if getattr(agent, name) != value:
                setattr(agent, name, value)
                changed.append(name)

    if "manager" in allowed and "manager" in data and agent.manager_id != getattr(data["manager"], "pk", None):
        _check_manager(agent=agent, manager=data["manager"])
        agent.manager = data["manager"]
        changed.append("manager")

    old_photo = ""
    if "photo" in allowed:
        if data.get("photo"):
            old_photo = _set_photo(agent=agent, upload=data["photo"])
            changed.append("photo")
        elif data.get("remove_photo") and agent.photo:
            old_photo = agent.photo.name
            agent.photo = ""
            changed.append("photo")

    skills = None
    if "skills" in allowed and ("skills" in data or data.get("new_skills")):
        chosen = data.get("skills")
        if chosen is None:
            chosen = agent.skills.all()
        skills = _skills_from(chosen=chosen, new_names=data.get("new_skills") or [])
        if {s.pk for s in skills} != set(agent.skills.values_list("pk", flat=True)):
            changed.append("skills")
        else:
            skills = None

    if user.pk == agent.pk:
        # Saving one's own profile is reviewing it: it counts as the yearly confirmation.
        agent.details_confirmed_at = timezone.now()
    agent.full_clean(exclude=["password"])
    agent.save()
    if skills is not None:
        agent.skills.set(skills)
    if old_photo:
        transaction.on_commit(partial(photo_delete_files, old_photo))
    if ORGCHART_FIELDS.intersection(changed):
        orgchart_changed()
    if "manager" in changed:
        roles_changed()
    if changed and user.pk != agent.pk:
        audit_log_record(actor=user, action="agent.update", target=agent, details={"fields": sorted(changed)})
    return changed


@transaction.atomic
def agent_details_confirm(*, agent: Agent, user) -> Agent:
    """The agent says their details are right (the yearly prompt)."""
    if user.pk != agent.pk:
        raise PermissionDenied
    agent.details_confirmed_at = timezone.now()
    agent.save(update_fields=["details_confirmed_at"])
    return agent


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
