"""What the session remembers of how its person signed in (read by the adapters, the MFA
rules and the logout)."""

from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY

PENDING_KEY = "identity.oidc_pending"  # set by the OIDC callback, before the sign-in completes
OIDC_KEY = "identity.oidc"  # the provider that signed this session in


def _last_record(session) -> dict:
    records = session.get(AUTHENTICATION_METHODS_SESSION_KEY) or []
    return records[-1] if records else {}


def pending_oidc_for(session, user) -> dict | None:
    """The OIDC sign-in under way for `user` in this session, if the last authentication
    recorded is that provider's (not a password typed afterwards)."""
    pending = session.get(PENDING_KEY)
    record = _last_record(session)
    if not pending or record.get("method") != "socialaccount":
        return None
    if record.get("provider") != pending["provider"] or record.get("uid") != pending["uid"]:
        return None
    if user is None or not user.socialaccount_set.filter(provider=pending["provider"], uid=pending["uid"]).exists():
        return None
    return pending


def last_method(session) -> str | None:
    return _last_record(session).get("method")


def oidc_of(session) -> dict | None:
    return session.get(OIDC_KEY)


def sso_asserted_mfa(session) -> bool:
    return bool((session.get(OIDC_KEY) or {}).get("mfa"))
