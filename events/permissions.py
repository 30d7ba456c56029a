"""Who may do what with events (views and services ask these; templates never decide).

- HR, communication and administrators create events and run them all.
- An event's organisers edit it; they and a session's animators run the session on the day (its
  registrations, the check-in, the sign-in sheet).
- Internal agents see every published event in the agenda and register for the sessions whose
  audience includes them; partners see (and register for) only the sessions addressed to them.
"""

from intranet.audiences import AudienceMember, AudienceSpec, audience_includes, audience_member
from intranet.roles import Role, has_role, is_internal


def member_of(user) -> AudienceMember | None:
    """The person as the audience rule sees them (loaded once per user object), None when signed out
    or inactive."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.anonymised_at is not None:
        return None
    return audience_member(user)


def in_audience(spec: AudienceSpec, member: AudienceMember | None) -> bool:
    return member is not None and audience_includes(spec=spec, member=member)


def can_manage_events(user) -> bool:
    """Create events, and run every one of them."""
    return is_internal(user) and has_role(user, Role.HR, Role.COMMUNICATION)


def can_use_agenda(user) -> bool:
    """Every signed-in person: partners see the sessions addressed to them."""
    return getattr(user, "is_authenticated", False)


def is_event_organiser(user, event) -> bool:
    if not is_internal(user):
        return False
    ids = getattr(event, "_organiser_ids", None)
    if ids is None:
        ids = event._organiser_ids = {person.pk for person in event.organisers.all()}  # prefetched or one query
    return user.pk in ids


def can_edit_event(user, event) -> bool:
    return can_manage_events(user) or is_event_organiser(user, event)


def can_run_session(user, session) -> bool:
    """Registrations list, check-in and sign-in sheet of a session."""
    if can_edit_event(user, session.event):
        return True
    if not is_internal(user):
        return False
    ids = getattr(session, "_animator_ids", None)
    if ids is None:
        ids = session._animator_ids = {person.pk for person in session.organisers.all()}  # prefetched or one query
    return user.pk in ids


def can_see_event(user, event, *, member: AudienceMember | None = None, sessions=()) -> bool:
    """Published events: every internal agent; a partner when one of its sessions is addressed to
    them. Drafts and cancelled events: those who run them (and, cancelled, those who saw it)."""
    if can_edit_event(user, event):
        return True
    if not getattr(user, "is_authenticated", False) or event.status == event.Status.DRAFT:
        return False
    if is_internal(user):
        return True
    return any(in_audience(session.audience_spec, member) for session in sessions)


def may_register(session, *, member: AudienceMember | None, now=None) -> bool:
    """The person is in the session's audience and its registrations are open."""
    return session.registration_open(now=now) and in_audience(session.audience_spec, member)
