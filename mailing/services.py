"""What the mailing app does: create a mailing, freeze its audience, send it exactly once.

The delivery rows in PostgreSQL are the state; Celery only executes. A sending task
(`mailing_send_batch`) opens ONE SMTP connection and sends up to a batch of messages through it;
each message is one transaction: the next pending row is claimed with
`SELECT … FOR UPDATE SKIP LOCKED`, marked sent, handed to the SMTP server, and the mark is
committed only after the server's 250. A worker killed at any point leaves its row pending
(PostgreSQL rolls back its transaction and frees the lock); the only message that can go twice is
one the server accepted in the instant before the kill, before the COMMIT. Up to
settings.MAILING_SENDERS such tasks work on one mailing at once (they share the rows through
SKIP LOCKED, and PostgreSQL's commit flushes); beat's recovery (`mailing_dispatch_pending`, every
settings.WORK_RECOVERY_TICK seconds) starts the scheduled mailings and publishes again the sends
no live task holds (broker down, killed worker, the SMTP server back). SMTP errors follow the
site's one policy (intranet/smtp.py): an unreachable server counts no attempt and is tried again
every settings.SMTP_RETRY_SECONDS, the progress page saying so.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import time
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection as db_connection
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intranet import smtp, workqueue
from intranet.audiences import AudienceSpec, audience_agents
from intranet.services import audit_log_record
from mailing.models import Delivery, Mailing

logger = logging.getLogger(__name__)

# A sending task stops after this many messages or settings.WORK_BATCH_SECONDS and publishes the
# next one, so no task runs near the time limits and a pause is seen between batches as well as within.
BATCH_SIZE = 500
SENDERS = "mailing.senders"  # the sender slots of a mailing (intranet.workqueue.slot)
# Sending tasks working on one mailing at once (settings.MAILING_SENDERS): each waits for
# PostgreSQL's commit (a disk flush) after every message, and the flushes of concurrent commits
# are shared, so a few senders go several times faster than one. The rate limit is shared out.
DEFAULT_SENDERS = 4


def senders_per_mailing() -> int:
    return max(1, int(getattr(settings, "MAILING_SENDERS", DEFAULT_SENDERS) or 1))


def _tasks():
    from mailing import tasks  # the tasks module imports this one

    return tasks


def _publish(mailing_id: int, count: int = 1) -> bool:
    """Ask workers to send `count` batches (a broker error is logged: the mailing is recorded as
    sending and beat's recovery publishes it again once the broker is back)."""
    return workqueue.publish_copies(_tasks().mailing_send_batch_task, mailing_id, copies=count)


def _publish_on_commit(mailing: Mailing) -> None:
    """One task per sender slot, after the commit."""
    workqueue.publish_on_commit(_tasks().mailing_send_batch_task, mailing.pk, copies=senders_per_mailing())


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


def _finish_if_done(mailing: Mailing) -> bool:
    """A sending mailing with no pending row left is done (a row waiting for a retry is pending)."""
    if mailing.status != Mailing.Status.SENDING or mailing.deliveries.filter(status=Delivery.Status.PENDING).exists():
        return False
    updated = Mailing.objects.filter(pk=mailing.pk, status=Mailing.Status.SENDING).update(
        status=Mailing.Status.DONE, finished_at=timezone.now()
    )
    if updated:
        mailing.status = Mailing.Status.DONE
    return bool(updated)


# --- Sending -----------------------------------------------------------------------------------


def message_id_for(delivery: Delivery) -> str:
    """Deterministic: the same delivery always carries the same Message-ID, so a message sent
    twice (the one in flight at a crash) can be recognised as one by the receiving side."""
    return f"<mailing-{delivery.mailing_id}-delivery-{delivery.pk}@{smtp.message_id_domain()}>"


def build_message(*, mailing: Mailing, delivery: Delivery, connection=None) -> EmailMultiAlternatives:
    domain = smtp.message_id_domain()
    headers = {
        "Message-ID": message_id_for(delivery),
        "List-Id": f"<{mailing.kind.replace('.', '-') or 'mailing'}.{domain}>",
        "Auto-Submitted": "auto-generated",
        "Precedence": "bulk",
    }
    if mailing.web_url:
        headers["List-Archive"] = f"<{mailing.web_url}>"
    message = EmailMultiAlternatives(
        subject=mailing.subject, body=mailing.text, to=[delivery.email], headers=headers, connection=connection
    )
    if mailing.html:
        message.attach_alternative(mailing.html, "text/html")
    return message


class _Renderer:
    """The message of a mailing rendered to bytes once per batch, then given each recipient's
    To and Message-ID by substitution: the MIME rendering (headers encoded, HTML and text
    alternatives) costs more than the rest of a send, and only those two headers differ."""

    TO = "mc-recipient@placeholder.invalid"

    def __init__(self, mailing: Mailing):
        probe = Delivery(pk=0, mailing_id=mailing.pk, email=self.TO)
        message = build_message(mailing=mailing, delivery=probe)
        self.from_email = parseaddr(message.from_email)[1]
        self.payload = message.message().as_bytes(linesep="\r\n")
        self.message_id = message_id_for(probe).encode("ascii")

    def render(self, delivery: Delivery) -> bytes | None:
        """None for an address that is not plain ASCII (rendered in full then)."""
        if not delivery.email.isascii():
            return None
        return self.payload.replace(self.TO.encode("ascii"), delivery.email.encode("ascii"), 1).replace(
            self.message_id, message_id_for(delivery).encode("ascii"), 1
        )


class _Pacer:
    """At most `rate` messages per second (0: no limit)."""

    def __init__(self, rate: float):
        self.interval = 1.0 / rate if rate and rate > 0 else 0.0
        self.next_at = time.monotonic()

    def wait(self) -> None:
        if not self.interval:
            return
        now = time.monotonic()
        if self.next_at > now:
            time.sleep(self.next_at - now)
        self.next_at = max(self.next_at, now) + self.interval


def _claim_next(mailing_id: int, after: int = 0) -> Delivery | None:
    """The next deliverable row of a mailing still sending, locked (SKIP LOCKED: rows another
    sender holds are passed over, never waited for). `after`: the last row this batch claimed,
    so each claim starts where the previous one ended instead of walking again over the index
    entries of rows just sent (left behind until VACUUM); a row passed over is for the next batch."""
    now = timezone.now()
    return (
        Delivery.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(mailing_id=mailing_id, mailing__status=Mailing.Status.SENDING, status=Delivery.Status.PENDING)
        .filter(pk__gt=after)
        .filter(models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now))
        .only("pk", "mailing_id", "email", "name", "attempts")
        .order_by("pk")
        .first()
    )


_CLAIM_AND_MARK_SQL = """
UPDATE mailing_delivery SET status = %(sent)s, sent_at = %(now)s, attempts = attempts + 1, last_error = ''
WHERE id = (
    SELECT delivery.id FROM mailing_delivery delivery
    JOIN mailing_mailing mailing ON mailing.id = delivery.mailing_id
    WHERE delivery.mailing_id = %(mailing)s AND mailing.status = %(sending)s AND delivery.status = %(pending)s
      AND delivery.id > %(after)s AND (delivery.next_attempt_at IS NULL OR delivery.next_attempt_at <= %(now)s)
    ORDER BY delivery.id LIMIT 1
    FOR UPDATE OF delivery SKIP LOCKED
)
RETURNING id, email, name, attempts
"""


def _claim_and_mark(mailing_id: int, after: int) -> Delivery | None:
    """Claim the next row (as `_claim_next`) and write its "sent" mark, visible once committed.
    On PostgreSQL one statement (UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED) RETURNING):
    a round trip less per message than a SELECT then an UPDATE."""
    now = timezone.now()
    if db_connection.vendor == "postgresql":
        with db_connection.cursor() as cursor:
            cursor.execute(
                _CLAIM_AND_MARK_SQL,
                {
                    "sent": Delivery.Status.SENT,
                    "now": now,
                    "mailing": mailing_id,
                    "sending": Mailing.Status.SENDING,
                    "pending": Delivery.Status.PENDING,
                    "after": after,
                },
            )
            found = cursor.fetchone()
        if found is None:
            return None
        pk, email, name, attempts = found
        return Delivery(
            pk=pk,
            mailing_id=mailing_id,
            email=email,
            name=name,
            attempts=attempts,
            status=Delivery.Status.SENT,
            sent_at=now,
        )
    delivery = _claim_next(mailing_id, after=after)
    if delivery is not None:
        delivery.attempts += 1
        delivery.status, delivery.sent_at, delivery.last_error = Delivery.Status.SENT, now, ""
        delivery.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    return delivery


def _send_one(
    *, mailing: Mailing, smtp_connection, mailing_id: int, cursor: list[int] | None = None, renderer=None
) -> str:
    """Claim, send and record one delivery in one transaction. Returns "sent", "failed",
    "retry", "unreachable" (the server could not be reached: stop the batch; the row is left as
    it was, the error in `error` below) or "none" (nothing to claim). `cursor`, when given, is
    [the last row claimed], updated here."""
    with transaction.atomic():
        # The "sent" mark is written with the claim, before the conversation, and is visible
        # only once committed, after the server's 250.
        delivery = _claim_and_mark(mailing_id, after=cursor[0] if cursor else 0)
        if delivery is None:
            return "none"
        if cursor is not None:
            cursor[0] = delivery.pk
        if smtp.suppressed(delivery.email):
            Delivery.objects.filter(pk=delivery.pk).update(
                status=Delivery.Status.FAILED, sent_at=None, last_error=smtp.SUPPRESSED_ERROR
            )
            return "failed"
        try:
            smtp_connection.open()  # once per batch (a no-op when open): send_messages then leaves it open
            conversation = getattr(smtp_connection, "connection", None)
            payload = renderer.render(delivery) if renderer and isinstance(conversation, smtplib.SMTP) else None
            if payload is not None:
                conversation.sendmail(renderer.from_email, [delivery.email], payload)  # raises unless accepted
            elif (
                smtp_connection.send_messages(
                    [build_message(mailing=mailing, delivery=delivery, connection=smtp_connection)]
                )
                != 1
            ):
                raise smtplib.SMTPException("the mail backend sent nothing")
        except (smtplib.SMTPException, OSError) as error:
            failure = smtp.classify(error)
            delivery.sent_at, delivery.last_error = None, smtp.error_text(error)
            if failure == smtp.Failure.UNREACHABLE:
                # Not this recipient's fault: no attempt counted; the send waits for the server
                # (the mailing says so) and beat's recovery tries again.
                delivery.attempts -= 1
                delivery.status, outcome = Delivery.Status.PENDING, "unreachable"
            elif failure == smtp.Failure.PERMANENT or delivery.attempts >= Delivery.MAX_ATTEMPTS:
                delivery.status, outcome = Delivery.Status.FAILED, "failed"
            else:
                delivery.status, outcome = Delivery.Status.PENDING, "retry"
                delivery.next_attempt_at = timezone.now() + smtp.retry_delay(delivery.attempts)
            delivery.save(update_fields=["attempts", "status", "sent_at", "last_error", "next_attempt_at"])
            logger.warning(
                "Mailing %s, delivery %s to %s not sent (%s, attempt %s): %s",
                mailing_id,
                delivery.pk,
                delivery.email,
                failure,
                delivery.attempts,
                delivery.last_error,
            )
            if outcome == "unreachable":
                _server_unreachable(mailing_id, error)
            return outcome
    return "sent"


def _server_unreachable(mailing_id: int, error: Exception) -> None:
    """Say on the mailing that the server cannot be reached and when it is tried again."""
    retry_at = smtp.mark_unreachable(error)
    Mailing.objects.filter(pk=mailing_id).update(retry_at=retry_at, last_error=smtp.error_text(error))


def mailing_send_batch(*, mailing_id: int, size: int = BATCH_SIZE, seconds: float | None = None) -> dict:
    """Send up to `size` messages of a sending mailing over ONE SMTP connection, for at most
    `seconds` (settings.WORK_BATCH_SECONDS), at most settings.MAILING_RATE_LIMIT per second in all
    (shared out between the sender slots). Publishes the next batch when rows are left, marks the
    mailing done when none is. Several at once share the rows (SKIP LOCKED); beyond the sender
    slots a task exits at once. A worker asked to stop (SIGTERM) stops after the message in hand
    and hands the rest back. Returns counts of what this batch did ({"sent", "failed", "retry",
    "more"})."""
    counts = {"sent": 0, "failed": 0, "retry": 0, "more": False}
    with workqueue.slot(SENDERS, mailing_id, slots=senders_per_mailing()) as slot:
        if slot is None:
            return counts
        mailing = Mailing.objects.filter(pk=mailing_id, status=Mailing.Status.SENDING).first()
        if mailing is None:
            return counts  # paused, cancelled, done, or gone
        Mailing.objects.filter(pk=mailing_id).update(dispatched_at=timezone.now())
        pacer = _Pacer(float(getattr(settings, "MAILING_RATE_LIMIT", 0) or 0) / senders_per_mailing())
        smtp_connection = get_connection(fail_silently=False)
        deadline = time.monotonic() + (workqueue.batch_seconds() if seconds is None else seconds)
        outcome, cursor, renderer = "none", [0], _Renderer(mailing)
        try:
            for _index in range(size):
                if time.monotonic() > deadline or workqueue.stopping():
                    outcome = "full"
                    break
                pacer.wait()
                outcome = _send_one(
                    mailing=mailing,
                    smtp_connection=smtp_connection,
                    mailing_id=mailing_id,
                    cursor=cursor,
                    renderer=renderer,
                )
                if outcome in ("none", "unreachable"):
                    break
                counts[outcome] += 1
                if outcome == "sent" and counts["sent"] == 1 and mailing.retry_at is not None:
                    # The server answers again: the page stops saying it cannot be reached.
                    Mailing.objects.filter(pk=mailing_id).update(retry_at=None, last_error="")
                    smtp.mark_reachable()
            else:
                outcome = "full"
        finally:
            with contextlib.suppress(OSError, smtplib.SMTPException):  # the rows are committed already
                smtp_connection.close()
        if outcome == "unreachable":
            return counts  # beat's recovery tries again at the mailing's retry_at
        with transaction.atomic():
            mailing = Mailing.objects.select_for_update().get(pk=mailing_id)
            # "none" after claims: rows passed over (held by another sender then, or due for a
            # retry since) may lie behind the cursor: one more batch looks again from the start.
            more = outcome != "none" or cursor[0] > 0
            if not _finish_if_done(mailing) and mailing.status == Mailing.Status.SENDING and more:
                counts["more"] = True
                mailing.dispatched_at = timezone.now()
                mailing.save(update_fields=["dispatched_at"])
    if counts["more"]:
        _publish(mailing_id)  # committed, and the slot released, so the next task may take it
    return counts


def _due_rows(mailing: Mailing, now: datetime):
    return mailing.deliveries.filter(status=Delivery.Status.PENDING).filter(
        models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now)
    )


@transaction.atomic
def mailing_dispatch_pending(*, older_than: timedelta | None = None, now: datetime | None = None) -> dict:
    """Recovery (beat, every settings.WORK_RECOVERY_TICK seconds): start the scheduled mailings
    whose time has come, and publish the sending tasks again for a mailing still sending that no
    live task holds and none was published for in the last `older_than`
    (settings.WORK_STALLED_AFTER): asked for while the broker was down, a worker killed mid-batch,
    rows due for a retry, the SMTP server tried again at the mailing's `retry_at`. Returns
    {"started": n, "published": n}."""
    now = now or timezone.now()
    older_than = workqueue.stalled_after() if older_than is None else older_than
    started_ids = []
    due = Mailing.objects.select_for_update(skip_locked=True).filter(
        status=Mailing.Status.SCHEDULED, scheduled_at__lte=now
    )
    for mailing in due.order_by("scheduled_at", "pk"):
        _start(mailing, user=mailing.scheduled_by)
        started_ids.append(mailing.pk)
    stalled = (
        Mailing.objects.select_for_update(skip_locked=True)
        .filter(status=Mailing.Status.SENDING, started_at__isnull=False)
        .filter(models.Q(dispatched_at__isnull=True) | models.Q(dispatched_at__lte=now - older_than))
        .filter(models.Q(retry_at__isnull=True) | models.Q(retry_at__lte=now))
        .exclude(pk__in=started_ids)
    )
    published = 0
    for mailing in stalled:
        if _finish_if_done(mailing) or workqueue.held(SENDERS, mailing.pk, slots=senders_per_mailing()):
            continue
        if not _due_rows(mailing, now).exists():
            continue  # every row left waits for its retry time
        mailing.dispatched_at = now
        mailing.save(update_fields=["dispatched_at"])
        _publish_on_commit(mailing)
        published += 1
    return {"started": len(started_ids), "published": published}


def bodies_purge(*, before: datetime, dry_run: bool) -> int:
    """Retention (intranet.retention): the message of the mailings finished before `before` is
    emptied (the subject and the delivery rows stay: who received what; a newsletter keeps its
    issue in its own archive), and the deliveries' error texts."""
    old = Mailing.objects.filter(finished_at__lt=before).exclude(html="", text="")
    if dry_run:
        return old.count()
    Delivery.objects.filter(mailing__in=old).exclude(last_error="").update(last_error="")
    return old.update(html="", text="")
