"""Agents' expressions of interest: the CV checked here, HR told, read marks, and what RGPD and the
CV purge delete."""

import io
import logging
import os

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from intranet.links import absolute_url
from intranet.models import Agent
from intranet.roles import Role
from intranet.services import audit_log_record, email_queue
from vacancies.models import CV_MAX_BYTES, Interest, Vacancy

logger = logging.getLogger(__name__)


PDF_MAGIC = b"%PDF-"


def cv_check(upload) -> bytes:
    """The CV's bytes when it is a PDF of at most CV_MAX_BYTES; a French ValidationError
    otherwise. The content decides, not the name nor the browser's content type: the file
    must start with the PDF signature ("%PDF-", tolerated after a few leading bytes as
    readers do) and carry the end-of-file marker."""
    if upload.size > CV_MAX_BYTES:
        raise ValidationError(
            _("Le CV dépasse la taille maximale de %(max)s Mo (il fait %(size).1f Mo).")
            % {"max": CV_MAX_BYTES // (1024 * 1024), "size": upload.size / (1024 * 1024)},
            code="too_big",
        )
    upload.seek(0)
    content = upload.read(CV_MAX_BYTES + 1)
    if len(content) > CV_MAX_BYTES:
        raise ValidationError(
            _("Le CV dépasse la taille maximale de %(max)s Mo.") % {"max": CV_MAX_BYTES // (1024 * 1024)},
            code="too_big",
        )
    if not content:
        raise ValidationError(_("Le fichier envoyé est vide."), code="empty")
    if PDF_MAGIC not in content[:1024] or b"%%EOF" not in content[-2048:]:
        raise ValidationError(
            _(
                "Le CV doit être un fichier PDF. Ce fichier n'en est pas un (quel que soit son nom) : "
                "enregistrez votre CV au format PDF depuis votre traitement de texte."
            ),
            code="not_pdf",
        )
    # The signature can be faked: the file must also open as a PDF with at least one page
    # that HR can read (not protected by a password).
    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise ValidationError(
                _("Ce PDF est protégé par un mot de passe : enregistrez-le sans protection."), code="encrypted"
            )
        if len(reader.pages) == 0:
            raise PdfReadError("no page")
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as error:
        raise ValidationError(
            _("Ce PDF est illisible ou endommagé : enregistrez à nouveau votre CV au format PDF."), code="bad_pdf"
        ) from error
    return content


def _hr_recipients() -> list[str]:
    emails = (
        Agent.objects.active()
        .internal()
        .filter(groups__name=Role.HR.value)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    return sorted(emails)


@transaction.atomic
def interest_express(*, vacancy: Vacancy, agent, message: str, cv=None) -> Interest:
    """Record an agent's interest in an open vacancy, with an optional CV (checked by
    `cv_check`), and tell HR by e-mail (the outbox; the CV is not attached: HR reads it on
    the intranet, behind its access rule)."""
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if not vacancy.is_open():
        raise ValidationError(_("Cette offre n'est plus ouverte aux candidatures."))
    if Interest.objects.filter(vacancy=vacancy, agent=agent).exists():
        raise ValidationError(_("Vous avez déjà manifesté votre intérêt pour cette offre."))
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Écrivez quelques mots pour présenter votre intérêt.")})
    content = cv_check(cv) if cv is not None else None
    interest = Interest(vacancy=vacancy, agent=agent, message=message)
    if content is not None:
        interest.cv.save("cv.pdf", ContentFile(content), save=False)
        interest.cv_filename = os.path.basename(getattr(cv, "name", "") or "cv.pdf")[:255]
        interest.cv_size = len(content)
    try:
        with transaction.atomic():
            interest.save()
        _notify_hr(interest)
    except Exception as error:
        # Nothing half-stored: a CV written to disk for a row that is not saved goes too.
        if interest.cv:
            interest.cv.storage.delete(interest.cv.name)
        if isinstance(error, IntegrityError):
            raise ValidationError(_("Vous avez déjà manifesté votre intérêt pour cette offre.")) from error
        raise
    return interest


def _notify_hr(interest: Interest) -> None:
    recipients = _hr_recipients()
    if not recipients:
        logger.warning("No HR agent to tell about interest %s", interest.pk)
        return
    context = {
        "interest": interest,
        "vacancy": interest.vacancy,
        "agent": interest.agent,
        "url": absolute_url(reverse("vacancies:vacancy-interests", args=[interest.vacancy_id])),
    }
    subject = _("Manifestation d'intérêt : %(title)s (%(reference)s)") % {
        "title": interest.vacancy.title,
        "reference": interest.vacancy.reference,
    }
    text = render_to_string("vacancies/email/interest_hr.txt", context)
    for to in recipients:
        email_queue(to=to, subject=subject, text=text, kind="vacancies.interest")


@transaction.atomic
@transaction.atomic
def vacancy_interests_mark_seen(*, vacancy: Vacancy, user, now=None) -> Vacancy:
    """HR have read the vacancy's expressions of interest: those received until now leave their
    « À faire »."""
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    vacancy.interests_seen_at = now or timezone.now()
    vacancy.save(update_fields=["interests_seen_at"])
    audit_log_record(actor=user, action="vacancy.interests_seen", target=vacancy)
    return vacancy


def interest_delete_for_agent(*, agent) -> int:
    """A departed agent's anonymisation: their expressions of interest and CVs go (the CV
    files once the transaction has committed)."""
    interests = list(Interest.objects.filter(agent=agent))
    for interest in interests:
        if interest.cv:
            storage, name = interest.cv.storage, interest.cv.name
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    Interest.objects.filter(pk__in=[i.pk for i in interests]).delete()
    return len(interests)


def cvs_purge(*, before, dry_run: bool) -> int:
    """Retention (intranet.retention): the CVs sent for vacancies whose deadline passed before
    `before`; the expression of interest and its message stay (the agent's history)."""
    old = Interest.objects.exclude(cv="").filter(vacancy__deadline__lt=timezone.localdate(before))
    if dry_run:
        return old.count()
    names = list(old.values_list("cv", flat=True))
    count = old.update(cv="", cv_filename="", cv_size=0)
    storage = Interest._meta.get_field("cv").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
    return count
