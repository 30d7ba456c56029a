"""Registration, cancellation (a freed seat goes to the first person waiting) and check-in."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events import mails
from events.models import Event, Registration, Session
from events.permissions import can_run_session, may_register, member_of
from events.services.seats import _counts, _lock, _mail_registration, _promote


class RegistrationRefused(ValidationError):
    pass


def _refusal(session: Session, *, member, now: datetime) -> str | None:
    """Why this person may not register now (None: they may)."""
    if session.is_cancelled:
        return _("Cette séance est annulée.")
    if not session.event.is_published:
        return _("Cet événement n'est pas encore publié.")
    if now >= session.starts_at:
        return _("Cette séance a déjà commencé.")
    if session.registration_opens_at and now < session.registration_opens_at:
        return _("Les inscriptions ouvrent le %(date)s.") % {
            "date": timezone.localtime(session.registration_opens_at).strftime("%d/%m/%Y %H:%M")
        }
    if session.registration_closes_at and now >= session.registration_closes_at:
        return _("Les inscriptions sont closes depuis le %(date)s.") % {
            "date": timezone.localtime(session.registration_closes_at).strftime("%d/%m/%Y %H:%M")
        }
    if not may_register(session, member=member, now=now):
        return _("Cette séance n'est pas ouverte à votre public.")
    return None


@transaction.atomic(durable=True)
def registration_create(*, session: Session, agent, by=None, now: datetime | None = None) -> Registration:
    """Register `agent` (`by` someone who runs the session, for a person without a mailbox or who
    asked on paper): a seat when one is free, the waiting list otherwise. Registering again is
    harmless (the current registration is returned)."""
    now = now or timezone.now()
    session = _lock(session)
    on_behalf = by is not None and by.pk != agent.pk
    if on_behalf:
        if not can_run_session(by, session):
            raise PermissionDenied
        if session.is_cancelled or session.has_ended(now=now):
            raise RegistrationRefused(_("Cette séance est annulée ou terminée."))
    else:
        refusal = _refusal(session, member=member_of(agent), now=now)
        if refusal:
            raise RegistrationRefused(refusal)
    registration = Registration.objects.select_for_update().filter(session=session, agent=agent).first()
    if registration is not None and registration.status != Registration.Status.CANCELLED:
        return registration
    if session.event.single_session:
        other = (
            Registration.objects.filter(session__event_id=session.event_id, agent=agent)
            .filter(status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITING])
            .exclude(session=session)
            .filter(session__status=Session.Status.SCHEDULED)
            .select_related("session")
            .first()
        )
        if other is not None:
            raise RegistrationRefused(
                _(
                    "Vous êtes déjà inscrit(e) à une autre séance de cet événement (%(when)s) : "
                    "désinscrivez-vous d'abord."
                )
                % {"when": mails.when(other.session)}
            )
    seat = session.capacity is None or session.confirmed_count < session.capacity
    if registration is None:
        registration = Registration(session=session, agent=agent)
    else:
        registration.ics_sequence += 1  # after a CANCEL, the new REQUEST must win
    registration.status = Registration.Status.CONFIRMED if seat else Registration.Status.WAITING
    registration.registered_at, registration.cancelled_at = now, None
    registration.waiting_since = None if seat else now
    registration.registered_by = by if on_behalf else None
    registration.checked_in_at = registration.checked_in_by = None
    registration.save()
    _counts(session, **({"confirmed_count": 1} if seat else {"waiting_count": 1}))
    transaction.on_commit(partial(_mail_registration, registration.pk, "confirmed" if seat else "waiting"))
    return registration


@transaction.atomic(durable=True)
def registration_cancel(*, registration: Registration, user, now: datetime | None = None) -> Registration | None:
    """Unregister (the person, or someone who runs the session): the seat goes to the first person
    waiting, who is told. Returns the promoted registration, if any."""
    now = now or timezone.now()
    session = _lock(registration.session)
    registration = Registration.objects.select_for_update().select_related("agent").get(pk=registration.pk)
    if registration.agent_id != user.pk and not can_run_session(user, session):
        raise PermissionDenied
    if registration.status == Registration.Status.CANCELLED:
        return None
    if session.has_ended(now=now) or (now >= session.starts_at and registration.agent_id == user.pk):
        raise ValidationError(_("La séance a commencé : la désinscription n'est plus possible."))
    was_confirmed = registration.is_confirmed
    registration.status, registration.cancelled_at, registration.waiting_since = (
        Registration.Status.CANCELLED,
        now,
        None,
    )
    if registration.checked_in_at:
        _counts(session, checked_in_count=-1)
    registration.checked_in_at = registration.checked_in_by = None
    registration.ics_sequence += 1 if was_confirmed else 0
    registration.save()
    _counts(session, **({"confirmed_count": -1} if was_confirmed else {"waiting_count": -1}))
    promoted = _promote(session, now=now) if was_confirmed else []
    if was_confirmed:
        transaction.on_commit(partial(_mail_registration, registration.pk, "unregistered"))
    for other in promoted:
        transaction.on_commit(partial(_mail_registration, other.pk, "promoted"))
    return promoted[0] if promoted else None


@transaction.atomic
def registration_check_in(
    *, registration: Registration, user, present: bool = True, now: datetime | None = None
) -> Registration:
    """Mark the person present (or not) at their session: an organiser, on the day."""
    session = _lock(registration.session)
    if not can_run_session(user, session):
        raise PermissionDenied
    registration = Registration.objects.select_for_update().select_related("agent").get(pk=registration.pk)
    if not registration.is_confirmed:
        raise ValidationError(_("Cette personne n'a pas de place confirmée à cette séance."))
    if present and registration.checked_in_at is None:
        registration.checked_in_at, registration.checked_in_by = now or timezone.now(), user
        registration.save(update_fields=["checked_in_at", "checked_in_by"])
        _counts(session, checked_in_count=1)
    elif not present and registration.checked_in_at is not None:
        registration.checked_in_at = registration.checked_in_by = None
        registration.save(update_fields=["checked_in_at", "checked_in_by"])
        _counts(session, checked_in_count=-1)
    registration.session = session
    return registration


@transaction.atomic
def registrations_add(*, session: Session, agents, by=None, now: datetime | None = None) -> list[Registration]:
    """Register several people at once, in the order given (those invited by an organiser or by the
    app that owns the event: the arrivals of a period for a journée d'intégration): a seat while one
    is free, the waiting list after, in that order. People already registered, waiting or who
    cancelled are left as they are. Those registered join the event's named audience (their agenda
    and home page show it as theirs); each is told by mail after the commit. Returns the new rows."""
    now = now or timezone.now()
    session = _lock(session)
    if by is not None and not can_run_session(by, session):
        raise PermissionDenied
    if session.is_cancelled:
        raise RegistrationRefused(_("Cette séance est annulée."))
    known = set(Registration.objects.filter(session=session).values_list("agent_id", flat=True))
    created = []
    for agent in agents:
        if agent.pk in known:
            continue
        known.add(agent.pk)
        seat = session.capacity is None or session.confirmed_count < session.capacity
        registration = Registration.objects.create(
            session=session,
            agent=agent,
            status=Registration.Status.CONFIRMED if seat else Registration.Status.WAITING,
            registered_at=now,
            waiting_since=None if seat else now,
            registered_by=by,
        )
        _counts(session, **({"confirmed_count": 1} if seat else {"waiting_count": 1}))
        transaction.on_commit(partial(_mail_registration, registration.pk, "confirmed" if seat else "waiting"))
        created.append(registration)
    if created:
        event = Event.objects.select_for_update().get(pk=session.event_id)
        spec = event.audience_spec
        named = tuple(dict.fromkeys([*spec.agents, *(registration.agent_id for registration in created)]))
        event.audience = replace(spec, agents=named).to_json()
        event.save(update_fields=["audience"])
    return created
