"""Drive an OpenID Connect sign-in: Django's test client on our side, real HTTP on the provider's."""

from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

from tests.identity.conftest import PROVIDER_ID


def start(client, *, next_url: str | None = None):
    data = {"next": next_url} if next_url else {}
    response = client.post(reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID}), data)
    assert response.status_code == 302, response
    location = response["Location"]
    return location, {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def callback_path(location: str) -> str:
    parts = urlsplit(location)
    return f"{parts.path}?{parts.query}"


def sign_in(client, provider, email: str, *, next_url: str | None = None):
    """The whole round trip; returns our callback's response."""
    _, query = start(client, next_url=next_url)
    location = provider.authorize_code(email=email, query=query)
    return client.get(callback_path(location))
