"""Active Directory / LDAP against a real OpenLDAP (Debian's slapd) started by the tests, with a
fixture tree of 300 agents in 6 services: sign-in with the directory password, and the directory
sync's dry run, creations, updates, managers, deactivations and the HR import's rules."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from identity import ldap
from identity.models import DirectoryLink
from intranet.models import Agent, AuditLogEntry, OrgUnit
from tests.conftest import skip_or_fail
from tests.factories import AgentFactory, OrgUnitFactory
from tests.identity import slapd as slapd_harness

pytestmark = pytest.mark.services
BASE = f"ou=Agents,{slapd_harness.SUFFIX}"
SERVICES = ["Ressources humaines", "Voirie", "Finances", "Lycées", "Communication", "Informatique"]
PEOPLE = 300
SERVICE_PASSWORD = "lecteur-annuaire"  # noqa: S105


def _dn(n: int) -> str:
    return f"uid=agent{n:03d},ou={SERVICES[n % len(SERVICES)]},{BASE}"


@pytest.fixture(scope="module")
def directory():
    reason = slapd_harness.available()
    if reason:
        skip_or_fail(reason)
    server = slapd_harness.Slapd().start()
    connection = server.connection()
    connection.add(slapd_harness.SUFFIX, ["dcObject", "organization"], {"o": "Exemple", "dc": "exemple"})
    connection.add(BASE, ["organizationalUnit"], {"ou": "Agents"})
    connection.add(
        f"cn=lecteur,{slapd_harness.SUFFIX}",
        ["simpleSecurityObject", "organizationalRole"],
        {"cn": "lecteur", "userPassword": SERVICE_PASSWORD},
    )
    for service in SERVICES:
        connection.add(f"ou={service},{BASE}", ["organizationalUnit"], {"ou": service})
    for n in range(PEOPLE):
        attributes = {
            "uid": f"agent{n:03d}",
            "cn": f"Prénom{n} Nom{n}",
            "givenName": f"Prénom{n}",
            "sn": f"Nom{n}",
            "mail": f"agent{n:03d}@exemple.fr",
            "employeeNumber": f"AD{n:05d}",
            "title": "Agent d'exploitation" if n % 2 else "Gestionnaire",
            "telephoneNumber": f"03 87 00 {n // 100:02d} {n % 100:02d}",
            "userPassword": f"windows-{n}",
        }
        if n >= len(SERVICES):  # the first agent of each service heads it: the others report to them
            attributes["manager"] = _dn(n % len(SERVICES))
        assert connection.add(_dn(n), ["inetOrgPerson"], attributes), connection.result
    connection.unbind()
    yield server
    server.stop()


@pytest.fixture
def ldap_settings(db, settings, directory):
    settings.LDAP_SERVER_URI = directory.uri
    settings.LDAP_BIND_DN = f"cn=lecteur,{slapd_harness.SUFFIX}"
    settings.LDAP_BIND_PASSWORD = SERVICE_PASSWORD
    settings.LDAP_USER_BASE = BASE
    settings.LDAP_USER_FILTER = "(&(objectClass=inetOrgPerson)(mail=*))"
    settings.LDAP_HR_FIELDS = []
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "identity.ldap.LDAPBackend"]
    for service in SERVICES:
        OrgUnitFactory(name=service)
    return settings


def test_a_dry_run_reports_and_writes_nothing(ldap_settings):
    report = ldap.directory_sync(dry_run=True)
    assert report.seen == PEOPLE
    assert len(report.created) == PEOPLE
    assert not Agent.objects.exists()
    assert not DirectoryLink.objects.exists()
    assert "Simulation : rien n'a été écrit." in report.lines()


def test_the_sync_creates_agents_with_their_unit_and_manager(ldap_settings):
    report = ldap.directory_sync(dry_run=False)
    assert len(report.created) == PEOPLE
    assert not report.warnings
    agent = Agent.objects.get(email="agent013@exemple.fr")
    assert (agent.first_name, agent.last_name, agent.matricule) == ("Prénom13", "Nom13", "AD00013")
    assert agent.org_unit == OrgUnit.objects.get(name=SERVICES[13 % 6])
    assert agent.manager.email == "agent001@exemple.fr"
    assert not agent.has_usable_password()
    assert AuditLogEntry.objects.filter(action="directory.sync").count() == 1
    # Run again: nothing changes.
    again = ldap.directory_sync(dry_run=False)
    assert (len(again.created), len(again.updated), again.unchanged) == (0, 0, PEOPLE)


def test_the_sync_matches_hr_agents_and_keeps_what_is_theirs(ldap_settings):
    ldap_settings.LDAP_HR_FIELDS = ["job_title"]
    known = AgentFactory(
        matricule="AD00007",
        email="ancienne.adresse@exemple.fr",
        job_title="Cheffe d'équipe (RH)",
        missions="Les miennes",
    )
    ldap.directory_sync(dry_run=False)
    known.refresh_from_db()
    assert known.email == "agent007@exemple.fr"  # matched by matricule, the directory's address wins
    assert known.job_title == "Cheffe d'équipe (RH)"  # HR's field: never overwritten
    assert known.missions == "Les miennes"  # the agent's own words: never touched
    assert Agent.objects.count() == PEOPLE


def test_the_sync_updates_and_deactivates_but_never_deletes(ldap_settings, directory):
    ldap.directory_sync(dry_run=False)
    someone = Agent.objects.get(email="agent042@exemple.fr")
    session = Client()
    session.force_login(someone)
    from allauth.usersessions.models import UserSession

    UserSession.objects.create(user=someone, ip="127.0.0.1", session_key=session.session.session_key)
    connection = directory.connection()
    connection.modify(_dn(43), {"title": [("MODIFY_REPLACE", ["Responsable de la voirie"])]})
    connection.delete(_dn(42))
    try:
        report = ldap.directory_sync(dry_run=False)
    finally:
        connection.add(
            _dn(42),
            ["inetOrgPerson"],
            {
                "uid": "agent042",
                "cn": "x",
                "givenName": "Prénom42",
                "sn": "Nom42",
                "mail": "agent042@exemple.fr",
                "employeeNumber": "AD00042",
                "title": "Gestionnaire",
                "telephoneNumber": "03 87 00 00 42",
                "userPassword": "windows-42",
                "manager": _dn(0),
            },
        )
        connection.modify(_dn(43), {"title": [("MODIFY_REPLACE", ["Agent d'exploitation"])]})
        connection.unbind()
    assert report.deactivated == ["Prénom42 Nom42 <agent042@exemple.fr>"]
    assert any("agent043" in line and "job_title" in line for line in report.updated)
    someone.refresh_from_db()
    assert not someone.is_active
    assert Agent.objects.count() == PEOPLE  # deactivated, not deleted
    assert session.get(reverse("intranet:home")).status_code == 302  # signed out at once


def test_the_command_prints_the_report(ldap_settings, capsys):
    call_command("sync_directory", "--dry-run")
    out = capsys.readouterr().out
    assert "Entrées lues : 300" in out
    assert not Agent.objects.exists()


def test_an_agent_signs_in_with_the_windows_password(ldap_settings):
    ldap.directory_sync(dry_run=False)
    client = Client()
    response = client.post(reverse("account_login"), {"login": "agent005@exemple.fr", "password": "windows-5"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(Agent.objects.get(email="agent005@exemple.fr").pk)


def test_a_wrong_windows_password_is_refused_and_counts_for_the_rate_limit(ldap_settings):
    ldap.directory_sync(dry_run=False)
    client = Client()
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": "agent006@exemple.fr", "password": "mauvais"})
        assert "_auth_user_id" not in client.session
    response = client.post(reverse("account_login"), {"login": "agent006@exemple.fr", "password": "windows-6"})
    assert "_auth_user_id" not in client.session
    assert "Trop de tentatives de connexion" in response.text


def test_the_directory_password_never_creates_an_agent(ldap_settings):
    client = Client()
    client.post(reverse("account_login"), {"login": "agent008@exemple.fr", "password": "windows-8"})
    assert "_auth_user_id" not in client.session
    assert not Agent.objects.exists()


def test_with_starttls_required_a_directory_without_tls_gets_no_password(ldap_settings):
    ldap.directory_sync(dry_run=False)
    ldap_settings.LDAP_START_TLS = True  # this test slapd has no certificate: StartTLS fails
    client = Client()
    client.post(reverse("account_login"), {"login": "agent005@exemple.fr", "password": "windows-5"})
    assert "_auth_user_id" not in client.session
