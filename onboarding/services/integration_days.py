"""Journées d'intégration: sessions, the arrivals of their period invited up to the capacity then on
a waiting list, cancellations that promote the first waiting."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intranet.services import audit_log_record
from onboarding.models import Arrival, IntegrationDay, Invitation
from onboarding.services.common import _mail


def _invitation_mail(invitation: Invitation) -> None:
    session, agent = invitation.session, invitation.arrival.agent
    when = f"{session.date:%d/%m/%Y}" + (f" {session.start_time:%H:%M}" if session.start_time else "")
    if invitation.status == Invitation.Status.INVITED:
        subject = _("Invitation : %(title)s le %(when)s") % {"title": session.title, "when": when}
        text = _(
            "Bonjour %(name)s,\n\nVous êtes invité(e) à la %(title)s, le %(when)s, %(place)s.\n%(programme)s\n"
            "Un empêchement ? Prévenez les ressources humaines pour libérer votre place.\n"
        )
    else:
        subject = _("Liste d'attente : %(title)s le %(when)s") % {"title": session.title, "when": when}
        text = _(
            "Bonjour %(name)s,\n\nLa %(title)s du %(when)s (%(place)s) est complète : vous êtes sur la "
            "liste d'attente et serez prévenu(e) dès qu'une place se libère.\n"
        )
    _mail(
        agent=agent,
        subject=subject,
        kind=f"onboarding.session.{invitation.status}",
        text=text
        % {
            "name": agent.first_name,
            "title": session.title,
            "when": when,
            "place": session.place,
            "programme": session.programme,
        },
    )


@transaction.atomic
def session_invite(*, session: IntegrationDay) -> int:
    """Invite the arrivals of the session's period not invited yet, in order of arrival date:
    up to the capacity, then on the waiting list. Idempotent (one invitation per arrival and
    session, the session locked meanwhile). Returns how many invitations were made."""
    session = IntegrationDay.objects.select_for_update().get(pk=session.pk)
    taken = session.invitations.filter(status=Invitation.Status.INVITED).count()
    candidates = (
        Arrival.objects.filter(
            arrival_date__gte=session.arrivals_from, arrival_date__lte=session.arrivals_to, agent__is_active=True
        )
        .exclude(invitations__session=session)
        .select_related("agent")
        .order_by("arrival_date", "pk")
    )
    made = 0
    for arrival in candidates:
        status = Invitation.Status.INVITED if taken < session.capacity else Invitation.Status.WAITING
        taken += status == Invitation.Status.INVITED
        invitation = Invitation.objects.create(session=session, arrival=arrival, status=status)
        _invitation_mail(invitation)
        made += 1
    return made


def _waiting_first(session: IntegrationDay):
    return (
        session.invitations.filter(status=Invitation.Status.WAITING)
        .select_related("arrival__agent")
        .order_by("arrival__arrival_date", "created_at", "pk")
        .first()
    )


@transaction.atomic
def invitation_cancel(*, invitation: Invitation, user) -> Invitation | None:
    """Cancel an invitation (the agent cannot come); a freed place goes to the first on the
    waiting list, who is told by e-mail. Returns the promoted invitation, if any."""
    session = IntegrationDay.objects.select_for_update().get(pk=invitation.session_id)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status == Invitation.Status.CANCELLED:
        return None
    was_invited = invitation.status == Invitation.Status.INVITED
    invitation.status, invitation.updated_at = Invitation.Status.CANCELLED, timezone.now()
    invitation.save(update_fields=["status", "updated_at"])
    audit_log_record(actor=user, action="onboarding.invitation.cancel", target=invitation)
    return _promote(session) if was_invited else None


def _promote(session: IntegrationDay) -> Invitation | None:
    if session.invitations.filter(status=Invitation.Status.INVITED).count() >= session.capacity:
        return None
    promoted = _waiting_first(session)
    if promoted is not None:
        promoted.status, promoted.updated_at = Invitation.Status.INVITED, timezone.now()
        promoted.save(update_fields=["status", "updated_at"])
        _invitation_mail(promoted)
    return promoted


@transaction.atomic
def session_save(*, session: IntegrationDay, user) -> IntegrationDay:
    """Create or change a session; a capacity raised promotes from the waiting list."""
    session.full_clean()
    session.save()
    locked = IntegrationDay.objects.select_for_update().get(pk=session.pk)
    while _promote(locked) is not None:
        pass
    audit_log_record(actor=user, action="onboarding.session.save", target=session)
    return session


def sessions_invite_upcoming(*, today: date | None = None) -> int:
    """Run by beat: every session to come invites the arrivals of its period recorded since."""
    today = today or timezone.localdate()
    return sum(session_invite(session=session) for session in IntegrationDay.objects.filter(date__gte=today))
