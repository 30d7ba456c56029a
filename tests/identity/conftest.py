import pytest

from tests.identity.oidc_provider import OIDCProvider

PROVIDER_ID = "testidp"
CLIENT_ID = "maison-commune"
CLIENT_SECRET = "un-secret-de-test"


def provider_app(issuer: str, **settings) -> dict:
    """One entry of SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"], as identity.config builds it."""
    return {
        "provider_id": PROVIDER_ID,
        "name": "Keycloak de test",
        "client_id": CLIENT_ID,
        "secret": CLIENT_SECRET,
        "settings": {
            "server_url": issuer,
            "scope": ["openid", "email", "profile"],
            "oauth_pkce_enabled": True,
            "email_claim": "email",
            "verified_email": False,
            "email_authentication": True,
            "sso_only": False,
            "allow_signup": False,
            "mfa_amr": ["mfa", "otp"],
            "mfa_acr": [],
            "auth_params": {},
            "fetch_userinfo": True,
            **settings,
        },
    }


@pytest.fixture
def oidc_provider():
    provider = OIDCProvider().start()
    yield provider
    provider.stop()


@pytest.fixture
def configure_oidc(db, settings, oidc_provider):
    """Point the site at the loopback provider; `configure_oidc(sso_only=True, …)` changes its settings."""

    def configure(base_url: str = "http://testserver", **app_settings):
        callback = f"{base_url}/comptes/oidc/{PROVIDER_ID}/login/callback/"
        oidc_provider.add_client(
            client_id=CLIENT_ID,
            secret=CLIENT_SECRET,
            redirect_uris=[callback],
            post_logout_redirect_uris=[f"{base_url}/comptes/login/"],
        )
        providers = dict(settings.SOCIALACCOUNT_PROVIDERS)
        providers["openid_connect"] = {
            **providers["openid_connect"],
            "APPS": [provider_app(oidc_provider.issuer, **app_settings)],
        }
        settings.SOCIALACCOUNT_PROVIDERS = providers
        return oidc_provider

    configure()
    return configure
