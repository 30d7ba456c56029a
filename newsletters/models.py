"""The "Bienvenue" newsletter: an issue (number, title, edito, audience) and its ordered blocks.

Rich text is sanitised by the services before it is stored (`newsletter.sanitize`); images are
re-encoded (`intranet.images.photo_reencode`). The automatic blocks (new arrivals, open
vacancies) and the team of the month are computed live while the issue is a draft and frozen
into `Block.data` when it is sent, so the archive shows what the recipients received.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IssueQuerySet(models.QuerySet):
    def published(self, *, now=None):
        """Sent (or scheduled) and whose sending time has come."""
        return self.filter(status=Issue.Status.SENT, sent_at__lte=now or timezone.now())


class Issue(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SENT = "sent", _("Envoyée")

    number = models.PositiveIntegerField(_("numéro"), unique=True)
    title = models.CharField(_("titre"), max_length=200)
    edito = models.TextField(
        _("édito"),
        blank=True,
        max_length=5000,
        help_text=_("Le mot d'introduction, en texte simple ; une ligne vide sépare deux paragraphes."),
    )
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    audience = models.JSONField(_("public"), default=dict, blank=True, help_text=_("Un AudienceSpec."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("créée par"),
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True, db_index=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("envoyée par"),
    )
    # Title, edito and every block's text, lower-cased: what the archive's search looks in.
    search_text = models.TextField(_("texte indexé"), blank=True, editable=False)

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("numéro de la lettre")
        verbose_name_plural = _("numéros de la lettre")
        ordering = ["-number"]

    def __str__(self):
        return _("Bienvenue n° %(number)s — %(title)s") % {"number": self.number, "title": self.title}

    def get_absolute_url(self):
        return reverse("newsletters:issue-detail", kwargs={"pk": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_scheduled(self) -> bool:
        """Sent for a later date and time that has not come yet."""
        return self.status == self.Status.SENT and self.sent_at is not None and self.sent_at > timezone.now()


class Block(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Texte")
        IMAGE = "image", _("Image")
        TEAM = "team", _("L'équipe du mois")
        AGENDA = "agenda", _("Agenda")
        ARRIVALS = "arrivals", _("Nouveaux arrivants")
        VACANCIES = "vacancies", _("Postes à pourvoir")
        SURVEY = "survey", _("Questionnaire")
        NEWS = "news", _("Actualités")

    AUTOMATIC = (Kind.ARRIVALS, Kind.VACANCIES)

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="blocks", verbose_name=_("numéro"))
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("titre"), max_length=200, blank=True)
    body = models.TextField(_("texte"), blank=True, help_text=_("HTML nettoyé à l'enregistrement."))
    image = models.ImageField(_("image"), upload_to="newsletter/%Y/", blank=True)
    alt = models.CharField(_("texte alternatif"), max_length=300, blank=True)
    caption = models.CharField(_("légende"), max_length=300, blank=True)
    org_unit = models.ForeignKey(
        "intranet.OrgUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("équipe"),
    )
    survey = models.ForeignKey(
        "surveys.Survey",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("questionnaire"),
    )
    # Agenda items ({"date": "2026-12-03", "label": "…"}) and, once the issue is sent, the frozen
    # content of the team and automatic blocks.
    data = models.JSONField(_("données"), default=dict, blank=True)

    class Meta:
        verbose_name = _("bloc")
        verbose_name_plural = _("blocs")
        ordering = ["issue", "position", "pk"]

    def __str__(self):
        return self.title or str(self.get_kind_display())
