"""The audit log: who did what sensitive thing, when, to what."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from intranet.models import AuditLogEntry


@transaction.atomic
def audit_log_record(
    *, actor, action: str, target=None, details: dict | None = None, ip_address: str | None = None
) -> AuditLogEntry:
    """Record a sensitive action. `action` is a short dotted code ("agent.anonymise")."""
    entry = AuditLogEntry(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=str(actor) if actor is not None and actor.is_authenticated else "",
        action=action,
        details=details or {},
        ip_address=ip_address,
    )
    if target is not None:
        entry.target_type = ContentType.objects.get_for_model(target)
        entry.target_id = str(target.pk)
        entry.target_label = str(target)[:255]
    entry.save()
    return entry
