"""Events: create, edit, publish and cancel an event (its sessions are services/sessions.py)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event, Session
from events.permissions import can_edit_event, can_manage_events
from events.services.sessions import _session_cancel
from intranet.audiences import AudienceSpec
from intranet.services import audit_log_record


def _check_event_fields(*, title: str, audience: AudienceSpec | None) -> None:
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("L'intitulé est obligatoire.")
    if audience is None or audience.is_empty:
        errors["audience"] = _(
            "Choisissez au moins un public : tous les agents, un filtre, des noms ou les partenaires."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def event_create(
    *,
    user,
    title: str,
    kind: str,
    audience: AudienceSpec,
    summary: str = "",
    description: str = "",
    organisers=(),
    single_session: bool = True,
) -> Event:
    """A draft event (nothing is visible to agents until it is published)."""
    if not can_manage_events(user):
        raise PermissionDenied(_("Seuls les ressources humaines et la communication créent des événements."))
    _check_event_fields(title=title, audience=audience)
    event = Event(
        title=title.strip(),
        kind=kind,
        summary=summary,
        description=description,
        audience=audience.to_json(),
        single_session=single_session,
        created_by=user,
    )
    event.full_clean()
    event.save()
    event.organisers.set(list(organisers) or [user])
    audit_log_record(actor=user, action="event.create", target=event)
    return event


@transaction.atomic
def event_update(
    *,
    event: Event,
    user,
    title: str,
    kind: str,
    audience: AudienceSpec,
    summary: str = "",
    description: str = "",
    organisers=(),
    single_session: bool = True,
) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not can_edit_event(user, event):
        raise PermissionDenied
    _check_event_fields(title=title, audience=audience)
    event.title, event.kind, event.summary, event.description = title.strip(), kind, summary, description
    event.audience, event.single_session = audience.to_json(), single_session
    event.full_clean()
    event.save()
    if organisers:
        event.organisers.set(list(organisers))
    audit_log_record(actor=user, action="event.update", target=event)
    return event


@transaction.atomic
def event_publish(*, event: Event, user, now: datetime | None = None) -> Event:
    """Visible in the agenda; registrations open as each session's window says."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not can_edit_event(user, event):
        raise PermissionDenied
    if event.status != Event.Status.DRAFT:
        raise ValidationError(_("Seul un brouillon peut être publié."))
    if not event.sessions.filter(status=Session.Status.SCHEDULED).exists():
        raise ValidationError(_("Ajoutez au moins une séance avant de publier l'événement."))
    event.status, event.published_at = Event.Status.PUBLISHED, now or timezone.now()
    event.save(update_fields=["status", "published_at"])
    audit_log_record(actor=user, action="event.publish", target=event)
    return event


@transaction.atomic(durable=True)
def event_cancel(*, event: Event, user) -> Event:
    """Every session of the event is cancelled; those registered are told (iCalendar CANCEL)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not can_edit_event(user, event):
        raise PermissionDenied
    if event.status == Event.Status.CANCELLED:
        return event
    for session in event.sessions.filter(status=Session.Status.SCHEDULED).order_by("pk"):
        _session_cancel(session, user=user)
    event.status = Event.Status.CANCELLED
    event.save(update_fields=["status"])
    audit_log_record(actor=user, action="event.cancel", target=event)
    return event
