"""What the onboarding services share: one mail through the outbox."""

from intranet.models import Agent
from intranet.services import email_queue


def _mail(*, agent: Agent | None, email: str = "", subject: str, text: str, kind: str, attachments=None) -> bool:
    """One mail through the outbox; False when there is nobody to write to (no address, or an
    agent without a professional mailbox: HR hands them a paper copy)."""
    to = email or (agent.email if agent is not None and agent.has_mailbox and agent.is_active else "")
    if not to:
        return False
    email_queue(to=to, subject=subject, text=text, kind=kind, attachments=attachments)
    return True
