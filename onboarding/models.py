"""Arrivals: the integration journey (a checklist from a template), parrain/marraine,
the personalised welcome guide "Bienvenue" and the journées d'intégration.

Longer than STYLE.md's 300 lines on purpose: the app's one models module, as Django lays it out;
an arrival, its journey, its buddy, its guide and its integration day point at one another."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    BEFORE = "before", _("Avant l'arrivée")
    DAY_ONE = "day1", _("Premier jour")
    WEEK_ONE = "week1", _("Première semaine")
    MONTH_ONE = "month1", _("Premier mois")
    MONTH_THREE = "month3", _("Trois premiers mois")


class Assignee(models.TextChoices):
    HR = "hr", _("Ressources humaines")
    MANAGER = "manager", _("Encadrant")
    BUDDY = "buddy", _("Parrain ou marraine")
    IT = "it", _("Service informatique")
    AGENT = "agent", _("Nouvel agent")


# The default offset of each phase (days from the arrival date), proposed when HR adds a task.
PHASE_OFFSETS = {
    Phase.BEFORE: -7,
    Phase.DAY_ONE: 0,
    Phase.WEEK_ONE: 4,
    Phase.MONTH_ONE: 30,
    Phase.MONTH_THREE: 90,
}


class JourneyTemplate(models.Model):
    """A model of integration journey: the tasks every arrival gets, with due dates relative
    to the arrival date. HR edits it; the one marked default is proposed first."""

    name = models.CharField(_("nom"), max_length=200, unique=True)
    is_default = models.BooleanField(_("modèle proposé par défaut"), default=False)
    it_email = models.EmailField(
        _("adresse du service informatique"),
        blank=True,
        help_text=_("Reçoit les rappels des tâches confiées au service informatique."),
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("modèle de parcours")
        verbose_name_plural = _("modèles de parcours")
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="journey_one_default"),
        ]

    def __str__(self):
        return self.name


class TemplateTask(models.Model):
    template = models.ForeignKey(JourneyTemplate, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("tâche"), max_length=200)
    description = models.TextField(_("précisions"), max_length=2000, blank=True)
    phase = models.CharField(_("étape"), max_length=10, choices=Phase.choices)
    assignee = models.CharField(_("confiée à"), max_length=10, choices=Assignee.choices)
    offset_days = models.SmallIntegerField(
        _("échéance (jours après l'arrivée)"),
        help_text=_("Négatif avant l'arrivée : -7 = une semaine avant, 0 = le premier jour."),
    )
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("tâche du modèle")
        verbose_name_plural = _("tâches du modèle")
        ordering = ["offset_days", "order", "pk"]

    def __str__(self):
        return self.title


class ArrivalQuerySet(models.QuerySet):
    def with_progress(self, today=None):
        today = today or timezone.localdate()
        return self.annotate(
            tasks_total=models.Count("tasks", distinct=True),
            tasks_done=models.Count("tasks", filter=Q(tasks__done_at__isnull=False), distinct=True),
            tasks_late=models.Count(
                "tasks", filter=Q(tasks__done_at__isnull=True, tasks__due_date__lt=today), distinct=True
            ),
        )


class Arrival(models.Model):
    """An agent's arrival, recorded by HR: the journey's tasks hang from it."""

    agent = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.CASCADE,
        related_name="arrival",
    )
    arrival_date = models.DateField(_("date d'arrivée"))
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("encadrant"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_arrivals",
    )
    buddy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("parrain ou marraine"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="buddy_arrivals",
    )
    buddy_confirmed_at = models.DateTimeField(_("parrainage confirmé le"), null=True, blank=True)
    template = models.ForeignKey(
        JourneyTemplate,
        verbose_name=_("modèle de parcours"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="arrivals",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enregistrée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("enregistrée le"), default=timezone.now)
    survey_sent_at = models.DateTimeField(_("questionnaire des trois mois envoyé le"), null=True, blank=True)

    objects = ArrivalQuerySet.as_manager()

    class Meta:
        verbose_name = _("arrivée")
        verbose_name_plural = _("arrivées")
        ordering = ["-arrival_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(buddy=models.F("agent")), name="arrival_buddy_not_self"),
        ]

    def __str__(self):
        return f"{self.agent} ({self.arrival_date:%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("onboarding:arrival-detail", args=[self.pk])


class JourneyTask(models.Model):
    arrival = models.ForeignKey(Arrival, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("tâche"), max_length=200)
    description = models.TextField(_("précisions"), blank=True)
    phase = models.CharField(_("étape"), max_length=10, choices=Phase.choices)
    assignee_role = models.CharField(_("confiée à"), max_length=10, choices=Assignee.choices)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsable"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="onboarding_tasks",
    )
    assignee_email = models.EmailField(_("adresse des rappels"), blank=True)
    due_date = models.DateField(_("échéance"))
    done_at = models.DateTimeField(_("faite le"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("faite par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reminded_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("tâche du parcours")
        verbose_name_plural = _("tâches du parcours")
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["due_date"], name="journeytask_due_idx", condition=Q(done_at__isnull=True))]

    def __str__(self):
        return self.title

    @property
    def is_done(self):
        return self.done_at is not None

    def is_late(self, today=None):
        return not self.is_done and self.due_date < (today or timezone.localdate())


class BuddyVolunteer(models.Model):
    """An agent who volunteers to be a parrain or marraine, for up to `capacity` newcomers at once."""

    agent = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.CASCADE,
        related_name="buddy_volunteer",
    )
    capacity = models.PositiveSmallIntegerField(
        _("nombre de nouveaux agents accompagnés en même temps"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("De 1 à 5."),
    )
    note = models.CharField(_("ce que je peux transmettre"), max_length=300, blank=True)
    is_active = models.BooleanField(_("disponible"), default=True)
    created_at = models.DateTimeField(_("inscrit le"), default=timezone.now)

    class Meta:
        verbose_name = _("parrain ou marraine volontaire")
        verbose_name_plural = _("parrains et marraines volontaires")
        ordering = ["agent__last_name", "agent__first_name"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1, capacity__lte=5), name="buddy_capacity_1_5"),
        ]

    def __str__(self):
        return str(self.agent)


COLOUR_VALIDATOR = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Saisissez une couleur au format #RRVVBB."))


class GuideSettings(models.Model):
    """The welcome guide's identity: the administration's name and colours (one row)."""

    administration_name = models.CharField(_("nom de l'administration"), max_length=200)
    title = models.CharField(_("titre du guide"), max_length=200, default="Bienvenue")
    primary_colour = models.CharField(
        _("couleur principale"),
        max_length=7,
        default="#0a3d91",
        validators=[COLOUR_VALIDATOR],
        help_text=_("Code hexadécimal, par exemple #0a3d91."),
    )
    accent_colour = models.CharField(
        _("couleur d'accent"),
        max_length=7,
        default="#c8102e",
        validators=[COLOUR_VALIDATOR],
        help_text=_("Code hexadécimal, par exemple #c8102e."),
    )
    contacts = models.TextField(
        _("contacts utiles"),
        blank=True,
        help_text=_("Une ligne par contact : « Libellé : téléphone ou adresse »."),
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("identité du guide d'accueil")
        verbose_name_plural = _("identité du guide d'accueil")

    def __str__(self):
        return self.administration_name


class GuideChapter(models.Model):
    """A chapter written by communication or HR (rich text, sanitised on save by the service)."""

    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("texte"))
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_published = models.BooleanField(_("publié dans le guide"), default=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("chapitre du guide")
        verbose_name_plural = _("chapitres du guide")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title


class GuideEdition(models.Model):
    """The personalised guide of one arrival, rendered by a worker. `content_hash` is the
    hash of everything the PDF is made from: a render whose inputs hash the same is skipped."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En préparation")
        DONE = "done", _("Prêt")
        FAILED = "failed", _("Échec")

    arrival = models.OneToOneField(Arrival, on_delete=models.CASCADE, related_name="guide")
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.PENDING)
    content_hash = models.CharField(_("empreinte du contenu"), max_length=64, blank=True)
    # Under private/: never served by the media view, only by onboarding:guide-download (its own rule).
    file = models.FileField(_("fichier"), upload_to="private/onboarding/guides/%Y/", blank=True)
    pages = models.PositiveSmallIntegerField(_("pages"), default=0)
    render_count = models.PositiveIntegerField(_("rendus"), default=0)
    rendered_at = models.DateTimeField(_("rendu le"), null=True, blank=True)
    emailed_hash = models.CharField(_("empreinte envoyée par e-mail"), max_length=64, blank=True)
    error = models.TextField(_("erreur"), blank=True)
    requested_at = models.DateTimeField(_("demandé le"), default=timezone.now)
    # Renderings begun since the last one finished: one that kills its worker is not tried for ever.
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)

    class Meta:
        verbose_name = _("guide personnalisé")
        verbose_name_plural = _("guides personnalisés")

    def __str__(self):
        return f"{self.arrival} ({self.get_status_display()})"


class IntegrationDay(models.Model):
    """A journée d'intégration: an event of the events app (kind « journée d'intégration », one
    session) whose seats, waiting list, promotion, reminders and iCalendar are the events app's.
    Onboarding keeps what is its own: which arrivals it invites (those of a period, in order of
    arrival date; services/integration_days.py) and the newcomer's welcome guide that shows it."""

    event_session = models.OneToOneField(
        "events.Session", on_delete=models.CASCADE, related_name="integration_day", verbose_name=_("séance")
    )
    arrivals_from = models.DateField(_("arrivés à partir du"))
    arrivals_to = models.DateField(_("arrivés jusqu'au"))
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)

    class Meta:
        verbose_name = _("journée d'intégration")
        verbose_name_plural = _("journées d'intégration")
        ordering = ["event_session__starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(arrivals_from__lte=models.F("arrivals_to")), name="integrationday_period_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.date:%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("onboarding:session-detail", args=[self.pk])

    # The event's own fields, as onboarding's pages and the welcome guide name them.
    @property
    def event(self):
        return self.event_session.event

    @property
    def title(self) -> str:
        return self.event_session.event.title

    @property
    def programme(self) -> str:
        return self.event_session.event.description

    @property
    def date(self):
        return timezone.localtime(self.event_session.starts_at).date()

    @property
    def start_time(self):
        return timezone.localtime(self.event_session.starts_at).time()

    @property
    def end_time(self):
        return timezone.localtime(self.event_session.ends_at).time()

    @property
    def place(self) -> str:
        return self.event_session.place

    @property
    def capacity(self) -> int | None:
        return self.event_session.capacity
