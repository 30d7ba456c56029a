import environ
import pytest

from identity.config import oidc_apps_from_env, oidc_origins


def test_providers_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("OIDC_PROVIDERS", "proconnect, keycloak-rh")
    monkeypatch.setenv("OIDC_PROCONNECT_ISSUER", "https://auth.agentconnect.gouv.fr/api/v2/")
    monkeypatch.setenv("OIDC_PROCONNECT_CLIENT_ID", "pc-id")
    monkeypatch.setenv("OIDC_PROCONNECT_CLIENT_SECRET", "pc-secret")
    monkeypatch.setenv("OIDC_PROCONNECT_SCOPES", "openid email given_name usual_name")
    monkeypatch.setenv("OIDC_KEYCLOAK_RH_ISSUER", "https://sso.exemple.fr/realms/agents")
    monkeypatch.setenv("OIDC_KEYCLOAK_RH_CLIENT_ID", "intranet")
    monkeypatch.setenv("OIDC_KEYCLOAK_RH_NAME", "Compte Windows")
    monkeypatch.setenv("OIDC_KEYCLOAK_RH_SSO_ONLY", "true")
    monkeypatch.setenv("OIDC_KEYCLOAK_RH_EMAIL_CLAIM", "upn")
    monkeypatch.setenv("OIDC_KEYCLOAK_RH_MFA_ACR", "gold")

    proconnect, keycloak = oidc_apps_from_env(environ.Env())

    assert proconnect["name"] == "ProConnect"
    assert proconnect["settings"]["server_url"] == "https://auth.agentconnect.gouv.fr/api/v2"
    assert proconnect["settings"]["scope"] == ["openid", "email", "given_name", "usual_name"]
    assert proconnect["settings"]["verified_email"] is True  # ProConnect vouches for its addresses
    assert proconnect["settings"]["oauth_pkce_enabled"] is True
    assert "amr" in proconnect["settings"]["auth_params"]["claims"]
    assert proconnect["settings"]["allow_signup"] is False
    assert keycloak["provider_id"] == "keycloak-rh"
    assert keycloak["name"] == "Compte Windows"
    assert keycloak["settings"]["sso_only"] is True
    assert keycloak["settings"]["email_claim"] == "upn"
    assert keycloak["settings"]["verified_email"] is False
    assert keycloak["settings"]["mfa_acr"] == ["gold"]
    assert oidc_origins([proconnect, keycloak]) == ["https://auth.agentconnect.gouv.fr", "https://sso.exemple.fr"]


def test_a_bad_provider_id_is_refused(monkeypatch):
    monkeypatch.setenv("OIDC_PROVIDERS", "pro_connect")
    with pytest.raises(ValueError, match="not a valid provider id"):
        oidc_apps_from_env(environ.Env())


def test_no_providers_by_default(monkeypatch):
    monkeypatch.delenv("OIDC_PROVIDERS", raising=False)
    assert oidc_apps_from_env(environ.Env()) == []
