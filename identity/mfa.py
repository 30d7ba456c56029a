"""Who must use a second factor, and since when (the rules; the middleware enforces them).

A person holding one of `MFA_REQUIRED_ROLES` (HR, communication, administrators by default:
the roles that read personal data and survey results), or with access to Django's admin,
enrols a TOTP application or a security key (passkey) within `MFA_GRACE_DAYS` of their first
sign-in without one. A sign-in through an identity provider that asserts a second factor
(`amr`/`acr`) counts as one.
"""

from datetime import datetime, timedelta

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.utils import timezone

from intranet.roles import Role, roles_of

SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
DEADLINE_KEY = "identity.mfa_deadline"  # in the session of a person who must enrol


def mfa_required(user) -> bool:
    required = {Role(value) for value in settings.MFA_REQUIRED_ROLES}
    return bool(user.is_staff or user.is_superuser or required.intersection(roles_of(user)))


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()


def grace_deadline(started_at: datetime) -> datetime:
    return started_at + timedelta(days=settings.MFA_GRACE_DAYS)


def deadline_passed(session) -> bool:
    value = session.get(DEADLINE_KEY)
    return bool(value) and datetime.fromisoformat(value) <= timezone.now()
