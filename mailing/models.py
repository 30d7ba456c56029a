"""Bulk sending: a Mailing (one message to an audience) and its Deliveries (one row per recipient,
frozen when the send starts). The delivery rows ARE the delivery state: a worker claims one with
`SELECT … FOR UPDATE SKIP LOCKED`, marks it sent, and commits after the SMTP server's 250."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intranet import smtp


class Mailing(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SCHEDULED = "scheduled", _("Programmé")
        SENDING = "sending", _("En cours d'envoi")
        PAUSED = "paused", _("En pause")
        DONE = "done", _("Terminé")
        CANCELLED = "cancelled", _("Annulé")

    subject = models.CharField(_("objet"), max_length=255)
    html = models.TextField(_("HTML"), blank=True)
    text = models.TextField(_("texte"))
    audience = models.JSONField(_("public"), default=dict, help_text=_("Un AudienceSpec (intranet.audiences)."))
    kind = models.CharField(_("type"), max_length=60, db_index=True, help_text=_("Par exemple « newsletter.issue »."))
    web_url = models.URLField(_("version en ligne"), max_length=500, blank=True)
    source_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("objet envoyé")
    )
    source_id = models.PositiveBigIntegerField(_("identifiant de l'objet envoyé"), null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    status = models.CharField(_("état"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("créé par"),
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    scheduled_at = models.DateTimeField(_("envoi programmé le"), null=True, blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programmé par"),
    )
    started_at = models.DateTimeField(_("envoi commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("envoi terminé le"), null=True, blank=True)
    # When a sending task was last published or last started: beat publishes one again for a
    # mailing still sending when this is old (asked for while the broker was down, killed worker).
    dispatched_at = models.DateTimeField(_("dernière relance"), null=True, blank=True)
    # While the SMTP server cannot be reached: when it is tried again, and what it answered (the
    # progress page says so). Cleared by the next message it accepts.
    retry_at = models.DateTimeField(_("nouvel essai du serveur le"), null=True, blank=True)
    last_error = models.TextField(_("dernière erreur du serveur"), blank=True)

    class Meta:
        verbose_name = _("diffusion")
        verbose_name_plural = _("diffusions")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "scheduled_at"], name="mailing_status_idx"),
            models.Index(fields=["source_type", "source_id"], name="mailing_source_idx"),
        ]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("mailing:mailing-detail", kwargs={"pk": self.pk})

    @property
    def can_start(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SCHEDULED)

    @property
    def can_schedule(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SCHEDULED)

    @property
    def can_pause(self) -> bool:
        return self.status == self.Status.SENDING

    @property
    def can_resume(self) -> bool:
        return self.status == self.Status.PAUSED

    @property
    def can_cancel(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SCHEDULED, self.Status.SENDING, self.Status.PAUSED)

    @property
    def is_live(self) -> bool:
        """The progress may still change by itself (the page keeps polling)."""
        return self.status in (self.Status.SCHEDULED, self.Status.SENDING)


class DeliveryQuerySet(models.QuerySet):
    def progress(self) -> dict:
        """Counts by state, in one query."""
        Status = Delivery.Status
        counts = self.aggregate(
            total=Count("pk"),
            sent=Count("pk", filter=Q(status=Status.SENT)),
            failed=Count("pk", filter=Q(status=Status.FAILED)),
            remaining=Count("pk", filter=Q(status=Status.PENDING)),
            paper=Count("pk", filter=Q(status=Status.PAPER)),
            cancelled=Count("pk", filter=Q(status=Status.CANCELLED)),
        )
        return counts


class Delivery(models.Model):
    """One recipient of one mailing, frozen at the start of the send: the address and name are
    copied, so later changes to the agent or the org chart do not change who received what."""

    MAX_ATTEMPTS = smtp.MAX_ATTEMPTS

    class Status(models.TextChoices):
        PENDING = "pending", _("À envoyer")
        SENT = "sent", _("Envoyé")
        FAILED = "failed", _("Échec")
        PAPER = "paper", _("Sur papier")
        CANCELLED = "cancelled", _("Annulé")

    mailing = models.ForeignKey(
        Mailing, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("diffusion")
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mailing_deliveries",
        verbose_name=_("agent"),
    )
    email = models.EmailField(_("adresse"), blank=True)
    name = models.CharField(_("nom"), max_length=255)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    next_attempt_at = models.DateTimeField(_("prochaine tentative après"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("envoi")
        verbose_name_plural = _("envois")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["mailing", "agent"], name="mailing_delivery_unique_recipient"),
        ]
        # The claim walks the pending rows of a mailing in primary-key order: this index gives
        # the next one directly instead of sorting what is left at every message.
        indexes = [models.Index(fields=["mailing", "status", "id"], name="mailing_delivery_status_idx")]

    def __str__(self):
        return f"{self.name} <{self.email}>" if self.email else self.name

    @property
    def is_paper(self) -> bool:
        return self.status == self.Status.PAPER
