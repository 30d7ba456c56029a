"""Partners: HR or communication invites them by e-mail (a link valid a few days), with an end
date and a yearly reconfirmation; expired partners cannot sign in; the list shows their last
sign-in; the partner's home shows the contacts HR chose for their organisation."""

import re
import time
from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from identity import partners
from identity.models import PartnerAccess, PartnerContact
from intranet.models import Agent, OutgoingEmail
from tests.factories import PASSWORD, AgentFactory

LIST = reverse("identity:partner-list")
INVITE = reverse("identity:partner-invite")
LOGIN = reverse("account_login")
HOME = reverse("intranet:home")


def _invite(client, email="proviseur@lycee.fr", expires_on=None):
    expires_on = expires_on or timezone.localdate() + timedelta(days=200)
    return client.post(
        INVITE,
        {
            "email": email,
            "first_name": "Anne",
            "last_name": "Proviseur",
            "organisation": "Lycée Jean-Moulin",
            "expires_on": expires_on.isoformat(),
        },
    )


def _link_in_last_mail() -> str:
    mail = OutgoingEmail.objects.latest("pk")
    return re.search(r"https?://\S+/partenaires/invitation/\S+/", mail.text).group(0)


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_hr_invites_a_partner_who_sets_a_password_and_lands_on_the_extranet(client, rh):
    client.force_login(rh)
    response = _invite(client)
    assert response["Location"] == LIST
    partner = Agent.objects.get(email="proviseur@lycee.fr")
    assert partner.is_external
    assert not partner.has_usable_password()
    access = partner.partner_access
    assert (access.service, access.invited_by) == ("rh", rh)
    mail = OutgoingEmail.objects.get(to="proviseur@lycee.fr")
    assert "5 jours" in mail.text

    visitor = Client()
    link = _path(_link_in_last_mail())
    page = visitor.get(link)
    assert "Bienvenue, Anne Proviseur" in page.text
    response = visitor.post(link, {"password1": "un-mot-de-passe-solide", "password2": "un-mot-de-passe-solide"})
    assert response["Location"] == HOME
    assert "Votre espace partenaire" in visitor.get(HOME).text

    assert visitor.get(link).status_code == 404  # the link works once
    assert Client().post(LOGIN, {"login": partner.email, "password": "un-mot-de-passe-solide"}).status_code == 302


def test_communication_invites_too(client, communication):
    client.force_login(communication)
    _invite(client)
    assert PartnerAccess.objects.get().service == "communication"


def test_an_agent_cannot_invite(client, agent):
    client.force_login(agent)
    assert _invite(client).status_code == 403
    assert not PartnerAccess.objects.exists()


def test_an_existing_address_or_a_past_end_date_is_refused_in_french(client, rh, agent):
    client.force_login(rh)
    response = _invite(client, email=agent.email)
    assert "Un compte existe déjà avec cette adresse." in response.text
    response = _invite(client, email="x@lycee.fr", expires_on=timezone.localdate() - timedelta(days=1))
    assert "doit être dans le futur" in response.text


def test_the_link_is_valid_a_few_days_only(client, rh, monkeypatch):
    client.force_login(rh)
    real = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real() - (partners.INVITATION_DAYS * 24 + 1) * 3600)
    _invite(client)
    monkeypatch.setattr(signing.time, "time", real)
    page = Client().get(_path(_link_in_last_mail()))
    assert page.status_code == 404
    assert "Ce lien d'invitation n'est plus valable" in page.text


def test_a_tampered_link_is_refused(client, rh):
    client.force_login(rh)
    _invite(client)
    link = _path(_link_in_last_mail())
    assert Client().get(link[:-3] + "xx/").status_code == 404


def _partner(*, expires_in_days=100, confirmed_days_ago=0, organisation="Lycée Jean-Moulin"):
    partner = AgentFactory(is_external=True, organisation=organisation)
    PartnerAccess.objects.create(
        partner=partner,
        service="rh",
        expires_on=timezone.localdate() + timedelta(days=expires_in_days),
        confirmed_at=timezone.now() - timedelta(days=confirmed_days_ago),
        accepted_at=timezone.now(),
    )
    return partner


def test_an_expired_partner_cannot_sign_in(client, db):
    partner = _partner(expires_in_days=-1)
    response = client.post(LOGIN, {"login": partner.email, "password": PASSWORD}, follow=True)
    assert "_auth_user_id" not in client.session
    assert "a pris fin le" in response.text


def test_a_partner_not_reconfirmed_for_a_year_cannot_sign_in_until_reconfirmed(client, rh):
    partner = _partner(confirmed_days_ago=400)
    client.post(LOGIN, {"login": partner.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session

    hr = Client()
    hr.force_login(rh)
    hr.post(reverse("identity:partner-reconfirm", args=[partner.partner_access.pk]))

    client.post(LOGIN, {"login": partner.email, "password": PASSWORD})
    assert int(client.session["_auth_user_id"]) == partner.pk


def test_expiry_signs_partners_out(db):
    partner = _partner(expires_in_days=-1)
    session = Client()
    session.force_login(partner)
    from allauth.usersessions.models import UserSession

    UserSession.objects.create(user=partner, ip="127.0.0.1", session_key=session.session.session_key)
    assert partners.partners_expire(today=timezone.localdate()) == 1
    assert session.get(HOME).status_code == 302


def test_the_list_shows_last_sign_in_and_end_of_access_in_constant_queries(client, rh, django_assert_max_num_queries):
    first = _partner()
    first.last_login = timezone.now()
    first.save(update_fields=["last_login"])
    client.force_login(rh)
    client.get(LIST)  # warm the session and caches
    with django_assert_max_num_queries(12) as few:
        client.get(LIST)
    for _ in range(5):
        _partner(organisation="Lycée Schuman")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(LIST)
    assert first.get_full_name() in page.text
    assert "jamais" in page.text  # the others never signed in
    assert "Lycée Schuman" in page.text
    assert "à confirmer avant le" not in page.text  # confirmed today: nothing due
    late = _partner(confirmed_days_ago=330)
    page = client.get(LIST)
    assert "à confirmer avant le" in page.text
    assert late.get_full_name() in page.text


def test_a_partner_sees_the_contacts_hr_chose_for_their_organisation(client, rh):
    contact = AgentFactory(first_name="Paul", last_name="Gestionnaire", email="paul@test.local")
    partner = _partner()
    other = _partner(organisation="Lycée Schuman")
    hr = Client()
    hr.force_login(rh)
    hr.post(
        reverse("identity:partner-contacts"),
        {"organisation": "Lycée Jean-Moulin", "agent_email": contact.email, "role": "Paie des agents TOS"},
    )
    assert PartnerContact.objects.get().agent == contact

    client.force_login(partner)
    home = client.get(HOME).text
    assert "Les contacts utiles de l&#x27;administration" in home
    assert "Paul Gestionnaire" in home
    assert "Paie des agents TOS" in home
    client.force_login(other)
    assert "Paul Gestionnaire" not in client.get(HOME).text


def test_an_unknown_agent_cannot_be_a_contact(client, rh):
    _partner()
    client.force_login(rh)
    response = client.post(
        reverse("identity:partner-contacts"),
        {"organisation": "Lycée Jean-Moulin", "agent_email": "personne@test.local", "role": ""},
    )
    assert "Aucun agent actif n&#x27;a cette adresse." in response.text


@pytest.mark.services
def test_an_expired_partner_cannot_sign_in_with_the_provider_either(client, configure_oidc):
    from tests.identity.flows import sign_in

    partner = _partner(expires_in_days=-1)
    provider = configure_oidc()
    provider.add_person(sub="pc-1", email=partner.email, password="x")
    sign_in(client, provider, partner.email)
    assert "_auth_user_id" not in client.session
