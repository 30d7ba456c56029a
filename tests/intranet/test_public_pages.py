"""The footer's pages (accessibility, legal notice, personal data) are public and complete."""

import re

import pytest
from django.urls import reverse

PUBLIC_PAGES = [
    ("intranet:accessibility", "Déclaration d'accessibilité", "CONTACT_EMAIL"),
    ("intranet:legal", "Mentions légales", "CONTACT_EMAIL"),
    ("intranet:privacy", "Données personnelles", "DPO_EMAIL"),
]


@pytest.fixture(autouse=True)
def _addresses(settings):
    settings.CONTACT_EMAIL = "accessibilite@mairie.example.fr"
    settings.DPO_EMAIL = "dpo@mairie.example.fr"


@pytest.mark.parametrize(("url_name", "heading", "address_setting"), PUBLIC_PAGES)
def test_public_page_is_readable_without_logging_in(client, db, settings, url_name, heading, address_setting):
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assert f'<h1 class="h2">{heading}</h1>' in response.text.replace("&#x27;", "'")
    address = getattr(settings, address_setting)
    assert f'href="mailto:{address}"' in response.text


def test_accessibility_statement_follows_the_rgaa_model(client, db):
    text = client.get(reverse("intranet:accessibility")).text

    assert "non conforme" in text
    assert "axe-core" in text
    assert "23 novembre 2026" in text
    assert "Libre réponse 71120" in text


def test_privacy_page_names_the_rights_and_the_cnil(client, db):
    text = client.get(reverse("intranet:privacy")).text

    for words in ("droit d'accès", "rectification", "limitation", "opposition", "CNIL"):
        assert words in text.replace("&#x27;", "'")


def test_public_pages_keep_headings_in_order(client, db):
    for url_name, _heading, _address in PUBLIC_PAGES:
        text = client.get(reverse(url_name)).text
        levels = [int(level) for level in re.findall(r"<h([1-6])\b", text)]
        assert levels[0] == 1, url_name
        assert all(after - before <= 1 for before, after in zip(levels, levels[1:], strict=False)), url_name


def test_home_footer_links_to_the_three_public_pages(client, agent):
    client.force_login(agent)
    response = client.get(reverse("intranet:home"))

    assert response.status_code == 200
    for url_name, _heading, _address in PUBLIC_PAGES:
        assert f'href="{reverse(url_name)}"' in response.text
