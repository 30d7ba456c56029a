from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

RECONFIRM_DAYS = 365  # the inviting service confirms a partner's access once a year


class MFAGrace(models.Model):
    """When a person whose role requires a second factor first signed in without one: the grace
    period (`MFA_GRACE_DAYS`) runs from then, not from each sign-in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), on_delete=models.CASCADE, related_name="mfa_grace"
    )
    started_at = models.DateTimeField(_("première connexion sans second facteur"), default=timezone.now)

    class Meta:
        verbose_name = _("délai pour la double authentification")
        verbose_name_plural = _("délais pour la double authentification")

    def __str__(self):
        return f"{self.user} ({self.started_at:%Y-%m-%d})"


class PartnerAccess(models.Model):
    """An external partner's access to the extranet: who invited them, until when, and the
    yearly reconfirmation by the inviting service (without it the access lapses)."""

    class Service(models.TextChoices):
        HR = "rh", _("Ressources humaines")
        COMMUNICATION = "communication", _("Communication")

    partner = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("partenaire"), on_delete=models.CASCADE, related_name="partner_access"
    )
    service = models.CharField(_("service invitant"), max_length=20, choices=Service.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invité par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    invited_at = models.DateTimeField(_("invité le"), default=timezone.now)
    accepted_at = models.DateTimeField(_("invitation acceptée le"), null=True, blank=True)
    expires_on = models.DateField(_("accès jusqu'au"))
    confirmed_at = models.DateTimeField(_("dernière confirmation"), default=timezone.now)

    class Meta:
        verbose_name = _("accès partenaire")
        verbose_name_plural = _("accès partenaires")
        ordering = ["expires_on"]

    def __str__(self):
        return str(self.partner)

    @property
    def reconfirm_by(self):
        """The date by which the inviting service must confirm the access again (a year on)."""
        return (self.confirmed_at + timedelta(days=RECONFIRM_DAYS)).date()

    @property
    def ends_on(self):
        return min(self.expires_on, self.reconfirm_by)

    def is_expired(self, today) -> bool:
        return today > self.ends_on


class PartnerContact(models.Model):
    """An agent HR shows to the partners of one organisation (« les contacts utiles de
    l'administration » of their extranet)."""

    organisation = models.CharField(_("organisme partenaire"), max_length=200, db_index=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(_("à contacter pour"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("contact utile d'un partenaire")
        verbose_name_plural = _("contacts utiles des partenaires")
        ordering = ["organisation", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["organisation", "agent"], name="partner_contact_once")]

    def __str__(self):
        return f"{self.organisation} : {self.agent}"


class DirectoryLink(models.Model):
    """The directory (Active Directory / LDAP) entry an agent comes from: the sync updates and
    deactivates only the agents it links, and never deletes one."""

    agent = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), on_delete=models.CASCADE, related_name="directory_link"
    )
    dn = models.CharField(_("entrée de l'annuaire (DN)"), max_length=500, unique=True)
    synced_at = models.DateTimeField(_("synchronisé le"), default=timezone.now)

    class Meta:
        verbose_name = _("lien avec l'annuaire")
        verbose_name_plural = _("liens avec l'annuaire")

    def __str__(self):
        return self.dn
