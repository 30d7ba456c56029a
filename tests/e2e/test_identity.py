"""Signing in as an administration does, in the browser: through the identity provider (a real
OpenID Connect provider on loopback, tests/identity/oidc_provider.py) and out of it again; a
second factor enrolled with a code computed from the secret the page shows; the sessions page.
Every page of ours passes axe-core's WCAG 2.1 AA rules."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from identity.config import oidc_origins
from identity.models import MFAGrace
from tests.e2e.conftest import assert_no_axe_violations, assert_no_console_errors, login_as
from tests.factories import PASSWORD, AgentFactory
from tests.identity.conftest import configure_oidc, oidc_provider  # noqa: F401 (fixtures)
from tests.identity.totp import totp

pytestmark = [pytest.mark.browser, pytest.mark.services]


@pytest.fixture
def idp(live_server, settings, request):
    provider = request.getfixturevalue("configure_oidc")(base_url=live_server.url)
    policy = {**settings.CONTENT_SECURITY_POLICY}
    directives = {**policy["DIRECTIVES"]}
    directives["form-action"] = [
        *directives["form-action"],
        *oidc_origins(settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]),
    ]
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}
    return provider


def test_an_agent_signs_in_with_the_provider_and_out_of_it(page, axe, live_server, idp):
    agent = AgentFactory(email="claire.martin@test.local", first_name="Claire", last_name="Martin")
    idp.add_person(sub="kc-claire", email=agent.email, password="mot-de-passe-du-fournisseur")

    page.goto(live_server.url + reverse("account_login"))
    assert_no_axe_violations(page, axe)
    page.get_by_role("button", name="Se connecter avec Keycloak de test").click()

    page.wait_for_url(re.compile(re.escape(idp.issuer) + r"/authorize\?"))
    page.get_by_label("Adresse e-mail").fill(agent.email)
    page.get_by_label("Mot de passe").fill("mot-de-passe-du-fournisseur")
    page.get_by_role("button", name="Valider").click()

    page.wait_for_url(live_server.url + reverse("intranet:home"))
    assert page.get_by_role("button", name=re.compile("Claire Martin")).is_visible()
    assert_no_axe_violations(page, axe)

    page.goto(live_server.url + reverse("account_logout"))
    page.get_by_role("button", name=re.compile("Se déconnecter|Déconnexion")).click()
    # Out of the provider too (RP-initiated logout), then back on our sign-in page.
    page.wait_for_url(re.compile(re.escape(live_server.url + reverse("account_login"))))
    assert idp.logouts
    assert idp.logouts[-1]["client_id"] == "maison-commune"
    page.goto(live_server.url + reverse("intranet:home"))
    assert page.url.startswith(live_server.url + reverse("account_login"))
    assert_no_console_errors(page)


def test_hr_past_the_grace_period_enrols_an_authenticator_app(page, axe, live_server):
    hr = AgentFactory(email="rh.navigateur@test.local", roles=["rh"])
    MFAGrace.objects.create(user=hr, started_at=timezone.now() - timedelta(days=30))
    page.goto(live_server.url + reverse("account_login"))
    page.get_by_label("Courriel").fill(hr.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    page.wait_for_url(live_server.url + reverse("mfa_index"))
    assert page.get_by_text("activez la double authentification").is_visible()
    assert_no_axe_violations(page, axe)

    page.goto(live_server.url + reverse("mfa_activate_totp"))
    if "/reauthenticate/" in page.url:
        assert_no_axe_violations(page, axe)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name=re.compile("Confirmer")).click()
        page.wait_for_url(re.compile(re.escape(reverse("mfa_activate_totp"))))
    assert_no_axe_violations(page, axe)
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Code de l'authentificateur").fill(totp(secret))
    page.get_by_role("button", name="Activer").click()
    page.wait_for_url(re.compile(r"/comptes/2fa/"))
    assert_no_axe_violations(page, axe)

    page.goto(live_server.url + "/annuaire/")
    assert page.url == live_server.url + "/annuaire/"
    assert_no_console_errors(page)


def test_the_sessions_page(page, axe, live_server, agent):
    login_as(page, live_server, agent)
    page.goto(live_server.url + reverse("usersessions_list"))
    assert_no_axe_violations(page, axe)
    assert_no_console_errors(page)


def test_hr_invites_a_partner_who_chooses_a_password(page, axe, live_server, rh, browser):
    import re as _re

    from intranet.models import OutgoingEmail

    login_as(page, live_server, rh)
    page.goto(live_server.url + reverse("identity:partner-list"))
    assert_no_axe_violations(page, axe)
    page.get_by_role("link", name="Inviter un partenaire").click()
    assert_no_axe_violations(page, axe)
    page.get_by_label("Adresse e-mail du partenaire").fill("intendant@lycee.fr")
    page.get_by_label("Prénom").fill("Marc")
    page.locator("#id_last_name").fill("Intendant")
    page.get_by_label("Organisme").fill("Lycée Jean-Moulin")
    page.get_by_label("Accès jusqu'au").fill((timezone.localdate() + timedelta(days=300)).isoformat())
    page.get_by_role("button", name="Envoyer l'invitation").click()
    page.wait_for_url(live_server.url + reverse("identity:partner-list"))
    assert page.get_by_text("Invitation envoyée à intendant@lycee.fr.").is_visible()
    assert page.get_by_text("invitation en attente").is_visible()
    assert_no_axe_violations(page, axe)

    page.goto(live_server.url + reverse("identity:partner-contacts"))
    page.get_by_label("Organisme partenaire").select_option("Lycée Jean-Moulin")
    page.get_by_label("Adresse e-mail de l'agent").fill(rh.email)
    page.get_by_label("À contacter pour").fill("Les agents du lycée")
    page.get_by_role("button", name="Ajouter", exact=True).click()
    assert page.get_by_text("Contact ajouté.").is_visible()
    assert_no_axe_violations(page, axe)
    assert_no_console_errors(page)

    link = _re.search(r"http\S+/partenaires/invitation/\S+/", OutgoingEmail.objects.latest("pk").text).group(0)
    partner_context = browser.new_context(locale="fr-FR")
    partner_page = partner_context.new_page()
    partner_page.goto(live_server.url + "/" + link.split("/", 3)[3])
    assert_no_axe_violations(partner_page, axe)
    partner_page.locator("#id_password1").fill("un-mot-de-passe-solide")
    partner_page.locator("#id_password2").fill("un-mot-de-passe-solide")
    partner_page.get_by_role("button", name="Choisir ce mot de passe").click()
    partner_page.wait_for_url(live_server.url + reverse("intranet:home"))
    assert partner_page.get_by_role("heading", name="Les contacts utiles de l'administration").is_visible()
    assert partner_page.get_by_text("Les agents du lycée").is_visible()
    assert_no_axe_violations(partner_page, axe)
    partner_context.close()


def _virtual_authenticator(page):
    """Chromium's virtual authenticator (DevTools' WebAuthn domain): a platform passkey that
    verifies the user and answers without a touch."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp


def test_hr_adds_a_passkey_then_signs_in_with_it(page, axe, live_server, settings):
    from allauth.mfa.models import Authenticator

    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # the live server speaks plain HTTP on localhost
    hr = AgentFactory(email="rh.cle@test.local", roles=["rh"])
    _virtual_authenticator(page)
    login_as(page, live_server, hr)

    page.goto(live_server.url + reverse("mfa_add_webauthn"))
    if "/reauthenticate/" in page.url:
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name=re.compile("Confirmer")).click()
        page.wait_for_url(re.compile(re.escape(reverse("mfa_add_webauthn"))))
    assert_no_axe_violations(page, axe)
    page.locator("#id_name").fill("Clé du bureau")
    page.locator("#id_passwordless").check()
    page.get_by_role("button", name="Ajouter", exact=True).click()
    page.wait_for_url(lambda url: reverse("mfa_add_webauthn") not in url)
    assert Authenticator.objects.filter(user=hr, type=Authenticator.Type.WEBAUTHN).exists()
    assert_no_axe_violations(page, axe)

    page.context.clear_cookies()
    page.goto(live_server.url + reverse("account_login"))
    assert_no_axe_violations(page, axe)
    page.get_by_role("button", name="Utiliser une clé d'accès").click()
    page.wait_for_url(live_server.url + reverse("intranet:home"))
    assert page.get_by_role("button", name=re.compile(hr.get_full_name())).is_visible()
    assert_no_console_errors(page)
