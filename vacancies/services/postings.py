"""Vacancies and concours: written, published (a short application period confirmed), closed
(beat closes those past their deadline)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from intranet.services import audit_log_record
from vacancies.models import Concours, Vacancy, one_month_after

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
