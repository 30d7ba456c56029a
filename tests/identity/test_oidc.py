"""OpenID Connect sign-in against a real provider on loopback (tests/identity/oidc_provider.py)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from intranet.models import Agent
from tests.factories import AgentFactory
from tests.identity import oidc_provider as spoil
from tests.identity.conftest import PROVIDER_ID
from tests.identity.flows import callback_path, sign_in, start

pytestmark = pytest.mark.services
HOME = reverse("intranet:home")


def _signed_in_as(client):
    return client.session.get("_auth_user_id")


@pytest.fixture
def agent_at_idp(db, configure_oidc):
    agent = AgentFactory(email="claire.martin@test.local")
    configure_oidc().add_person(sub="kc-1", email=agent.email, password="idp-secret", given_name="Claire")
    return agent


def test_sign_in_page_shows_the_providers_button(client, configure_oidc):
    response = client.get(reverse("account_login"))
    assert "Se connecter avec Keycloak de test" in response.text
    assert reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID}) in response.text


def test_proconnect_gets_its_own_button(client, settings, db):
    providers = dict(settings.SOCIALACCOUNT_PROVIDERS)
    from tests.identity.conftest import provider_app

    app = provider_app("http://127.0.0.1:9")
    app.update(provider_id="proconnect", name="ProConnect")
    providers["openid_connect"] = {**providers["openid_connect"], "APPS": [app]}
    settings.SOCIALACCOUNT_PROVIDERS = providers
    response = client.get(reverse("account_login"))
    assert "S'identifier avec" in response.text
    assert "Qu'est-ce que ProConnect" in response.text


def test_existing_agent_signs_in_with_code_flow_pkce_state_and_nonce(client, oidc_provider, agent_at_idp):
    location, query = start(client)
    assert location.startswith(f"{oidc_provider.issuer}/authorize?")
    assert query["response_type"] == "code"
    assert query["code_challenge_method"] == "S256"
    assert len(query["state"]) >= 16
    assert len(query["nonce"]) >= 32

    response = client.get(callback_path(oidc_provider.authorize_code(email=agent_at_idp.email, query=query)))

    assert response.status_code == 302
    assert response["Location"] == HOME
    assert int(_signed_in_as(client)) == agent_at_idp.pk
    assert oidc_provider.token_requests[-1]["code_verifier"]  # the verifier went to the token endpoint
    assert SocialAccount.objects.get(user=agent_at_idp).provider == PROVIDER_ID
    assert client.get(HOME).status_code == 200


def test_a_second_sign_in_uses_the_linked_account(client, oidc_provider, agent_at_idp):
    sign_in(client, oidc_provider, agent_at_idp.email)
    client.logout()
    response = sign_in(client, oidc_provider, agent_at_idp.email)
    assert response["Location"] == HOME
    assert SocialAccount.objects.filter(user=agent_at_idp).count() == 1


def test_unknown_person_gets_no_account(client, configure_oidc, db):
    provider = configure_oidc()
    provider.add_person(sub="kc-9", email="inconnu@test.local", password="x")
    response = sign_in(client, provider, "inconnu@test.local")
    assert not _signed_in_as(client)
    assert "Pas d'inscription en libre-service" in response.text
    assert not Agent.objects.filter(email="inconnu@test.local").exists()


def test_a_provider_allowed_to_create_accounts_creates_the_agent(client, configure_oidc, db):
    provider = configure_oidc(allow_signup=True)
    provider.add_person(sub="kc-8", email="nouvelle@test.local", password="x", given_name="Inès", family_name="Roy")
    response = sign_in(client, provider, "nouvelle@test.local")
    assert response.status_code == 302
    agent = Agent.objects.get(email="nouvelle@test.local")
    assert (agent.first_name, agent.last_name, agent.is_external) == ("Inès", "Roy", False)
    assert int(_signed_in_as(client)) == agent.pk


def test_an_unverified_email_is_not_matched_to_the_agent(client, configure_oidc, db):
    agent = AgentFactory(email="non.verifiee@test.local")
    provider = configure_oidc()
    provider.add_person(sub="kc-7", email=agent.email, password="x", email_verified=False)
    sign_in(client, provider, agent.email)
    assert not _signed_in_as(client)
    assert not SocialAccount.objects.exists()


def test_an_inactive_agent_cannot_sign_in(client, oidc_provider, agent_at_idp):
    agent_at_idp.is_active = False
    agent_at_idp.save(update_fields=["is_active"])
    sign_in(client, oidc_provider, agent_at_idp.email)
    assert not _signed_in_as(client)


@pytest.mark.parametrize(
    "spoiler",
    [spoil.tampered, spoil.expired, spoil.wrong_nonce, spoil.other_key, spoil.unsigned, spoil.other_audience],
    ids=lambda f: f.__name__,
)
def test_a_bad_id_token_is_refused(client, oidc_provider, agent_at_idp, spoiler):
    AgentFactory(email="rh@test.local")
    oidc_provider.next_id_token = spoiler
    response = sign_in(client, oidc_provider, agent_at_idp.email)
    assert not _signed_in_as(client)
    assert response.status_code == 401
    assert "La connexion par votre compte d'administration a échoué" in response.text
    assert not SocialAccount.objects.exists()


def test_a_state_from_another_browser_is_refused(client, oidc_provider, agent_at_idp):
    """Login CSRF through the callback: an attacker's own code and state, replayed in the victim's browser."""
    from django.test import Client

    attacker = Client()
    _, query = start(attacker)
    location = oidc_provider.authorize_code(email=agent_at_idp.email, query=query)
    client.get(reverse("account_login"))  # the victim has a session of their own
    client.get(callback_path(location))
    assert not _signed_in_as(client)


def test_a_callback_without_state_or_with_a_forged_one_is_refused(client, oidc_provider, agent_at_idp):
    _, query = start(client)
    location = oidc_provider.authorize_code(email=agent_at_idp.email, query=query)
    code = parse_qs(urlsplit(location).query)["code"][0]
    callback = reverse("openid_connect_callback", kwargs={"provider_id": PROVIDER_ID})
    client.get(f"{callback}?code={code}")
    assert not _signed_in_as(client)
    client.get(f"{callback}?code={code}&state=forged-state-value")
    assert not _signed_in_as(client)


def test_a_code_is_used_once(client, oidc_provider, agent_at_idp):
    _, query = start(client)
    location = oidc_provider.authorize_code(email=agent_at_idp.email, query=query)
    client.get(callback_path(location))
    client.logout()
    client.get(callback_path(location))
    assert not _signed_in_as(client)


def test_signed_userinfo_is_read(client, oidc_provider, agent_at_idp):
    oidc_provider.userinfo_as_jwt = True
    response = sign_in(client, oidc_provider, agent_at_idp.email)
    assert response["Location"] == HOME
    assert int(_signed_in_as(client)) == agent_at_idp.pk


def test_sign_in_starts_only_from_a_post_with_csrf(client, configure_oidc):
    url = reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID})
    assert client.get(url).status_code == 405
    from django.test import Client

    assert Client(enforce_csrf_checks=True).post(url).status_code == 403


def test_extra_scopes_from_the_query_string_are_ignored(client, configure_oidc):
    url = reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID})
    response = client.post(f"{url}?scope=admin&auth_params=prompt%3Dnone")
    query = parse_qs(urlsplit(response["Location"]).query)
    assert set(query["scope"][0].split()) == {"openid", "email", "profile"}
    assert "prompt" not in query


def test_next_to_another_site_is_ignored(client, oidc_provider, agent_at_idp):
    response = sign_in(client, oidc_provider, agent_at_idp.email, next_url="https://evil.example/")
    assert response["Location"] == HOME


def test_next_on_the_site_is_followed(client, oidc_provider, agent_at_idp):
    response = sign_in(client, oidc_provider, agent_at_idp.email, next_url="/annuaire/")
    assert response["Location"] == "/annuaire/"


def test_logout_ends_the_providers_session_too(client, oidc_provider, agent_at_idp):
    sign_in(client, oidc_provider, agent_at_idp.email)
    response = client.post(reverse("account_logout"))
    assert not _signed_in_as(client)
    parts = urlsplit(response["Location"])
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{oidc_provider.issuer}/logout"
    query = parse_qs(parts.query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/comptes/login/"]
    assert query["id_token_hint"][0].count(".") == 2


def test_password_sign_in_is_refused_for_agents_of_an_sso_only_provider(client, configure_oidc, db):
    agent = AgentFactory(email="sso.seul@test.local")
    provider = configure_oidc(sso_only=True)
    provider.add_person(sub="kc-5", email=agent.email, password="x")
    sign_in(client, provider, agent.email)
    client.logout()
    response = client.post(reverse("account_login"), {"login": agent.email, "password": "maison-commune"}, follow=True)
    assert not _signed_in_as(client)
    assert "utilisez le bouton « Keycloak de test »" in response.text


def test_agents_without_a_linked_account_keep_their_password_with_an_sso_only_provider(client, configure_oidc, db):
    agent = AgentFactory(email="partenaire.mdp@test.local")
    configure_oidc(sso_only=True)
    client.post(reverse("account_login"), {"login": agent.email, "password": "maison-commune"})
    assert int(_signed_in_as(client)) == agent.pk
