"""Security of the sign-in: the role × URL matrix holds for sessions opened through the identity
provider; login CSRF and open redirects through `next` are refused on the password form as on the
provider's (the provider's `state` is tested in test_oidc.py); the password form keeps its rate
limits when providers are configured."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.access import check_access
from tests.identity.flows import sign_in
from tests.test_access_matrix import MATRIX, PATTERNS

pytestmark = pytest.mark.services
LOGIN = reverse("account_login")
HOME = reverse("intranet:home")
# Every 18th row of the matrix (core, directory, every app), for each role: a session opened
# through the provider must meet exactly the same outcomes as a password session.
SAMPLE = sorted(MATRIX)[::18]
ROLES = ("anonymous", "agent", "manager", "rh", "partenaire", "admin_user")


class SSOClient(Client):
    """A test client whose `force_login` signs in through the OpenID Connect provider."""

    provider = None

    def force_login(self, user, backend=None):
        sub = f"sub-{user.pk}"
        if user.email not in self.provider.people:
            self.provider.add_person(sub=sub, email=user.email, password="x", amr=["pwd", "mfa"])
        response = sign_in(self, self.provider, user.email)
        assert response.status_code == 302, response
        assert self.session["_auth_user_id"] == str(user.pk), f"{user.email} was not signed in by the provider"


@pytest.fixture
def client(configure_oidc):
    sso = SSOClient()
    sso.provider = configure_oidc()
    return sso


@pytest.mark.parametrize(
    ("key", "role"),
    [(key, role) for key in SAMPLE for role in ROLES],
    ids=[f"{key}-{role}" for key in SAMPLE for role in ROLES],
)
def test_the_access_matrix_holds_for_sso_sessions(key, role, request, db):
    check_access(key=key, role=role, row=MATRIX[key], patterns=PATTERNS, request=request)


def test_the_password_form_refuses_a_post_without_csrf_token(agent):
    client = Client(enforce_csrf_checks=True)
    response = client.post(LOGIN, {"login": agent.email, "password": "maison-commune"})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "https:evil.example", "javascript:alert(1)"],
)
def test_the_password_form_ignores_next_off_the_site(agent, target):
    client = Client()
    response = client.post(f"{LOGIN}?next={target}", {"login": agent.email, "password": "maison-commune"})
    assert response.status_code == 302
    assert response["Location"] == HOME


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/"])
def test_the_provider_sign_in_ignores_next_off_the_site(configure_oidc, agent, target):
    provider = configure_oidc()
    provider.add_person(sub="kc-agent", email=agent.email, password="x")
    response = sign_in(Client(), provider, agent.email, next_url=target)
    assert response["Location"] == HOME


def test_rate_limits_still_apply_to_the_password_form_with_providers_configured(configure_oidc, agent):
    client = Client()
    for _ in range(5):
        client.post(LOGIN, {"login": agent.email, "password": "pas-le-bon"})
    response = client.post(LOGIN, {"login": agent.email, "password": "maison-commune"})
    assert "_auth_user_id" not in client.session
    assert "Trop de tentatives de connexion" in response.text
