"""A mailing's life before and around its sending: created with its audience, scheduled, started (its
audience frozen into delivery rows), recorded as sent elsewhere, paused, resumed, cancelled, its
failed rows tried again."""

from __future__ import annotations

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intranet.audiences import AudienceSpec, audience_agents
from intranet.services import audit_log_record
from mailing.models import Delivery, Mailing
from mailing.services.publishing import _finish_if_done, _publish_on_commit


def _locked(mailing: Mailing) -> Mailing:
    return Mailing.objects.select_for_update().get(pk=mailing.pk)


# --- Creating, scheduling, starting ----------------------------------------------------------


@transaction.atomic
def mailing_create(
    *,
    subject: str,
    html: str,
    text: str,
    audience: AudienceSpec,
    created_by,
    kind: str,
    web_url: str = "",
    source: models.Model | None = None,
) -> Mailing:
    """A draft mailing: the message (HTML and text alternatives given by the caller) and who it
    is for. Nothing is sent and no recipient is frozen until it starts."""
    errors = {}
    if not (subject or "").strip():
        errors["subject"] = _("L'objet du message est obligatoire.")
    if not (text or "").strip():
        errors["text"] = _("La version texte du message est obligatoire.")
    if audience is None or audience.is_empty:
        errors["audience"] = _("Choisissez au moins un destinataire.")
    if errors:
        raise ValidationError(errors)
    mailing = Mailing(
        subject=subject.strip(),
        html=html or "",
        text=text,
        audience=audience.to_json(),
        kind=kind,
        web_url=web_url or "",
        created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
    )
    if source is not None:
        mailing.source_type = ContentType.objects.get_for_model(source)
        mailing.source_id = source.pk
    mailing.full_clean()
    mailing.save()
    return mailing


@transaction.atomic
def mailing_schedule(*, mailing: Mailing, at: datetime, user) -> Mailing:
    """Send at `at`: beat starts it (and freezes its audience) once that time has come."""
    mailing = _locked(mailing)
    if not mailing.can_schedule:
        raise ValidationError(
            _("Cette diffusion ne peut plus être programmée : elle est %(status)s.")
            % {"status": mailing.get_status_display().lower()}
        )
    if at is None or timezone.is_naive(at):
        raise ValidationError(_("Indiquez une date et une heure d'envoi."))
    if at <= timezone.now():
        raise ValidationError(_("La date d'envoi doit être dans le futur."))
    mailing.status, mailing.scheduled_at, mailing.scheduled_by = Mailing.Status.SCHEDULED, at, user
    mailing.save(update_fields=["status", "scheduled_at", "scheduled_by"])
    audit_log_record(actor=user, action="mailing.schedule", target=mailing, details={"at": at.isoformat()})
    return mailing


def _freeze_audience(mailing: Mailing) -> int:
    """One Delivery per recipient of the audience now; agents without a mailbox (or without an
    address) on paper. Returns how many rows."""
    agents = audience_agents(spec=AudienceSpec.from_json(mailing.audience)).values_list(
        "pk", "email", "first_name", "last_name", "has_mailbox"
    )
    rows = []
    for pk, email, first_name, last_name, has_mailbox in agents.iterator(chunk_size=2000):
        on_paper = not has_mailbox or not email
        rows.append(
            Delivery(
                mailing=mailing,
                agent_id=pk,
                email=email or "",
                name=f"{first_name} {last_name}".strip() or email,
                status=Delivery.Status.PAPER if on_paper else Delivery.Status.PENDING,
            )
        )
    Delivery.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _start(mailing: Mailing, *, user) -> Mailing:
    """Freeze and mark sending (the caller holds the row lock), publish after the commit."""
    count = _freeze_audience(mailing)
    now = timezone.now()
    mailing.status, mailing.started_at, mailing.dispatched_at = Mailing.Status.SENDING, now, now
    mailing.save(update_fields=["status", "started_at", "dispatched_at"])
    audit_log_record(actor=user, action="mailing.start", target=mailing, details={"recipients": count})
    _finish_if_done(mailing)
    if mailing.status == Mailing.Status.SENDING:
        _publish_on_commit(mailing)
    return mailing


@transaction.atomic
def mailing_start(*, mailing: Mailing, user) -> Mailing:
    """Freeze the audience now and send. Refused for a mailing already started."""
    mailing = _locked(mailing)
    if not mailing.can_start:
        raise ValidationError(_("Cette diffusion a déjà été lancée ou annulée."))
    return _start(mailing, user=user)


@transaction.atomic
def mailing_record_sent(*, mailing: Mailing, sent_at: datetime, user) -> Mailing:
    """Record a send made before or elsewhere (a demo's history, an import from the previous
    tool): the audience frozen now, every e-mail delivery recorded as sent at `sent_at`, the
    mailing done. Nothing is published and nothing is mailed."""
    mailing = _locked(mailing)
    if not mailing.can_start:
        raise ValidationError(_("Cette diffusion a déjà été lancée ou annulée."))
    count = _freeze_audience(mailing)
    mailing.deliveries.filter(status=Delivery.Status.PENDING).update(
        status=Delivery.Status.SENT, sent_at=sent_at, attempts=1
    )
    mailing.status = Mailing.Status.DONE
    mailing.started_at = mailing.finished_at = mailing.dispatched_at = sent_at
    mailing.save(update_fields=["status", "started_at", "finished_at", "dispatched_at"])
    audit_log_record(
        actor=user,
        action="mailing.record_sent",
        target=mailing,
        details={"recipients": count, "at": sent_at.isoformat()},
    )
    return mailing


# --- Pause, resume, cancel, retry -------------------------------------------------------------


@transaction.atomic
def mailing_pause(*, mailing: Mailing, user) -> Mailing:
    """Stop sending after the message in flight; the rest stays pending for `mailing_resume`."""
    mailing = _locked(mailing)
    if not mailing.can_pause:
        raise ValidationError(_("Seule une diffusion en cours d'envoi peut être mise en pause."))
    mailing.status = Mailing.Status.PAUSED
    mailing.save(update_fields=["status"])
    audit_log_record(actor=user, action="mailing.pause", target=mailing)
    return mailing


@transaction.atomic
def mailing_resume(*, mailing: Mailing, user) -> Mailing:
    mailing = _locked(mailing)
    if not mailing.can_resume:
        raise ValidationError(_("Seule une diffusion en pause peut reprendre."))
    mailing.status, mailing.dispatched_at = Mailing.Status.SENDING, timezone.now()
    mailing.save(update_fields=["status", "dispatched_at"])
    audit_log_record(actor=user, action="mailing.resume", target=mailing)
    _finish_if_done(mailing)
    if mailing.status == Mailing.Status.SENDING:
        _publish_on_commit(mailing)
    return mailing


@transaction.atomic
def mailing_cancel(*, mailing: Mailing, user) -> Mailing:
    """Nothing more is sent: the pending rows are marked cancelled (a message in flight when this
    commits is still recorded as sent: the UPDATE waits for its row and re-checks the state)."""
    mailing = _locked(mailing)
    if not mailing.can_cancel:
        raise ValidationError(_("Cette diffusion est déjà terminée ou annulée."))
    cancelled = mailing.deliveries.filter(status=Delivery.Status.PENDING).update(status=Delivery.Status.CANCELLED)
    mailing.status, mailing.finished_at = Mailing.Status.CANCELLED, timezone.now()
    mailing.save(update_fields=["status", "finished_at"])
    audit_log_record(actor=user, action="mailing.cancel", target=mailing, details={"not_sent": cancelled})
    return mailing


@transaction.atomic
def mailing_retry_failed(*, mailing: Mailing, user) -> Mailing:
    """Send again to the recipients whose delivery failed (attempts back to zero)."""
    mailing = _locked(mailing)
    if mailing.status not in (Mailing.Status.SENDING, Mailing.Status.PAUSED, Mailing.Status.DONE):
        raise ValidationError(_("Cette diffusion n'a pas d'envoi à relancer."))
    count = mailing.deliveries.filter(status=Delivery.Status.FAILED).update(
        status=Delivery.Status.PENDING, attempts=0, next_attempt_at=None
    )
    if not count:
        raise ValidationError(_("Aucun envoi en échec à relancer."))
    audit_log_record(actor=user, action="mailing.retry", target=mailing, details={"deliveries": count})
    if mailing.status == Mailing.Status.DONE:
        mailing.status, mailing.finished_at = Mailing.Status.SENDING, None
    mailing.dispatched_at = timezone.now()
    mailing.save(update_fields=["status", "finished_at", "dispatched_at"])
    if mailing.status == Mailing.Status.SENDING:
        _publish_on_commit(mailing)
    return mailing
