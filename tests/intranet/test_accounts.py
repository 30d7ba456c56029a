from django.conf import settings
from django.urls import reverse

from intranet.models import AuditLogEntry

LOGIN = reverse("account_login")


def _login(client, password):
    return client.post(LOGIN, {"login": "agent@test.local", "password": password})


def test_wrong_password_is_refused_in_french(client, agent):
    response = _login(client, "pas-le-bon")
    assert response.status_code == 200
    assert "L’adresse e-mail ou le mot de passe sont incorrects." in response.text


def test_login_is_rate_limited_after_five_failures_then_cools_off(client, agent, settings):
    for _ in range(5):
        _login(client, "pas-le-bon")
    response = _login(client, "maison-commune")
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert "Trop de tentatives de connexion" in response.text
    # The limit lives in the cache with an expiry (15 minutes): nobody is locked out for ever.
    assert "5/15m/key" in settings.ACCOUNT_RATE_LIMITS["login_failed"]


def test_login_is_recorded_in_the_audit_log(client, agent):
    _login(client, "maison-commune")
    entry = AuditLogEntry.objects.get(action="login")
    assert entry.actor == agent
    assert entry.target_label == str(agent)
    assert entry.ip_address == "127.0.0.1"


def test_sessions_expire():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60


def test_logout_ends_the_session(client, agent):
    client.force_login(agent)
    client.post(reverse("account_logout"))
    assert client.get(reverse("intranet:home")).status_code == 302


def test_agents_cannot_add_another_login_address(client, agent):
    client.force_login(agent)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "autre@exemple.fr"})
    assert "gérée par les ressources humaines" in response.text
    assert not agent.emailaddress_set.filter(email="autre@exemple.fr").exists()
