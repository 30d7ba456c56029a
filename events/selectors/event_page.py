"""An event's page: the event as the person may see it, its materials, its invitation's state."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery

from events.models import Event, EventInvitation, Material, Registration, Session
from events.permissions import member_of
from events.selectors.agenda import decorate, with_my_registration
from intranet.roles import is_internal

# --- An event's page ---------------------------------------------------------------------------


def event_get_for(*, user, pk: int) -> Event | None:
    """The event if `user` may see it, with its sessions (`event.session_list`, decorated for the
    user), its organisers and materials loaded."""
    event = Event.objects.filter(pk=pk).select_related("survey").prefetch_related("organisers").first()
    if event is None:
        return None
    sessions = with_my_registration(Session.objects.filter(event=event), user=user).prefetch_related("organisers")
    event.session_list = decorate(sessions.order_by("starts_at", "pk"), user=user)
    for session in event.session_list:
        session.event = event
    from events.permissions import can_see_event

    member = member_of(user)
    if not can_see_event(user, event, member=member, sessions=event.session_list):
        return None
    if not is_internal(user):
        # A partner sees the sessions addressed to them (and those they registered for).
        event.session_list = [s for s in event.session_list if s.in_audience or s.my_registration]
    return event


def materials_for(*, event: Event, user) -> list[Material]:
    """The materials `user` may open: those who run the event, and those registered (a session's
    own materials: its registered only)."""
    materials = list(event.materials.select_related("session").order_by("added_at", "pk"))
    if not materials:
        return []
    from events.permissions import can_edit_event

    if can_edit_event(user, event):
        return materials
    mine = set(
        Registration.objects.filter(
            session__event=event, agent_id=user.pk, status=Registration.Status.CONFIRMED
        ).values_list("session_id", flat=True)
    )
    if not mine:
        return []
    return [material for material in materials if material.session_id is None or material.session_id in mine]


def material_for(*, user, pk: int) -> Material | None:
    material = Material.objects.select_related("event", "session").filter(pk=pk).first()
    if material is None:
        return None
    return material if material in materials_for(event=material.event, user=user) else None


# --- Invitations -------------------------------------------------------------------------------


# The state shown for several mailings: the one still moving, else how they ended.
_STATUS_ORDER = ("sending", "paused", "scheduled", "draft", "done", "cancelled")


@dataclass(frozen=True)
class Invitation:
    mailings: list  # mailing.models.Mailing: one per site that has its own sessions, and the general one
    progress: dict  # mailing.selectors.mailings_progress, summed over them
    status: str  # mailing.models.Mailing.Status label, in lower case

    @property
    def per_site(self) -> int:
        """How many sites got an invitation naming their own sessions."""
        return sum(1 for mailing in self.mailings if mailing.invitation_site_id)

    @property
    def has_general(self) -> bool:
        return any(mailing.invitation_site_id is None for mailing in self.mailings)


def invitation_of(event: Event) -> Invitation | None:
    """The event's invitation mailings and how far they went (by e-mail, on paper, summed), or None.
    Two queries whatever the number of mailings."""
    from mailing.models import Mailing
    from mailing.selectors import mailings_progress

    links = EventInvitation.objects.filter(event_id=event.pk)
    mailings = list(
        Mailing.objects.filter(pk__in=links.values("mailing_id"))
        .annotate(invitation_site_id=Subquery(links.filter(mailing_id=OuterRef("pk")).values("site_id")[:1]))
        .order_by("pk")
    )
    if not mailings:
        return None
    status = min((mailing.status for mailing in mailings), key=_STATUS_ORDER.index)
    return Invitation(
        mailings=mailings,
        progress=mailings_progress(links.values("mailing_id")),
        status=str(Mailing.Status(status).label).lower(),
    )


def invitation_preview(event: Event) -> dict:
    """How many the invitation would reach now: {"total", "paper"} (agents without a mailbox), and
    "sites": how many sites have sessions of their own to come (their agents are told theirs)."""
    from django.utils import timezone

    from intranet.audiences import audience_agents

    agents = audience_agents(spec=event.audience_spec)
    preview = agents.aggregate(total=Count("pk"), paper=Count("pk", filter=Q(has_mailbox=False) | Q(email="")))
    preview["sites"] = (
        event.sessions.filter(
            status=Session.Status.SCHEDULED,
            starts_at__gt=timezone.now(),
            audience_scope=Session.Scope.SITE,
            site__isnull=False,
        )
        .values("site_id")
        .distinct()
        .count()
    )
    return preview
