"""What the core does: functions that change state, one module per subject.

- `audit`: the audit log of sensitive actions;
- `outbox`: mails recorded, then sent by workers over SMTP, retried and recovered;
- `documents`: documents (PDFs) rendered by a worker;
- `todo_digest`: the weekly « À faire » e-mail;
- `heartbeats`: the background processes' heartbeats.

Every app calls these (the audit log and the outbox above all): their names are re-exported here.
"""

from intranet.services.audit import audit_log_record
from intranet.services.documents import (
    document_dispatch_pending,
    document_progress,
    document_progress_record,
    document_render,
    document_render_pending,
    document_request,
    document_retry,
)
from intranet.services.heartbeats import heartbeat_record
from intranet.services.outbox import (
    email_dispatch_pending,
    email_publish_on_commit,
    email_queue,
    email_send,
    email_send_pending,
)
from intranet.services.todo_digest import (
    agent_todo_digest_set,
    todo_digest_email,
    todo_digest_moment,
    todo_digests_send,
)

__all__ = [
    "agent_todo_digest_set",
    "audit_log_record",
    "document_dispatch_pending",
    "document_progress",
    "document_progress_record",
    "document_render",
    "document_render_pending",
    "document_request",
    "document_retry",
    "email_dispatch_pending",
    "email_publish_on_commit",
    "email_queue",
    "email_send",
    "email_send_pending",
    "heartbeat_record",
    "todo_digest_email",
    "todo_digest_moment",
    "todo_digests_send",
]
