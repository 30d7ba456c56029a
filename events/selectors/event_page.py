"""An event's page: the event as the person may see it, its materials, its invitation's state."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from events.models import Event, Material, Registration, Session
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


@dataclass(frozen=True)
class Invitation:
    mailing: object  # mailing.models.Mailing
    progress: dict  # mailing.selectors.mailing_progress


def invitation_of(event: Event) -> Invitation | None:
    """The event's invitation mailing and how far it went (by e-mail, on paper), or None."""
    from mailing.selectors import mailing_for_source, mailing_progress

    mailing = mailing_for_source(event)
    if mailing is None:
        return None
    return Invitation(mailing=mailing, progress=mailing_progress(mailing))


def invitation_preview(event: Event) -> dict:
    """How many the invitation would reach now: {"total", "paper"} (agents without a mailbox)."""
    from intranet.audiences import audience_agents

    agents = audience_agents(spec=event.audience_spec)
    return agents.aggregate(total=Count("pk"), paper=Count("pk", filter=Q(has_mailbox=False) | Q(email="")))
