"""The welcome guide: its settings and chapters, and each arrival's guide rendered as a PDF by
workers (with beat's recovery)."""

import logging
import time
import uuid
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from intranet import workqueue
from intranet.links import absolute_url
from intranet.sanitize import sanitize
from intranet.services import audit_log_record
from onboarding.models import Arrival, GuideChapter, GuideEdition, GuideSettings
from onboarding.services.common import _mail

logger = logging.getLogger(__name__)


def guide_settings() -> GuideSettings:
    from django.conf import settings

    current = GuideSettings.objects.order_by("pk").first()
    if current is None:
        current = GuideSettings.objects.create(administration_name=settings.SITE_NAME)
    return current


@transaction.atomic
def guide_settings_save(*, guide: GuideSettings, user) -> GuideSettings:
    guide.full_clean()
    guide.save()
    audit_log_record(actor=user, action="onboarding.guide.settings", target=guide)
    return guide


@transaction.atomic
def chapter_save(*, chapter: GuideChapter, user) -> GuideChapter:
    """Save a chapter written by communication or HR, its text sanitised first. The guides
    already rendered are re-rendered when next asked for (their content hash changed)."""
    chapter.body = sanitize(chapter.body, allow_list="guide")
    if not chapter.body:
        raise ValidationError({"body": _("Le texte du chapitre est vide.")})
    chapter.full_clean()
    chapter.save()
    audit_log_record(actor=user, action="onboarding.chapter.save", target=chapter)
    return chapter


@transaction.atomic
def chapter_delete(*, chapter: GuideChapter, user) -> None:
    audit_log_record(actor=user, action="onboarding.chapter.delete", target=chapter)
    chapter.delete()


@transaction.atomic
def guide_request(*, arrival: Arrival) -> GuideEdition:
    """Ask for the arrival's guide: a worker renders it after the commit, unless what it is
    made from has not changed since the last rendering (then the task does nothing)."""
    from onboarding import tasks

    edition, _created = GuideEdition.objects.get_or_create(arrival=arrival)
    # Pending until a worker has looked (a render whose inputs did not change is skipped), so
    # a request lost with the broker is published again by guide_dispatch_pending.
    edition.status, edition.error, edition.requested_at = GuideEdition.Status.PENDING, "", timezone.now()
    edition.save(update_fields=["status", "error", "requested_at"])
    workqueue.publish_on_commit(tasks.render_guide_task, arrival.pk)
    return edition


GUIDES = "onboarding.guides"  # the guide renderers' slots (intranet.workqueue)
GUIDE_RENDERERS = 2
GUIDE_MAX_ATTEMPTS = 3


def guide_render(*, arrival_id: int) -> bool:
    """Render the arrival's guide if its content changed since the last rendering (the hash
    of the inputs); e-mail the first one to the arriving agent (PDF attached). True if rendered.

    A pending guide's attempt is counted and committed first, so a guide whose rendering kills
    its worker fails after GUIDE_MAX_ATTEMPTS instead of being tried for ever by the recovery."""
    from django.core.files.base import ContentFile

    from onboarding import guide

    GuideEdition.objects.filter(arrival_id=arrival_id, status=GuideEdition.Status.PENDING).update(
        attempts=F("attempts") + 1
    )
    with transaction.atomic():
        edition = (
            GuideEdition.objects.select_for_update(skip_locked=True)
            .filter(arrival_id=arrival_id)
            .select_related("arrival__agent")
            .first()
        )
        if edition is None:
            return False
        if edition.status == GuideEdition.Status.PENDING and edition.attempts > GUIDE_MAX_ATTEMPTS:
            edition.status = GuideEdition.Status.FAILED
            edition.error = edition.error or "Rendering interrupted too many times (worker lost)"
            edition.save(update_fields=["status", "error"])
            return False
        arrival = edition.arrival
        context = guide.guide_context(arrival=arrival)
        digest = guide.guide_hash(context)
        if edition.content_hash == digest and edition.file:
            if edition.status != GuideEdition.Status.DONE:
                edition.status = GuideEdition.Status.DONE
                edition.save(update_fields=["status"])
            return False
        try:
            pdf, pages = guide.guide_pdf_render(context=context)
        except Exception as error:  # noqa: BLE001 (any rendering error is kept on the row)
            edition.error = f"{type(error).__name__}: {error}"[:2000]
            edition.status = GuideEdition.Status.FAILED
            edition.save(update_fields=["error", "status"])
            logger.warning("Guide of arrival %s not rendered: %s", arrival_id, edition.error)
            return False
        old_file = edition.file.name if edition.file else ""
        edition.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(pdf), save=False)  # not guessable
        edition.content_hash, edition.pages, edition.error = digest, pages, ""
        edition.status, edition.rendered_at, edition.attempts = GuideEdition.Status.DONE, timezone.now(), 0
        edition.render_count += 1
        fields = ["file", "content_hash", "pages", "error", "status", "rendered_at", "render_count", "attempts"]
        if not edition.emailed_hash:
            agent = arrival.agent
            if _mail(
                agent=agent,
                subject=_("Bienvenue ! Votre guide d'accueil"),
                text=_(
                    "Bonjour %(name)s,\n\nBienvenue parmi nous ! Vous trouverez en pièce jointe votre guide "
                    "d'accueil personnalisé. Il est aussi disponible sur l'intranet : %(url)s\n"
                )
                % {"name": agent.first_name, "url": absolute_url(reverse("onboarding:my-journey"))},
                kind="onboarding.guide",
                attachments=[(guide.guide_filename(arrival), pdf, "application/pdf")],
            ):
                edition.emailed_hash = digest
                fields.append("emailed_hash")
        edition.save(update_fields=fields)
    if old_file and old_file != edition.file.name:
        edition.file.storage.delete(old_file)
    return True


def guide_render_in_slot(*, arrival_id: int | None = None, seconds: float | None = None) -> int:
    """Render that arrival's guide, or every pending guide oldest first (for at most `seconds`,
    settings.WORK_BATCH_SECONDS, then the rest is handed to a new task), holding one of the
    renderers' slots, so beat's recovery knows a live worker is on them. Returns how many were
    rendered."""
    from onboarding import tasks

    rendered = 0
    with workqueue.slot(GUIDES, slots=GUIDE_RENDERERS) as taken:
        if taken is None:
            return 0  # every renderer is busy: the recovery publishes the rest once one is free
        if arrival_id is not None:
            return int(guide_render(arrival_id=arrival_id))
        deadline = time.monotonic() + (workqueue.batch_seconds() if seconds is None else seconds)
        seen: set[int] = set()
        while True:
            pending = GuideEdition.objects.filter(status=GuideEdition.Status.PENDING).exclude(arrival_id__in=seen)
            next_id = pending.order_by("requested_at", "pk").values_list("arrival_id", flat=True).first()
            if next_id is None:
                return rendered
            seen.add(next_id)
            rendered += guide_render(arrival_id=next_id)
            if time.monotonic() > deadline or workqueue.stopping():
                break
    workqueue.publish(tasks.render_pending_guides_task)
    return rendered


def guide_dispatch_pending(*, older_than: timedelta | None = None) -> int:
    """Recovery (beat, every tick): when guides asked for more than `older_than` ago
    (settings.WORK_STALLED_AFTER) are still pending and no live worker renders any (broker down,
    worker lost), publish a task that renders them all. Returns how many tasks were published."""
    from onboarding import tasks

    older_than = workqueue.stalled_after() if older_than is None else older_than
    waiting = GuideEdition.objects.filter(
        status=GuideEdition.Status.PENDING, requested_at__lt=timezone.now() - older_than
    )
    if workqueue.held(GUIDES, slots=GUIDE_RENDERERS) or not waiting.exists():
        return 0
    return int(workqueue.publish(tasks.render_pending_guides_task))
