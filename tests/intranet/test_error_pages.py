"""Our own error pages: French (or English), inside the layout, saying what happened and what
to do next — with DEBUG off, as in production."""

import html

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from intranet.errors import server_error


def _text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def test_an_unknown_address_gives_our_404_page_in_the_layout(client, agent):
    client.force_login(agent)
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    page = _text(response)
    assert '<html lang="fr">' in page
    assert "<title>Page introuvable – " in page
    assert '<h1 class="mb-3">Page introuvable</h1>' in page
    assert 'aria-label="Navigation principale"' in page  # the person keeps their menus
    assert "Revenir à la page d'accueil" in page
    assert 'href="mailto:' in page


def test_the_404_page_speaks_english_to_those_who_chose_it(client, agent):
    client.force_login(agent)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert '<html lang="en">' in _text(response)
    assert "Page not found" in _text(response)


def test_a_visitor_who_is_not_signed_in_is_offered_to_sign_in(client, db):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Vous connecter à l'intranet" in _text(response)
    assert 'aria-label="Navigation principale"' not in _text(response)


def test_a_page_reserved_to_others_gives_our_403_page(client, agent):
    client.force_login(agent)
    response = client.get(reverse("directory:hr-home"))
    assert response.status_code == 403
    assert "<title>Accès refusé – " in _text(response)
    assert "Vous n'avez pas accès à cette page" in _text(response)
    assert 'aria-label="Navigation principale"' in _text(response)


def test_a_malformed_request_gives_our_400_page(client, db):
    response = client.get("/", HTTP_HOST="pas-notre-site.example")  # DisallowedHost
    assert response.status_code == 400
    assert "Le site n'a pas compris la demande" in _text(response)
    assert '<html lang="fr">' in _text(response)


def test_a_form_sent_without_its_token_gives_our_csrf_page(agent):
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)
    client.get(reverse("intranet:home"))  # the CSRF cookie is set
    response = client.post(reverse("directory:profile-confirm"))
    assert response.status_code == 403
    assert "<title>La page a expiré – " in _text(response)
    assert "rien n'a été enregistré" in _text(response)
    assert 'aria-label="Navigation principale"' in _text(response)


def test_a_form_sent_without_the_cookie_says_to_accept_cookies(agent):
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)
    response = client.post(reverse("directory:profile-confirm"))
    assert response.status_code == 403
    assert "il doit accepter les cookies" in _text(response)


def test_a_bug_gives_our_500_page(settings, db):
    settings.ROOT_URLCONF = "tests.intranet.urls_failing"
    client = Client(raise_request_exception=False)
    response = client.get("/en-panne/")
    assert response.status_code == 500
    assert '<html lang="fr">' in _text(response)
    assert "<title>Erreur du serveur – " in _text(response)
    assert "Le site a rencontré un problème" in _text(response)
    assert "Revenir à la page d'accueil" in _text(response)


def _database_down(execute, sql, params, many, context):
    raise OperationalError("connection refused")


def test_the_500_page_renders_when_the_database_is_down(settings, client, agent):
    settings.ROOT_URLCONF = "tests.intranet.urls_failing"
    client.force_login(agent)  # a session to look up: the 500 page must not
    client.raise_request_exception = False
    with connection.execute_wrapper(_database_down):
        response = client.get("/en-panne/")
    assert response.status_code == 500
    assert "Le site a rencontré un problème" in _text(response)


def test_the_500_page_makes_no_query(rf):
    # No `db` fixture: pytest-django fails any query of this test.
    with translation.override("fr"):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Le site a rencontré un problème" in _text(response)
