"""Reads about profiles: how complete and how fresh they are, per agent and per unit, and
who is due for anonymisation."""

import datetime
import functools
import operator
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intranet.directory.permissions import can_manage_agents
from intranet.models import Agent
from intranet.roles import is_internal

CONFIRMATION_VALID_DAYS = 365


@dataclass(frozen=True)
class CompletionField:
    name: str  # the Agent field, and the form field whose anchor is `#id_<name>`
    label: str
    self_editable: bool  # the agent fills it in; otherwise HR does
    condition: Q | Exists  # true when filled in, for the SQL counts


def _has_skills():
    return Exists(Agent.skills.through.objects.filter(agent_id=OuterRef("pk")))


COMPLETION_FIELDS = (
    CompletionField("photo", gettext_lazy("Photo"), True, ~Q(photo="")),
    CompletionField("phone", gettext_lazy("Téléphone professionnel"), True, ~Q(phone="")),
    CompletionField("missions", gettext_lazy("Missions"), True, ~Q(missions="")),
    CompletionField("skills", gettext_lazy("Compétences"), True, _has_skills()),
    CompletionField("job_title", gettext_lazy("Fonction"), False, ~Q(job_title="")),
    CompletionField("org_unit", gettext_lazy("Service"), False, Q(org_unit__isnull=False)),
    CompletionField("site", gettext_lazy("Site"), False, Q(site__isnull=False)),
)
COMPLETION_TOTAL = len(COMPLETION_FIELDS)


@dataclass(frozen=True)
class MissingField:
    name: str
    label: str
    url: str | None  # the edit form's field, for whoever may fill it in; None otherwise


@dataclass(frozen=True)
class Completion:
    score: int  # percent
    missing: list[MissingField] = field(default_factory=list)
    stale: bool = False
    confirmed_at: datetime.datetime | None = None

    @property
    def complete(self) -> bool:
        return not self.missing


def _is_filled(agent: Agent, name: str) -> bool:
    if name == "skills":
        annotated = getattr(agent, "has_skills", None)
        return bool(annotated) if annotated is not None else agent.skills.exists()
    if name in ("org_unit", "site"):
        return getattr(agent, f"{name}_id") is not None
    value = getattr(agent, name)
    return bool(value.strip()) if isinstance(value, str) else bool(value)


def stale_since(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(days=CONFIRMATION_VALID_DAYS)


def profile_is_stale(agent: Agent, now: datetime.datetime | None = None) -> bool:
    """Not confirmed by its owner for a year (or never)."""
    return agent.details_confirmed_at is None or agent.details_confirmed_at < stale_since(now)


def profile_completion(*, agent: Agent, viewer, now=None) -> Completion:
    """Which fields of `agent` are missing, each linked to where `viewer` can fill it in:
    the agent's own form for what they edit, HR's form for HR, no link otherwise. Runs no
    query when `agent` comes from `completion_incomplete_list` (skills annotated)."""
    own = viewer.pk == agent.pk
    hr = can_manage_agents(viewer)
    missing = []
    for spec in COMPLETION_FIELDS:
        if _is_filled(agent, spec.name):
            continue
        if own and spec.self_editable:
            url = reverse("directory:profile-edit") + f"#id_{spec.name}"
        elif hr:
            url = reverse("directory:agent-edit", kwargs={"pk": agent.pk}) + f"#id_{spec.name}"
        else:
            url = None
        missing.append(MissingField(spec.name, str(spec.label), url))
    score = round(100 * (COMPLETION_TOTAL - len(missing)) / COMPLETION_TOTAL)
    return Completion(
        score=score, missing=missing, stale=profile_is_stale(agent, now), confirmed_at=agent.details_confirmed_at
    )


def _filled_count():
    return functools.reduce(
        operator.add,
        [
            Case(When(spec.condition, then=Value(1)), default=Value(0), output_field=IntegerField())
            for spec in COMPLETION_FIELDS
        ],
    )


def _stale_q(now=None) -> Q:
    return Q(details_confirmed_at__isnull=True) | Q(details_confirmed_at__lt=stale_since(now))


def _profiles() -> QuerySet[Agent]:
    return Agent.objects.active().internal().annotate(filled=_filled_count(), has_skills=_has_skills())


def completion_by_unit(*, now=None) -> list[dict]:
    """One row per unit (and one for agents without a unit): agents, average score (%),
    incomplete and stale profiles. One query, whatever the number of agents."""
    rows = (
        _profiles()
        .values("org_unit_id", "org_unit__name")
        .annotate(
            agents=Count("pk"),
            average_filled=Avg("filled"),
            incomplete=Sum(
                Case(When(filled__lt=COMPLETION_TOTAL, then=Value(1)), default=Value(0), output_field=IntegerField())
            ),
            stale=Sum(Case(When(_stale_q(now), then=Value(1)), default=Value(0), output_field=IntegerField())),
        )
        .order_by("org_unit__name", "org_unit_id")
    )
    return [
        {
            "unit_id": row["org_unit_id"],
            "unit": row["org_unit__name"] or _("Sans service"),
            "agents": row["agents"],
            "average": round(100 * float(row["average_filled"] or 0) / COMPLETION_TOTAL),
            "incomplete": row["incomplete"] or 0,
            "stale": row["stale"] or 0,
        }
        for row in rows
    ]


def completion_incomplete_list(*, unit_id: int | None = None, now=None) -> QuerySet[Agent]:
    """Profiles with a missing field or unconfirmed for a year, least complete first; with
    `unit_id` 0, the agents without a unit."""
    agents = _profiles().filter(Q(filled__lt=COMPLETION_TOTAL) | _stale_q(now))
    if unit_id == 0:
        agents = agents.filter(org_unit__isnull=True)
    elif unit_id is not None:
        agents = agents.filter(org_unit_id=unit_id)
    return agents.select_related("org_unit").order_by("filled", "last_name", "first_name", "pk")


def profile_confirm_slot_context(*, user) -> dict | None:
    """The home page's "confirm my details" slot: only for an internal agent whose details
    are unconfirmed for a year (no query: the user is already loaded)."""
    if not is_internal(user) or not profile_is_stale(user):
        return None
    return {"confirmed_at": user.details_confirmed_at}


# --- Anonymisation -----------------------------------------------------------------------


def retention_cutoff(today: datetime.date | None = None) -> datetime.date:
    """Agents who left on or before this day may be anonymised."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=int(settings.AGENT_RETENTION_DAYS))


def agents_due_for_anonymisation(*, today: datetime.date | None = None) -> QuerySet[Agent]:
    return Agent.objects.filter(
        anonymised_at__isnull=True, departure_date__isnull=False, departure_date__lte=retention_cutoff(today)
    ).order_by("pk")


def agent_anonymisation_refusal(*, agent: Agent, user=None, today: datetime.date | None = None) -> str | None:
    """Why `agent` may not be anonymised now (a French sentence), or None when it may."""
    if agent.anonymised_at is not None:
        return _("Cet agent est déjà anonymisé.")
    if user is not None and user.pk == agent.pk:
        return _("Vous ne pouvez pas anonymiser votre propre compte.")
    if agent.departure_date is None:
        return _("Cet agent n'a pas de date de départ : il ne peut pas être anonymisé.")
    cutoff = retention_cutoff(today)
    if agent.departure_date > cutoff:
        possible = agent.departure_date + datetime.timedelta(days=int(settings.AGENT_RETENTION_DAYS))
        return _(
            "La durée de conservation (%(days)s jours après le départ) n'est pas écoulée : "
            "cet agent pourra être anonymisé à partir du %(date)s."
        ) % {"days": settings.AGENT_RETENTION_DAYS, "date": possible.strftime("%d/%m/%Y")}
    return None


def retention_days() -> int:
    return int(settings.AGENT_RETENTION_DAYS)
