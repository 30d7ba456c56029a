"""What the vacancies board does: write vacancies and concours, publish and close them,
record agents' expressions of interest (with a CV checked here) and tell HR.

Permission checks are the caller's (views ask `vacancies.permissions`)."""

import io
import logging
import os
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
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
from vacancies.models import CV_MAX_BYTES, Concours, Interest, Vacancy, one_month_after

logger = logging.getLogger(__name__)

VACANCY_FIELDS = (
    "title",
    "org_unit",
    "site",
    "category",
    "grade",
    "description",
    "soft_skills",
    "deadline",
    "contact_agent",
    "contact_email",
)
CONCOURS_FIELDS = (
    "name",
    "category",
    "organiser",
    "registration_opens",
    "registration_closes",
    "exam_date",
    "exam_dates_detail",
    "preparation",
    "link",
)


class ShortApplicationPeriod(ValidationError):
    """Publishing now would leave less than a month to apply: HR must confirm explicitly."""


def application_period_is_short(*, deadline: date, published_on: date) -> bool:
    """True when the deadline falls before the same day of the next month (the regulation's
    minimum of one month of advertisement)."""
    return deadline < one_month_after(published_on)


def _next_reference(today: date) -> str:
    prefix = f"OE-{today.year}-"
    last = Vacancy.objects.filter(reference__startswith=prefix).aggregate(m=Max("reference"))["m"]
    number = int(last.removeprefix(prefix)) + 1 if last and last.removeprefix(prefix).isdigit() else 1
    return f"{prefix}{number:03d}"


@transaction.atomic
def vacancy_create(*, user, reference: str = "", **fields) -> Vacancy:
    """A draft vacancy; its reference is "OE-<year>-<n>" unless HR gives one."""
    unknown = set(fields) - set(VACANCY_FIELDS)
    if unknown:
        raise TypeError(f"unknown vacancy fields: {sorted(unknown)}")
    vacancy = Vacancy(created_by=user, reference=reference or _next_reference(timezone.localdate()), **fields)
    vacancy.full_clean()
    try:
        with transaction.atomic():
            vacancy.save()
    except IntegrityError as error:  # two offers created at the same second took the same number
        message = _("Cette référence vient d'être prise : enregistrez à nouveau.")
        raise ValidationError({"reference": message}) from error
    audit_log_record(actor=user, action="vacancy.create", target=vacancy)
    return vacancy


@transaction.atomic
def vacancy_update(*, vacancy: Vacancy, user, **fields) -> Vacancy:
    unknown = set(fields) - set(VACANCY_FIELDS) - {"reference"}
    if unknown:
        raise TypeError(f"unknown vacancy fields: {sorted(unknown)}")
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    # Past its deadline a published vacancy is closed (the query decides), whether or not the
    # beat has marked it yet: it is not reopened by an edit.
    if vacancy.status == Vacancy.Status.CLOSED or (
        vacancy.status == Vacancy.Status.PUBLISHED and not vacancy.is_open()
    ):
        raise ValidationError(_("Cette offre est clôturée : elle ne peut plus être modifiée."))
    for name, value in fields.items():
        setattr(vacancy, name, value)
    if (
        vacancy.status == Vacancy.Status.PUBLISHED
        and vacancy.published_at
        and not vacancy.short_period_confirmed_by
        and application_period_is_short(
            deadline=vacancy.deadline, published_on=timezone.localdate(vacancy.published_at)
        )
    ):
        raise ValidationError(
            {
                "deadline": _(
                    "La date limite ne peut pas être avancée à moins d'un mois après la publication "
                    "(le {published:%d/%m/%Y}) : fermez l'offre si le poste n'est plus à pourvoir."
                ).format(published=timezone.localdate(vacancy.published_at))
            }
        )
    vacancy.updated_at = timezone.now()
    vacancy.full_clean()
    vacancy.save()
    audit_log_record(actor=user, action="vacancy.update", target=vacancy, details={"fields": sorted(fields)})
    return vacancy


@transaction.atomic
def vacancy_publish(*, vacancy: Vacancy, user, confirm_short_period: bool = False, now=None) -> Vacancy:
    """Publish a draft. The regulation asks for at least one month between publication and
    the deadline: a shorter period raises `ShortApplicationPeriod` unless HR confirms it
    explicitly (`confirm_short_period=True`), and who confirmed is kept on the vacancy."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.status != Vacancy.Status.DRAFT:
        raise ValidationError(_("Seul un brouillon peut être publié."))
    if vacancy.deadline < today:
        raise ValidationError({"deadline": _("La date limite de candidature est déjà passée.")})
    short = application_period_is_short(deadline=vacancy.deadline, published_on=today)
    if short and not confirm_short_period:
        raise ShortApplicationPeriod(
            _(
                "La période de candidature est inférieure à un mois (date limite le {deadline:%d/%m/%Y}, "
                "au plus tôt le {minimum:%d/%m/%Y} pour respecter le délai réglementaire). "
                "Confirmez explicitement pour publier quand même."
            ).format(deadline=vacancy.deadline, minimum=one_month_after(today)),
            code="short_period",
        )
    vacancy.status = Vacancy.Status.PUBLISHED
    vacancy.published_at = now
    vacancy.short_period_confirmed_by = user if short else None
    vacancy.updated_at = now
    vacancy.save(update_fields=["status", "published_at", "short_period_confirmed_by", "updated_at"])
    audit_log_record(actor=user, action="vacancy.publish", target=vacancy, details={"short_period_confirmed": short})
    return vacancy


@transaction.atomic
def vacancy_close(*, vacancy: Vacancy, user=None, now=None) -> Vacancy:
    """Close a published vacancy (HR, or the beat once the deadline has passed: `user=None`).
    Idempotent: closing a closed vacancy changes nothing."""
    now = now or timezone.now()
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.status == Vacancy.Status.CLOSED:
        return vacancy
    if vacancy.status == Vacancy.Status.DRAFT:
        raise ValidationError(_("Un brouillon n'est pas publié : il n'y a rien à clôturer."))
    vacancy.status = Vacancy.Status.CLOSED
    vacancy.closed_at = now
    vacancy.updated_at = now
    vacancy.save(update_fields=["status", "closed_at", "updated_at"])
    if user is not None:
        audit_log_record(actor=user, action="vacancy.close", target=vacancy)
    return vacancy


def vacancy_close_past_deadline(*, today: date | None = None) -> int:
    """The beat's daily bookkeeping: mark CLOSED the published vacancies whose deadline has
    passed (they are already shown as closed everywhere, `VacancyQuerySet.open` decides)."""
    closed = 0
    for pk in Vacancy.objects.past_deadline(today=today).values_list("pk", flat=True):
        vacancy_close(vacancy=Vacancy(pk=pk))
        closed += 1
    return closed


@transaction.atomic
def concours_create(*, user, **fields) -> Concours:
    concours = Concours(created_by=user, **fields)
    concours.full_clean()
    concours.save()
    audit_log_record(actor=user, action="concours.create", target=concours)
    return concours


@transaction.atomic
def concours_update(*, concours: Concours, user, **fields) -> Concours:
    concours = Concours.objects.select_for_update().get(pk=concours.pk)
    for name, value in fields.items():
        if name not in CONCOURS_FIELDS:
            raise TypeError(f"unknown concours field: {name}")
        setattr(concours, name, value)
    concours.full_clean()
    concours.save()
    audit_log_record(actor=user, action="concours.update", target=concours)
    return concours


@transaction.atomic
def concours_set_status(*, concours: Concours, user, status: str) -> Concours:
    """Publish (shown to agents) or archive (hidden from the list) a concours."""
    concours = Concours.objects.select_for_update().get(pk=concours.pk)
    if status not in Concours.Status.values:
        raise ValidationError(_("État inconnu."))
    concours.status = status
    if status == Concours.Status.PUBLISHED and concours.published_at is None:
        concours.published_at = timezone.now()
    concours.save(update_fields=["status", "published_at"])
    audit_log_record(actor=user, action=f"concours.{status}", target=concours)
    return concours


# --- Expressions of interest ---------------------------------------------------------------


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
