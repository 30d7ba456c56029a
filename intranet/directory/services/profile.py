"""Profiles: what agents and HR change on an agent, and the yearly confirmation. Every write of a
profile goes through here (the RGPD export and the anonymisation: `rgpd`)."""

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intranet.directory.permissions import can_manage_agents
from intranet.directory.selectors.orgchart import orgchart_changed
from intranet.images import THUMBNAIL_SIZES, photo_delete_files, photo_reencode, thumbnail_generate
from intranet.models import Agent, Skill
from intranet.roles import roles_changed
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

# A change to one of these shows on the org chart (a head's name, a headcount): its cache goes.
ORGCHART_FIELDS = frozenset({"first_name", "last_name", "job_title", "org_unit", "is_active", "is_external", "email"})


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
