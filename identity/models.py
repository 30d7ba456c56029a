from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
