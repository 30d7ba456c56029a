"""Login limits behind the TLS proxy the README deploys (issue 13, item 5).

Every agent reaches gunicorn through the proxy, so the address Django sees is the proxy's. The real
client address is read from X-Forwarded-For only when the request comes from a proxy listed in
TRUSTED_PROXIES; the per-address limit is keyed on it and is far higher than the per-account one;
the audit log records it.
"""

import pytest
from allauth.core.internal.ratelimit import parse_rates
from django.conf import settings
from django.test import Client
from django.urls import reverse

from intranet.client_ip import client_ip
from intranet.models import AuditLogEntry
from tests.factories import AgentFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")
PROXY = "10.0.0.2"


@pytest.fixture(autouse=True)
def _proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY, "192.168.10.0/24"]
    # allauth's own limit on every login POST (30 a minute per address) would answer first in these
    # loops: lifted, so the limits on failures are what is tested.
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "10000/m/ip"}


def _through(remote: str, forwarded: str | None = None) -> Client:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return Client(**extra)


def _login(client: Client, email: str, password: str):
    return client.post(LOGIN, {"login": email, "password": password})


def _limited(response) -> bool:
    return response.status_code == 429 or "Trop de tentatives de connexion" in response.text


def test_the_real_address_comes_from_a_trusted_proxy_only(rf):
    trusted = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert client_ip(trusted) == "203.0.113.7"
    chained = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7, 192.168.10.4")
    assert client_ip(chained) == "203.0.113.7"  # the first address no trusted proxy vouches for
    untrusted = rf.get("/", REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_ip(untrusted) == "203.0.113.66"  # anyone can write the header: ignored
    garbage = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="pas-une-adresse")
    assert client_ip(garbage) == PROXY


def test_ten_wrong_passwords_behind_the_proxy_no_longer_lock_everybody_out():
    agents = [AgentFactory(email=f"agent{i}@test.local") for i in range(3)]
    intruder = _through(PROXY, "203.0.113.7")
    for agent in agents:
        for _ in range(5):
            _login(intruder, agent.email, "pas-le-bon")
    # Fifteen failures came through the proxy; a colleague behind the same proxy still logs in.
    colleague = AgentFactory(email="collegue@test.local")
    client = _through(PROXY, "203.0.113.8")
    response = _login(client, colleague.email, "maison-commune")
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_the_per_account_limit_still_holds_from_any_address():
    agent = AgentFactory(email="cible@test.local")
    for index in range(5):
        _login(_through(PROXY, f"203.0.113.{index + 1}"), agent.email, "pas-le-bon")
    response = _login(_through(PROXY, "203.0.113.99"), agent.email, "maison-commune")
    assert _limited(response)


def test_the_per_address_limit_is_keyed_on_the_real_address():
    agents = [AgentFactory(email=f"agent{i}@test.local") for i in range(30)]
    per_ip = next(rate for rate in parse_rates(settings.ACCOUNT_RATE_LIMITS["login_failed"]) if rate.per == "ip")
    attacker = _through(PROXY, "203.0.113.7")
    attempts = 0
    for agent in agents:  # one wrong password per account: the per-account limit never triggers
        for _ in range(4):
            if attempts == per_ip.amount:
                break
            _login(attacker, agent.email, "pas-le-bon")
            attempts += 1
    assert _limited(_login(attacker, agents[-1].email, "pas-le-bon"))
    colleague = AgentFactory(email="collegue@test.local")
    assert _login(_through(PROXY, "203.0.113.8"), colleague.email, "maison-commune").status_code == 302


def test_a_forged_header_from_an_untrusted_address_does_not_escape_the_limit():
    agents = [AgentFactory(email=f"agent{i}@test.local") for i in range(30)]
    per_ip = next(rate for rate in parse_rates(settings.ACCOUNT_RATE_LIMITS["login_failed"]) if rate.per == "ip")
    attempts = 0
    for agent in agents:
        for _ in range(4):
            if attempts == per_ip.amount:
                break
            # A new forged address on every try, sent straight to the application: ignored.
            _login(_through("203.0.113.66", f"198.51.100.{attempts % 250}"), agent.email, "pas-le-bon")
            attempts += 1
    assert _limited(_login(_through("203.0.113.66", "198.51.100.251"), agents[-1].email, "pas-le-bon"))


def test_the_per_address_limit_is_far_higher_than_the_per_account_one():
    rates = parse_rates(settings.ACCOUNT_RATE_LIMITS["login_failed"])
    per_ip = next(rate for rate in rates if rate.per == "ip")
    per_key = next(rate for rate in rates if rate.per == "key")
    assert per_ip.amount / per_ip.duration >= 10 * per_key.amount / per_key.duration


def test_the_audit_log_records_the_real_address():
    agent = AgentFactory(email="agent@test.local")
    _login(_through(PROXY, "203.0.113.7"), agent.email, "maison-commune")
    _login(_through("203.0.113.66", "198.51.100.1"), agent.email, "maison-commune")
    addresses = list(AuditLogEntry.objects.filter(action="login").order_by("pk").values_list("ip_address", flat=True))
    assert addresses == ["203.0.113.7", "203.0.113.66"]
