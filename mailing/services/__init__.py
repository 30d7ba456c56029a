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

- `publishing`: the sender slots and the sending tasks published;
- `lifecycle`: create, schedule, start (the audience frozen), pause, resume, cancel, retry;
- `messages`: a delivery's message, rendered once per batch;
- `sending`: a batch of messages over one SMTP connection (`mailing_send_batch`);
- `recovery`: beat's start of scheduled mailings and new publications, the bodies' retention.

Every public name is re-exported here: callers import from `mailing.services`.
"""

from mailing.services.lifecycle import (
    mailing_cancel,
    mailing_create,
    mailing_pause,
    mailing_record_sent,
    mailing_resume,
    mailing_retry_failed,
    mailing_schedule,
    mailing_start,
)
from mailing.services.messages import build_message, message_id_for
from mailing.services.publishing import BATCH_SIZE, DEFAULT_SENDERS, SENDERS, senders_per_mailing
from mailing.services.recovery import bodies_purge, mailing_dispatch_pending
from mailing.services.sending import mailing_send_batch

__all__ = [
    "BATCH_SIZE",
    "DEFAULT_SENDERS",
    "SENDERS",
    "bodies_purge",
    "build_message",
    "mailing_cancel",
    "mailing_create",
    "mailing_dispatch_pending",
    "mailing_pause",
    "mailing_record_sent",
    "mailing_resume",
    "mailing_retry_failed",
    "mailing_schedule",
    "mailing_send_batch",
    "mailing_start",
    "message_id_for",
    "senders_per_mailing",
]
