"""Who may sign in how."""

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from intranet.roles import Role, has_role, is_internal


def can_manage_partners(user) -> bool:
    """HR and communication invite partners, reconfirm them and choose their contacts."""
    return is_internal(user) and has_role(user, Role.HR, Role.COMMUNICATION, Role.ADMIN)


def inviting_service(user) -> str:
    return "rh" if has_role(user, Role.HR) else "communication"


def partner_refused_reason(user) -> str | None:
    """Why an external partner may not sign in (by any means): their access has ended."""
    access = getattr(user, "partner_access", None) if getattr(user, "is_external", False) else None
    if access is not None and access.is_expired(timezone.localdate()):
        return _("Votre accès à l'extranet a pris fin le %(date)s. Adressez-vous au service qui vous a invité.") % {
            "date": date_format(access.ends_on, "DATE_FORMAT")
        }
    return None


def oidc_apps() -> list[dict]:
    return settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", [])


def sso_only_providers() -> dict[str, str]:
    """provider id -> name, for the providers whose agents may not use a password."""
    return {app["provider_id"]: app["name"] for app in oidc_apps() if app["settings"].get("sso_only")}


def password_refused_reason(user) -> str | None:
    """Why `user` may not sign in with a password (they typed the right one), or None."""
    sso_only = sso_only_providers()
    if sso_only:
        linked = user.socialaccount_set.filter(provider__in=sso_only).values_list("provider", flat=True).first()
        if linked:
            return _("Votre compte se connecte avec %(provider)s : utilisez le bouton « %(provider)s ».") % {
                "provider": sso_only[linked]
            }
    return None
