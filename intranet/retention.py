"""Retention: what the site keeps only for a while is purged every night (beat's
« retention-purge »), after the periods HR sets on /conservation/ (the RetentionRule's default,
from the CNIL's référentiel for personnel management, until they do). `manage.py purge --dry-run`
tells what would go; each purge is logged and written in the audit log with its counts.

The rules are registered by the apps (intranet.registry.RetentionRule): the core's own below (sent
e-mails, rendered documents, the audit log, expired sessions), the mailing engine's message
bodies, the vacancies' CVs."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intranet.models import RetentionPeriod
from intranet.registry import RetentionRule, registry

logger = logging.getLogger(__name__)
MAX_DAYS = 20 * 365


def rules() -> list[RetentionRule]:
    return sorted(registry.retention_rules.values(), key=lambda rule: (rule.order, rule.key))


def periods() -> dict[str, int]:
    """{rule key: days}, HR's choice or the default."""
    chosen = dict(RetentionPeriod.objects.values_list("key", "days"))
    return {rule.key: chosen.get(rule.key, rule.default_days) for rule in rules()}


@transaction.atomic
def retention_periods_set(*, days: dict[str, int], user) -> None:
    """HR sets the periods (days per rule key); a period equal to the default is still recorded."""
    from intranet.services import audit_log_record

    errors = {}
    for key, value in days.items():
        if key not in registry.retention_rules:
            errors[key] = _("Donnée inconnue.")
        elif value is None or not 0 <= value <= MAX_DAYS:
            errors[key] = _("Indiquez une durée entre 0 et %(max)s jours.") % {"max": MAX_DAYS}
    if errors:
        raise ValidationError(errors)
    before = periods()
    for key, value in days.items():
        RetentionPeriod.objects.update_or_create(key=key, defaults={"days": value, "updated_by": user})
    changed = {key: [before[key], value] for key, value in days.items() if before[key] != value}
    if changed:
        audit_log_record(actor=user, action="retention.periods", details=changed)


def retention_purge(*, dry_run: bool = False, now: datetime | None = None) -> list[dict]:
    """Purge (or count, in a dry run) what each rule keeps beyond its period. Returns
    [{"key", "label", "days", "before", "count"}]; a rule that fails is logged and skipped."""
    from intranet.services import audit_log_record

    now = now or timezone.now()
    chosen = periods()
    results = []
    for rule in rules():
        before = now - timedelta(days=chosen[rule.key])
        try:
            with transaction.atomic():
                count = rule.purge(before=before, dry_run=dry_run)
        except Exception:
            logger.exception("Retention %s failed", rule.key)
            continue
        results.append(
            {"key": rule.key, "label": str(rule.label), "days": chosen[rule.key], "before": before, "count": count}
        )
    if not dry_run:
        purged = {result["key"]: result["count"] for result in results if result["count"]}
        logger.info("Retention: purged %s", purged or "nothing")
        if purged:
            audit_log_record(actor=None, action="retention.purge", details=purged)
    return results


# --- The core's rules -------------------------------------------------------------------------


def sent_emails_purge(*, before: datetime, dry_run: bool) -> int:
    """Outbox rows sent or failed before `before` (their content stays in the app that wrote it)."""
    from intranet.models import OutgoingEmail

    old = OutgoingEmail.objects.exclude(status=OutgoingEmail.Status.PENDING).filter(created_at__lt=before)
    return old.count() if dry_run else old.delete()[0]


def documents_purge(*, before: datetime, dry_run: bool) -> int:
    """Rendered documents asked for before `before`, and their files (any one can be asked again)."""
    from intranet.models import DocumentRequest

    old = DocumentRequest.objects.exclude(status=DocumentRequest.Status.PENDING).filter(created_at__lt=before)
    if dry_run:
        return old.count()
    files = set(old.exclude(file="").values_list("file", flat=True))
    count = old.delete()[0]
    files -= set(DocumentRequest.objects.filter(file__in=files).values_list("file", flat=True))  # shared by a newer row
    storage = DocumentRequest._meta.get_field("file").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in sorted(files)])
    return count


def audit_log_purge(*, before: datetime, dry_run: bool) -> int:
    from intranet.models import AuditLogEntry

    old = AuditLogEntry.objects.filter(at__lt=before)
    return old.count() if dry_run else old.delete()[0]


def sessions_purge(*, before: datetime, dry_run: bool) -> int:
    """Sessions expired before `before` (Django keeps them until someone runs clearsessions)."""
    from django.contrib.sessions.models import Session

    old = Session.objects.filter(expire_date__lt=before)
    return old.count() if dry_run else old.delete()[0]
