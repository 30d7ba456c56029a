"""Events: information meetings, webinars, seminars… held as one or many sessions, with their
registrations (seats, waiting list), attendance, materials and personal calendar feeds.

- Event → Session (a date, a place: a site and a room, or a video link; seats; organisers; a
  registration window). Who is invited is the event's audience (intranet.audiences), or for a
  session « the agents of its site » (a series of meetings, one per site).
- Registration: one row per person and session, confirmed or waiting (in order of
  `waiting_since`) or cancelled; `Session.confirmed_count` counts the confirmed ones and the
  database refuses more than the capacity (services lock the session's row to decide).
- Attendance: `Registration.checked_in_at`, set by an organiser on site (a name searched, or the
  QR code of the person's convocation).
- EventInvitation: the mailings of the invitation, one per site that has its own sessions and one
  for the rest of the audience (services.event_invite).

Longer than STYLE.md's 300 lines on purpose: the models that hold one invariant together (the
session's counters and the database constraints that guard seats), read as one schema; a split
would scatter the constraints from the counters they guard.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intranet.audiences import AudienceSpec


def _hmac(purpose: str, salt: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{purpose}:{salt}".encode(), hashlib.sha256).hexdigest()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_salt() -> str:
    return secrets.token_hex(16)


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Event.Status.PUBLISHED)


class Event(models.Model):
    class Kind(models.TextChoices):
        MEETING = "reunion", _("Réunion d'information")
        WEBINAR = "webinaire", _("Webinaire")
        SEMINAR = "seminaire", _("Séminaire")
        TRAINING = "formation", _("Formation")
        INTEGRATION = "integration", _("Journée d'intégration")
        CONVIVIAL = "convivialite", _("Moment convivial")
        OTHER = "autre", _("Autre")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PUBLISHED = "published", _("Publié")
        CANCELLED = "cancelled", _("Annulé")

    title = models.CharField(_("intitulé"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.MEETING)
    summary = models.CharField(_("en une phrase"), max_length=300, blank=True)
    description = models.TextField(_("programme"), blank=True)
    audience = models.JSONField(_("public"), default=dict, help_text=_("Un AudienceSpec (intranet.audiences)."))
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("organisateurs"), blank=True, related_name="events_organised"
    )
    single_session = models.BooleanField(
        _("une seule séance par personne"),
        default=True,
        help_text=_(
            "Pour une même réunion proposée plusieurs fois ; décochez pour un cycle (chaque séance est différente)."
        ),
    )
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("créé par"),
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    # When the invitation mailing was started (« À faire » asks those invited to register).
    invited_at = models.DateTimeField(_("invitations envoyées le"), null=True, blank=True)
    # The satisfaction questionnaire over the sessions (one SurveySession per Session).
    survey = models.ForeignKey(
        "surveys.Survey",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("questionnaire de satisfaction"),
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "kind"], name="event_status_kind_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:event-detail", args=[self.pk])

    @property
    def audience_spec(self) -> AudienceSpec:
        return AudienceSpec.from_json(self.audience)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class SessionQuerySet(models.QuerySet):
    def upcoming(self, *, now=None):
        return self.filter(ends_at__gt=now or timezone.now())

    def live(self):
        """Sessions that take place: of a published event, not cancelled."""
        return self.filter(event__status=Event.Status.PUBLISHED, status=Session.Status.SCHEDULED)


class Session(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Prévue")
        CANCELLED = "cancelled", _("Annulée")

    class Scope(models.TextChoices):
        EVENT = "event", _("Le public de l'événement")
        SITE = "site", _("Les agents du site de la séance (parmi le public de l'événement)")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("événement"))
    label = models.CharField(_("intitulé de la séance"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    site = models.ForeignKey(
        "intranet.Site", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("site")
    )
    room = models.CharField(_("salle ou adresse"), max_length=200, blank=True)
    video_url = models.URLField(_("lien de la visioconférence"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(
        _("nombre de places"), null=True, blank=True, help_text=_("Laissez vide pour un nombre de places illimité.")
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("animateurs"), blank=True, related_name="sessions_organised"
    )
    audience_scope = models.CharField(_("public"), max_length=10, choices=Scope.choices, default=Scope.EVENT)
    registration_opens_at = models.DateTimeField(
        _("ouverture des inscriptions"),
        null=True,
        blank=True,
        help_text=_("Laissez vide pour ouvrir les inscriptions dès la publication."),
    )
    registration_closes_at = models.DateTimeField(
        _("clôture des inscriptions"),
        null=True,
        blank=True,
        help_text=_("Laissez vide pour accepter les inscriptions jusqu'au début de la séance."),
    )
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    # iCalendar: raised at every change of date, place or status, so calendars take the update.
    sequence = models.PositiveIntegerField(_("version"), default=0)
    # Seats taken and people waiting, kept by the services under the session's row lock.
    confirmed_count = models.PositiveIntegerField(_("inscrits"), default=0)
    waiting_count = models.PositiveIntegerField(_("en liste d'attente"), default=0)
    checked_in_count = models.PositiveIntegerField(_("présents"), default=0)
    reminded_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    survey_session = models.OneToOneField(
        "surveys.SurveySession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_session",
        verbose_name=_("session du questionnaire"),
    )
    survey_sent_at = models.DateTimeField(_("questionnaire envoyé le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("séance")
        verbose_name_plural = _("séances")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["starts_at"], name="session_starts_idx"),
            models.Index(fields=["event", "starts_at"], name="session_event_starts_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"),
            # The last seat is given once: two registrations at the same moment cannot both take it.
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(confirmed_count__lte=F("capacity")),
                name="session_within_capacity",
            ),
            models.CheckConstraint(condition=Q(capacity__isnull=True) | Q(capacity__gte=1), name="session_capacity_1"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:event-detail", args=[self.event_id]) + f"#seance-{self.pk}"

    @property
    def title(self) -> str:
        return f"{self.event.title} — {self.label}" if self.label else self.event.title

    @property
    def audience_spec(self) -> AudienceSpec:
        """Who may register: the event's audience, or its agents of the session's site when so chosen
        (the agents named by hand and the partners are then left out)."""
        spec = self.event.audience_spec
        if self.audience_scope == self.Scope.SITE and self.site_id:
            return AudienceSpec(
                everyone=True,
                units=spec.units,
                sites=(self.site_id,),
                categories=spec.categories,
                roles=spec.roles,
            )
        return spec

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED or self.event.status == Event.Status.CANCELLED

    @property
    def is_online(self) -> bool:
        return bool(self.video_url) and not self.site_id and not self.room

    @property
    def place(self) -> str:
        parts = [str(self.site) if self.site_id else "", self.room]
        return " — ".join(part for part in parts if part) or (str(_("En ligne")) if self.video_url else "")

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(0, self.capacity - self.confirmed_count)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.confirmed_count >= self.capacity

    def registration_open(self, *, now=None) -> bool:
        now = now or timezone.now()
        return (
            not self.is_cancelled
            and self.event.is_published
            and now < self.starts_at
            and (self.registration_opens_at is None or self.registration_opens_at <= now)
            and (self.registration_closes_at is None or now < self.registration_closes_at)
        )

    def has_ended(self, *, now=None) -> bool:
        return self.ends_at <= (now or timezone.now())

    @property
    def attendance_rate(self):
        """Present among those registered (None before anyone is), in %."""
        if not self.confirmed_count:
            return None
        return round(100 * self.checked_in_count / self.confirmed_count)


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Inscrit")
        WAITING = "waiting", _("Liste d'attente")
        CANCELLED = "cancelled", _("Désinscrit")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("séance")
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="event_registrations",
        verbose_name=_("personne"),
    )
    status = models.CharField(_("état"), max_length=10, choices=Status.choices)
    registered_at = models.DateTimeField(_("inscrit le"), default=timezone.now)
    # The waiting list's order: the first waiting is promoted when a seat frees.
    waiting_since = models.DateTimeField(_("en attente depuis"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("désinscrit le"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inscrit par"),
    )
    checked_in_at = models.DateTimeField(_("présent, pointé le"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pointé par"),
    )
    # The QR code of the convocation carries a token derived from this salt (only organisers use it).
    token_salt = models.CharField(max_length=32, unique=True, default=new_salt, editable=False)
    # iCalendar: every message about this session to this person carries a higher SEQUENCE.
    ics_sequence = models.PositiveIntegerField(default=0)
    reminded_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["session", "registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "agent"], name="registration_unique_per_session"),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status="confirmed"), name="registration_present_confirmed"
            ),
            models.CheckConstraint(
                condition=~Q(status="waiting") | Q(waiting_since__isnull=False), name="registration_waiting_since"
            ),
        ]
        indexes = [
            models.Index(fields=["session", "status", "waiting_since"], name="registration_queue_idx"),
            models.Index(fields=["agent", "status"], name="registration_agent_idx"),
        ]

    def __str__(self):
        return f"{self.agent} → {self.session} ({self.get_status_display()})"

    def checkin_token(self) -> str:
        return _hmac("events.checkin", self.token_salt)[:32]

    def checkin_path(self) -> str:
        return reverse("events:checkin-qr", args=[self.pk, self.checkin_token()])

    def token_matches(self, token: str) -> bool:
        return hmac.compare_digest(self.checkin_token(), token or "")

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED

    @property
    def is_waiting(self) -> bool:
        return self.status == self.Status.WAITING


class EventInvitation(models.Model):
    """One mailing of an event's invitation: to the agents of `site`, which has its own sessions
    (each of them is told theirs), or, `site` empty, the general one to the rest of the audience."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("événement"))
    mailing = models.OneToOneField(
        "mailing.Mailing", on_delete=models.CASCADE, related_name="+", verbose_name=_("diffusion")
    )
    site = models.ForeignKey(
        "intranet.Site", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("site")
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["event", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "site"], name="event_invitation_unique_site"),
            models.UniqueConstraint(
                fields=["event"], condition=Q(site__isnull=True), name="event_invitation_unique_general"
            ),
        ]

    def __str__(self):
        return f"{self.event} — {self.site}" if self.site_id else str(self.event)


MATERIAL_FOLDER = "private/events/materials/%Y/"


class Material(models.Model):
    """Slides, a recording's link, a document: shared with those registered (and the organisers)."""

    class Kind(models.TextChoices):
        SLIDES = "slides", _("Présentation")
        RECORDING = "recording", _("Enregistrement")
        DOCUMENT = "document", _("Document")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials", verbose_name=_("événement"))
    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="materials",
        verbose_name=_("séance"),
        help_text=_("Laissez vide pour toutes les séances."),
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.SLIDES)
    title = models.CharField(_("titre"), max_length=200)
    # Under MEDIA_ROOT/private/ (never served as is): checked by its bytes (intranet.uploads), served
    # by events.views.materials to those registered, as a sandboxed attachment.
    file = models.FileField(_("fichier"), upload_to=MATERIAL_FOLDER, blank=True)
    file_kind = models.CharField(_("format"), max_length=10, blank=True)  # an intranet.uploads.KINDS key
    filename = models.CharField(_("nom du fichier"), max_length=200, blank=True)
    url = models.URLField(_("lien"), max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ajouté par"),
    )
    added_at = models.DateTimeField(_("ajouté le"), default=timezone.now)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        ordering = ["event", "added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")), name="material_file_or_link"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.url:
            return self.url
        return reverse("events:material-download", args=[self.pk])


class CalendarFeed(models.Model):
    """A person's calendar feed: the secret in its address is derived from `token_salt` (only its
    hash is looked up); resetting draws a new salt, so the old address stops working."""

    agent = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("personne")
    )
    token_salt = models.CharField(max_length=32, unique=True, default=new_salt, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    last_read_at = models.DateTimeField(_("dernière lecture"), null=True, blank=True)

    class Meta:
        verbose_name = _("agenda personnel")
        verbose_name_plural = _("agendas personnels")

    def __str__(self):
        return str(self.agent)

    def token(self) -> str:
        return _hmac("events.feed", self.token_salt)

    def set_token_hash(self) -> None:
        self.token_hash = token_hash(self.token())

    def get_feed_path(self) -> str:
        return reverse("events:feed", args=[self.token()])
