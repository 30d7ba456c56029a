"""One SMTP policy for every mail the site sends: the outbox of single mails (intranet.services)
and the bulk mailings (mailing.services) classify errors, wait and give up the same way.

- The server cannot be reached (refused or dropped connection, timeout, 421, our sender or login
  refused): not the message's fault. No attempt is counted; the message waits
  settings.SMTP_RETRY_SECONDS and is tried again, for as long as the outage lasts.
- A 4xx answer to this message (greylisting, mailbox full): an attempt is counted and the message
  waits 1, 2, 4 … minutes; after MAX_ATTEMPTS it fails.
- A 5xx answer to this message (unknown mailbox, refused): it fails at once.

Every message carries a Message-ID fixed before its first attempt (stored with it), so a message
sent again after a crash between the server's 250 and our commit is recognisable as the same.
"""

from __future__ import annotations

import contextlib
import enum
import smtplib
import uuid
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

MAX_ATTEMPTS = 8  # 4xx answers: 1 + 2 + 4 + … + 64 minutes, about two hours, then failed
RETRY_BASE = timedelta(minutes=1)
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
_UNREACHABLE_KEY = "smtp:unreachable"


class Failure(enum.StrEnum):
    UNREACHABLE = "unreachable"
    TEMPORARY = "temporary"
    PERMANENT = "permanent"


def classify(error: Exception) -> Failure:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return Failure.PERMANENT if codes and all(code >= 500 for code in codes) else Failure.TEMPORARY
    if isinstance(error, smtplib.SMTPSenderRefused | smtplib.SMTPAuthenticationError | smtplib.SMTPHeloError):
        return Failure.UNREACHABLE  # the server refuses us, not this message: the same for every one
    if isinstance(error, smtplib.SMTPResponseException):
        if error.smtp_code == 421:  # service not available, closing the channel
            return Failure.UNREACHABLE
        return Failure.PERMANENT if error.smtp_code >= 500 else Failure.TEMPORARY
    if isinstance(error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return Failure.UNREACHABLE
    if isinstance(error, smtplib.SMTPException):
        return Failure.TEMPORARY
    return Failure.UNREACHABLE  # OSError: refused, reset, timed out, no route, TLS


def error_text(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def retry_delay(attempts: int) -> timedelta:
    """After a 4xx answer to the `attempts`-th try of a message."""
    return RETRY_BASE * 2 ** max(0, attempts - 1)


def server_retry_delay() -> timedelta:
    """While the server cannot be reached: the time between two tries."""
    return timedelta(seconds=getattr(settings, "SMTP_RETRY_SECONDS", 15))


# --- The server's state, shared by every worker (the cache) ------------------------------------


def mark_unreachable(error: Exception, *, now: datetime | None = None) -> datetime:
    """Record that the server cannot be reached; returns when to try again."""
    now = now or timezone.now()
    retry_at = now + server_retry_delay()
    with contextlib.suppress(Exception):  # the cache is a hint: a failure here must not stop a send
        state = cache.get(_UNREACHABLE_KEY) or {}
        cache.set(
            _UNREACHABLE_KEY,
            {"since": state.get("since", now), "retry_at": retry_at, "error": error_text(error)},
            timeout=int(server_retry_delay().total_seconds()) + 3600,
        )
    return retry_at


def mark_reachable() -> None:
    with contextlib.suppress(Exception):
        cache.delete(_UNREACHABLE_KEY)


def unreachable_state() -> dict | None:
    """{"since", "retry_at", "error"} while the last try found the server unreachable, else None."""
    try:
        return cache.get(_UNREACHABLE_KEY)
    except Exception:  # noqa: BLE001 (the cache is down: no hint)
        return None


def waiting_for_server(*, now: datetime | None = None) -> bool:
    """Should the senders leave the server alone for now (its retry time has not come)?"""
    state = unreachable_state()
    return bool(state and state["retry_at"] > (now or timezone.now()))


# --- Message-IDs and addresses ------------------------------------------------------------------


def message_id_domain() -> str:
    domain = getattr(settings, "MAILING_MESSAGE_ID_DOMAIN", "") or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return domain.rpartition("@")[2] or "localhost"


def new_message_id(prefix: str) -> str:
    """A Message-ID chosen once, kept with the message, the same at every attempt."""
    return f"<{prefix}-{uuid.uuid4().hex}@{message_id_domain()}>"


def suppressed(address: str) -> bool:
    """Addresses never handed to a real SMTP server (settings.EMAIL_SUPPRESSED_DOMAINS, the demo's
    `demo.local` by default): the demo's 10,000 agents must not be mailed through a real relay.
    Mails written to files (the embedded default) are not concerned."""
    if getattr(settings, "EMAIL_BACKEND", "") != SMTP_BACKEND:
        return False
    domain = address.rpartition("@")[2].lower()
    return any(
        domain == blocked or domain.endswith("." + blocked)
        for blocked in (entry.strip().lower() for entry in getattr(settings, "EMAIL_SUPPRESSED_DOMAINS", ()))
        if blocked
    )


SUPPRESSED_ERROR = "Not sent: address of a suppressed domain (EMAIL_SUPPRESSED_DOMAINS, e.g. the demo's)"
