"""Who may sign in how."""

from django.conf import settings
from django.utils.translation import gettext as _


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
