"""Identity providers read from the environment (see .env.example and docs/identity_providers.md).

Imported by the settings module: plain Python, no Django import.

    OIDC_PROVIDERS=proconnect,keycloak
    OIDC_PROCONNECT_ISSUER=https://auth.agentconnect.gouv.fr/api/v2
    OIDC_PROCONNECT_CLIENT_ID=…
    OIDC_PROCONNECT_CLIENT_SECRET=…

Each provider `<ID>` (letters, digits, dashes) reads `OIDC_<ID>_…` (dashes become underscores):
NAME, ISSUER, CLIENT_ID, CLIENT_SECRET, SCOPES, EMAIL_CLAIM, TRUST_EMAIL, SSO_ONLY,
ALLOW_SIGNUP, MFA_AMR, MFA_ACR, ACR_VALUES, CLAIMS, USERINFO.
"""

import re
from urllib.parse import urlsplit

PROVIDER_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
DEFAULT_SCOPES = "openid email profile"
# `amr` values (RFC 8176) that mean the provider asked for more than one factor.
DEFAULT_MFA_AMR = "mfa,otp,totp,hwk,swk,sc,pop,fpt,face,iris,retina,vbm"
# ProConnect returns `amr` only when asked through the `claims` parameter.
PROCONNECT_CLAIMS = '{"id_token":{"amr":{"essential":true}}}'


def _csv(value: str) -> list[str]:
    return [item.strip() for item in re.split(r"[,\s]+", value or "") if item.strip()]


def _auth_params(env, prefix: str, provider_id: str) -> dict:
    params = {}
    if acr := env.str(prefix + "ACR_VALUES", default=""):
        params["acr_values"] = acr
    if claims := env.str(prefix + "CLAIMS", default=PROCONNECT_CLAIMS if provider_id == "proconnect" else ""):
        params["claims"] = claims
    return params


def oidc_apps_from_env(env) -> list[dict]:
    """allauth's `SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]`, one per provider."""
    apps = []
    for provider_id in _csv(env.str("OIDC_PROVIDERS", default="")):
        provider_id = provider_id.lower()
        if not PROVIDER_ID.match(provider_id):
            raise ValueError(f"OIDC_PROVIDERS: {provider_id!r} is not a valid provider id (a-z, 0-9, -)")
        prefix = f"OIDC_{provider_id.upper().replace('-', '_')}_"
        issuer = env.str(prefix + "ISSUER").rstrip("/")
        apps.append(
            {
                "provider_id": provider_id,
                "name": env.str(prefix + "NAME", default="ProConnect" if provider_id == "proconnect" else provider_id),
                "client_id": env.str(prefix + "CLIENT_ID"),
                "secret": env.str(prefix + "CLIENT_SECRET", default=""),
                "settings": {
                    "server_url": issuer,
                    "scope": _csv(env.str(prefix + "SCOPES", default=DEFAULT_SCOPES)),
                    "oauth_pkce_enabled": True,
                    "email_claim": env.str(prefix + "EMAIL_CLAIM", default="email"),
                    # Matching by e-mail needs an address the provider vouches for: its
                    # `email_verified` claim, or this setting for providers that only hand out
                    # addresses they checked (ProConnect, an administration's own Keycloak).
                    "verified_email": env.bool(prefix + "TRUST_EMAIL", default=provider_id == "proconnect"),
                    "email_authentication": True,
                    "sso_only": env.bool(prefix + "SSO_ONLY", default=False),
                    "allow_signup": env.bool(prefix + "ALLOW_SIGNUP", default=False),
                    "mfa_amr": _csv(env.str(prefix + "MFA_AMR", default=DEFAULT_MFA_AMR)),
                    "mfa_acr": _csv(env.str(prefix + "MFA_ACR", default="")),
                    "auth_params": _auth_params(env, prefix, provider_id),
                    "fetch_userinfo": env.bool(prefix + "USERINFO", default=True),
                },
            }
        )
    return apps


def oidc_origins(apps: list[dict]) -> list[str]:
    """The providers' origins (scheme://host[:port]), for the Content-Security-Policy's form-action:
    the sign-in and sign-out forms post here and are redirected there."""
    origins = []
    for app in apps:
        parts = urlsplit(app["settings"]["server_url"])
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in origins:
            origins.append(origin)
    return origins
