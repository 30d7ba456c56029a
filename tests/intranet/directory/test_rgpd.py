"""RGPD: "mes données" (the JSON export) and the anonymisation of departed agents."""

import datetime
import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from intranet import images
from intranet.directory.services.profile import agent_profile_update
from intranet.directory.services.rgpd import agent_anonymise, agent_data_export, agents_anonymise_departed
from intranet.models import Agent, AuditLogEntry, OutgoingEmail
from intranet.registry import Anonymiser, DataExporter, register, registry
from intranet.services import audit_log_record
from tests.factories import AgentFactory, SkillFactory
from tests.intranet.directory.images import image_bytes, upload

pytestmark = pytest.mark.django_db


# --- Mes données --------------------------------------------------------------------------


def test_export_holds_profile_skills_roles_and_audit_entries(agent, rh):
    agent.skills.add(SkillFactory(name="Paie"))
    agent.groups.add(Group.objects.get(name="communication"))
    audit_log_record(actor=rh, action="agent.update", target=agent, details={"fields": ["phone"]})
    audit_log_record(actor=agent, action="account.login", ip_address="10.0.0.7")
    audit_log_record(actor=rh, action="agent.update", target=rh)  # not about them
    data = agent_data_export(agent=agent, user=agent)
    assert data["profile"]["email"] == "agent@test.local"
    assert data["profile"]["last_name"] == "Dupont"
    assert data["profile"]["org_unit"] == "Service des ressources humaines"
    assert data["profile"]["manager"] == "Martine Encadrante"
    assert data["skills"] == ["Paie"]
    assert data["groups"] == ["communication"]
    assert "agent" in data["roles"]
    assert [(e["action"], e["ip_address"]) for e in data["audit_log"]] == [
        ("agent.update", None),
        ("account.login", "10.0.0.7"),
    ]
    exported = AuditLogEntry.objects.filter(action="agent.data_export").get()
    assert (exported.actor, exported.target_id) == (agent, str(agent.pk))


def test_other_apps_add_their_data_through_the_registry(agent, monkeypatch):
    monkeypatch.setattr(registry, "data_exporters", {})
    register(DataExporter(key="surveys", export=lambda a: {"invitations": 2, "agent": a.pk}))
    assert agent_data_export(agent=agent, user=agent)["surveys"] == {"invitations": 2, "agent": agent.pk}


def test_download_is_a_json_attachment(client, agent):
    client.force_login(agent)
    response = client.get(reverse("directory:my-data-download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="mes-donnees.json"'
    assert json.loads(response.content)["profile"]["first_name"] == "Hélène"


def test_my_data_page_explains_and_links_the_download(client, agent):
    client.force_login(agent)
    html = client.get(reverse("directory:my-data")).content.decode()
    assert "Mes données personnelles" in html
    assert reverse("directory:my-data-download") in html
    assert "365 jours" in html


# --- Anonymisation ------------------------------------------------------------------------


@pytest.fixture
def departed(agent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        agent_profile_update(
            agent=agent,
            user=agent,
            data={
                "photo": upload(image_bytes("PNG")),
                "missions": "Paie des agents",
                "phone": "03 83 11 22 33",
                "mobile": "06 11 22 33 44",
                "new_skills": ["Paie"],
            },
        )
    agent.arrival_date = datetime.date(2015, 4, 12)
    agent.departure_date = timezone.localdate() - datetime.timedelta(days=400)
    agent.save(update_fields=["arrival_date", "departure_date"])
    return agent


def test_anonymise_removes_everything_that_identifies(departed, rh, manager, unit, django_capture_on_commit_callbacks):
    rh.first_name, rh.last_name = "Inès", "Marchand"  # never a namesake of the departed agent (random names)
    rh.save(update_fields=["first_name", "last_name"])
    report = AgentFactory(manager=departed)
    unit.head = departed
    unit.save(update_fields=["head"])
    EmailAddress.objects.create(user=departed, email=departed.email, primary=True, verified=True)
    OutgoingEmail.objects.create(to=departed.email, subject="s", text="t", kind="test")
    audit_log_record(actor=departed, action="account.login", ip_address="10.0.0.9")
    audit_log_record(actor=rh, action="agent.update", target=departed)
    photo = departed.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        agent_anonymise(agent=departed, user=rh)

    agent = Agent.objects.get(pk=departed.pk)
    assert str(agent) == "Agent anonymisé"
    assert agent.email == f"agent-anonymise-{agent.pk}@anonyme.invalid"
    assert (agent.matricule, agent.phone, agent.mobile, agent.missions, agent.job_title) == (None, "", "", "", "")
    assert (agent.org_unit, agent.site, agent.manager) == (None, None, None)
    assert not agent.photo
    assert not agent.skills.exists()
    assert not agent.groups.exists()
    assert agent.arrival_date == datetime.date(2015, 1, 1)
    assert agent.departure_date.month == agent.departure_date.day == 1
    assert not agent.is_active
    assert not agent.has_usable_password()
    assert agent.anonymised_at is not None
    for name in [photo, *(images.thumbnail_name(photo, s) for s in images.THUMBNAIL_SIZES)]:
        assert not default_storage.exists(name)
    report.refresh_from_db()
    unit.refresh_from_db()
    assert report.manager is None  # the report stays, the link goes
    assert unit.head is None
    assert not EmailAddress.objects.filter(email__icontains="agent@test.local").exists()
    assert not OutgoingEmail.objects.filter(to="agent@test.local").exists()
    # The audit log keeps its entries but nothing that names them.
    everything = " ".join(
        f"{e.actor_label} {e.target_label} {e.ip_address} {e.details}" for e in AuditLogEntry.objects.all()
    )
    assert "Dupont" not in everything
    assert "Hélène" not in everything
    assert "10.0.0.9" not in everything
    entry = AuditLogEntry.objects.get(action="agent.anonymise")
    assert (entry.actor, entry.target_label) == (rh, f"Agent anonymisé #{agent.pk}")


def test_anonymise_is_refused_without_a_departure_date(agent, rh):
    with pytest.raises(ValidationError, match="pas de date de départ"):
        agent_anonymise(agent=agent, user=rh)


def test_anonymise_is_refused_during_the_retention_period(agent, rh, settings):
    settings.AGENT_RETENTION_DAYS = 365
    agent.departure_date = timezone.localdate() - datetime.timedelta(days=100)
    agent.save(update_fields=["departure_date"])
    with pytest.raises(ValidationError, match="n'est pas écoulée"):
        agent_anonymise(agent=agent, user=rh)
    agent.refresh_from_db()
    assert agent.last_name == "Dupont"


def test_the_retention_period_comes_from_the_settings(agent, rh, settings):
    agent.departure_date = timezone.localdate() - datetime.timedelta(days=100)
    agent.save(update_fields=["departure_date"])
    settings.AGENT_RETENTION_DAYS = 90
    agent_anonymise(agent=agent, user=rh)
    agent.refresh_from_db()
    assert agent.anonymised_at is not None


def test_anonymise_page_refuses_in_french_then_anonymises_with_confirmation(client, rh, agent, departed):
    client.force_login(rh)
    url = reverse("directory:agent-anonymise", kwargs={"pk": departed.pk})
    assert "Je confirme" in client.get(url).content.decode()
    response = client.post(url, {})
    assert "Cochez la case de confirmation" in response.content.decode()
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    departed.refresh_from_db()
    assert departed.anonymised_at is not None
    html = client.get(url).content.decode()
    assert "Cet agent est déjà anonymisé." in html


def test_anonymise_page_shows_why_not_yet(client, rh, manager):
    manager.departure_date = timezone.localdate()
    manager.save(update_fields=["departure_date"])
    client.force_login(rh)
    url = reverse("directory:agent-anonymise", kwargs={"pk": manager.pk})
    html = client.get(url).content.decode()
    assert "La durée de conservation (365 jours après le départ) n&#x27;est pas écoulée" in html
    response = client.post(url, {"confirm": "on"})
    assert "n&#x27;est pas écoulée" in response.content.decode()
    manager.refresh_from_db()
    assert manager.anonymised_at is None


def test_command_anonymises_the_departed_and_dry_run_changes_nothing(departed, manager, capsys):
    manager.departure_date = timezone.localdate()  # still within the retention period
    manager.save(update_fields=["departure_date"])
    call_command("anonymise_departed_agents", "--dry-run")
    assert "1 agent(s) à anonymiser" in capsys.readouterr().out
    departed.refresh_from_db()
    assert departed.anonymised_at is None
    call_command("anonymise_departed_agents")
    assert "1 agent(s) anonymisé(s)" in capsys.readouterr().out
    departed.refresh_from_db()
    manager.refresh_from_db()
    assert departed.anonymised_at is not None
    assert manager.anonymised_at is None
    assert agents_anonymise_departed() == []  # nothing left to do
    assert AuditLogEntry.objects.get(action="agent.anonymise").actor is None


def test_other_apps_anonymisers_run_with_the_anonymised_label(departed, rh, monkeypatch):
    monkeypatch.setattr(registry, "anonymisers", {})
    seen = []
    register(Anonymiser(key="actions", anonymise=lambda agent, label: seen.append((agent.pk, agent.last_name, label))))
    agent_anonymise(agent=departed, user=rh)
    assert seen == [(departed.pk, "anonymisé", f"Agent anonymisé #{departed.pk}")]
