"""Vacancies (offres d'emploi internes), concours, and agents' expressions of interest.

Open is computed, not stored: a vacancy is open while it is published and its deadline
(the last day to apply, inclusive) is today or later (`VacancyQuerySet.open`). The
`status` CLOSED that the daily beat task writes once the deadline has passed is a
bookkeeping copy for HR's lists; every page and the newsletter ask the query, so a vacancy
is closed at midnight after its deadline even if the beat never ran.
"""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intranet.models import Agent

# The regulation: a vacancy is advertised for at least one month before its deadline.
MIN_APPLICATION_MONTHS = 1

# Under a folder `intranet.views.media` never serves: CVs are read through
# vacancies:interest-cv (HR only).
CV_FOLDER = "private/vacancies/cv"
CV_MAX_BYTES = 5 * 1024 * 1024


def one_month_after(day: date) -> date:
    """The same day of the next month (the last day of that month when it has fewer days)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate_day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


class VacancyQuerySet(models.QuerySet):
    def open(self, *, today: date | None = None):
        today = today or timezone.localdate()
        return self.filter(status=Vacancy.Status.PUBLISHED, deadline__gte=today)

    def past_deadline(self, *, today: date | None = None):
        today = today or timezone.localdate()
        return self.filter(status=Vacancy.Status.PUBLISHED, deadline__lt=today)


class Vacancy(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PUBLISHED = "published", _("Publiée")
        CLOSED = "closed", _("Clôturée")

    class Category(models.TextChoices):
        A = "A", _("Catégorie A")
        B = "B", _("Catégorie B")
        C = "C", _("Catégorie C")

    reference = models.CharField(_("référence"), max_length=30, unique=True)
    title = models.CharField(_("intitulé du poste"), max_length=200)
    org_unit = models.ForeignKey(
        "intranet.OrgUnit",
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="vacancies",
    )
    site = models.ForeignKey(
        "intranet.Site",
        verbose_name=_("site"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vacancies",
    )
    category = models.CharField(_("catégorie"), max_length=1, choices=Category.choices)
    grade = models.CharField(_("grade"), max_length=200, blank=True, help_text=_("Par exemple « Adjoint technique »."))
    # Plain text; the pages keep its paragraphs and line breaks (no HTML is ever stored).
    description = models.TextField(
        _("description du poste"),
        max_length=20000,
        help_text=_("Missions, profil, conditions. Texte simple : les retours à la ligne sont conservés."),
    )
    # Seed 003: the values belong in the job offer (behavioural skills weigh in recruitment).
    soft_skills = models.TextField(
        _("savoir-être et valeurs"),
        max_length=5000,
        blank=True,
        help_text=_(
            "Les valeurs de la collectivité que ce poste fait vivre et le savoir-être attendu (sens du service "
            "public, écoute, travail en équipe…). Texte simple : les retours à la ligne sont conservés."
        ),
    )
    deadline = models.DateField(_("date limite de candidature"), help_text=_("Dernier jour inclus."))
    contact_agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent à contacter"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    contact_email = models.EmailField(_("e-mail de contact"), blank=True)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("clôturée le"), null=True, blank=True)
    interests_seen_at = models.DateTimeField(
        _("manifestations d'intérêt lues le"),
        null=True,
        blank=True,
        help_text=_("Les manifestations d'intérêt arrivées depuis sont « à étudier » pour les RH."),
    )
    short_period_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("délai de moins d'un mois confirmé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifiée le"), default=timezone.now)

    objects = VacancyQuerySet.as_manager()

    class Meta:
        verbose_name = _("offre d'emploi")
        verbose_name_plural = _("offres d'emploi")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["status", "deadline"], name="vacancy_status_deadline_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="vacancy_published_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.reference} — {self.title}"

    def get_absolute_url(self):
        return reverse("vacancies:vacancy-detail", args=[self.pk])

    def is_open(self, *, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status == self.Status.PUBLISHED and self.deadline >= today

    @property
    def contact_display_email(self) -> str:
        if self.contact_email:
            return self.contact_email
        return self.contact_agent.email if self.contact_agent else ""


class ConcoursQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(status=Concours.Status.PUBLISHED)


class Concours(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PUBLISHED = "published", _("Publié")
        CLOSED = "closed", _("Archivé")

    name = models.CharField(_("intitulé du concours"), max_length=250)
    category = models.CharField(_("catégorie"), max_length=1, choices=Vacancy.Category.choices, blank=True)
    organiser = models.CharField(
        _("organisateur"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple « Centre de gestion du Bas-Rhin »."),
    )
    registration_opens = models.DateField(_("ouverture des inscriptions"))
    registration_closes = models.DateField(_("clôture des inscriptions"))
    exam_date = models.DateField(_("date de la première épreuve"), null=True, blank=True)
    exam_dates_detail = models.CharField(
        _("calendrier des épreuves"),
        max_length=300,
        blank=True,
        help_text=_("Par exemple « écrit le 12 mars, oral en juin »."),
    )
    preparation = models.TextField(
        _("préparation proposée"),
        max_length=5000,
        blank=True,
        help_text=_("Préparation au concours proposée aux agents (organisme, dates, comment s'inscrire)."),
    )
    link = models.URLField(_("lien vers l'avis de concours"), blank=True)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)

    objects = ConcoursQuerySet.as_manager()

    class Meta:
        verbose_name = _("concours")
        verbose_name_plural = _("concours")
        ordering = ["registration_closes", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(registration_closes__gte=models.F("registration_opens")),
                name="concours_registration_order",
            ),
        ]

    def __str__(self):
        return self.name

    def registration_is_open(self, *, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.registration_opens <= today <= self.registration_closes


def _cv_path(instance, filename):
    return f"{CV_FOLDER}/{timezone.now():%Y}/{uuid.uuid4().hex}.pdf"


class Interest(models.Model):
    """An agent's expression of interest in a vacancy: seen by the agent and by HR only."""

    vacancy = models.ForeignKey(Vacancy, verbose_name=_("offre"), on_delete=models.CASCADE, related_name="interests")
    agent = models.ForeignKey(Agent, verbose_name=_("agent"), on_delete=models.CASCADE, related_name="+")
    message = models.TextField(_("message"), max_length=5000)
    cv = models.FileField(_("CV"), upload_to=_cv_path, blank=True)
    cv_filename = models.CharField(_("nom du fichier"), max_length=255, blank=True)
    cv_size = models.PositiveIntegerField(_("taille du CV"), default=0)
    created_at = models.DateTimeField(_("envoyée le"), default=timezone.now)

    class Meta:
        verbose_name = _("manifestation d'intérêt")
        verbose_name_plural = _("manifestations d'intérêt")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "agent"], name="interest_one_per_agent"),
        ]

    def __str__(self):
        return f"{self.agent} → {self.vacancy}"
