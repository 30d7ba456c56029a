"""Profiles: the agent edits their own, HR edits any agent (audited), the yearly confirmation."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from intranet import images
from intranet.directory.services.profile import MAX_SKILLS, agent_details_confirm, agent_profile_update
from intranet.models import AuditLogEntry, Skill
from tests.factories import AgentFactory, OrgUnitFactory, SiteFactory, SkillFactory
from tests.intranet.directory.images import image_bytes, upload

pytestmark = pytest.mark.django_db


# --- The service --------------------------------------------------------------------------


def test_agent_updates_own_missions_skills_and_visibility_without_audit(agent):
    existing = SkillFactory(name="Comptabilité publique")
    changed = agent_profile_update(
        agent=agent,
        user=agent,
        data={
            "missions": "  Instruire les dossiers  ",
            "skills": [existing],
            "new_skills": ["Marchés publics"],
            "show_phone": False,
            "show_mobile": True,
        },
    )
    agent.refresh_from_db()
    assert sorted(changed) == ["missions", "show_mobile", "show_phone", "skills"]
    assert agent.missions == "Instruire les dossiers"
    assert sorted(agent.skills.values_list("name", flat=True)) == ["Comptabilité publique", "Marchés publics"]
    assert agent.details_confirmed_at is not None  # saving one's profile confirms it
    assert not AuditLogEntry.objects.exists()


def test_a_new_skill_typed_again_reuses_the_existing_one(agent):
    SkillFactory(name="Comptabilité publique")
    agent_profile_update(agent=agent, user=agent, data={"new_skills": ["comptabilité  PUBLIQUE"]})
    assert Skill.objects.count() == 1
    assert list(agent.skills.values_list("name", flat=True)) == ["Comptabilité publique"]


def test_skills_are_limited(agent):
    names = [f"Savoir {n}" for n in range(MAX_SKILLS + 1)]
    with pytest.raises(ValidationError, match=f"{MAX_SKILLS} compétences au plus"):
        agent_profile_update(agent=agent, user=agent, data={"new_skills": names})
    assert not agent.skills.exists()


def test_agent_cannot_change_their_job_or_unit(agent):
    other = OrgUnitFactory()
    changed = agent_profile_update(agent=agent, user=agent, data={"job_title": "Directeur", "org_unit": other})
    agent.refresh_from_db()
    assert changed == []
    assert agent.job_title == "Gestionnaire administratif"
    assert agent.org_unit != other


def test_agent_cannot_edit_a_colleague(agent, manager):
    with pytest.raises(PermissionDenied):
        agent_profile_update(agent=agent, user=manager, data={"missions": "x"})


def test_hr_edits_everything_and_the_audit_log_names_the_fields_not_the_values(agent, rh):
    unit, site, boss = OrgUnitFactory(), SiteFactory(), AgentFactory()
    changed = agent_profile_update(
        agent=agent,
        user=rh,
        data={
            "job_title": "Cheffe de projet",
            "org_unit": unit,
            "site": site,
            "manager": boss,
            "arrival_date": datetime.date(2020, 3, 1),
            "status": "titulaire",
            "category": "A",
            "phone": "03 83 00 00 00",
        },
    )
    agent.refresh_from_db()
    assert (agent.job_title, agent.org_unit, agent.site, agent.manager) == ("Cheffe de projet", unit, site, boss)
    assert agent.details_confirmed_at is None  # HR's edit is not the agent's confirmation
    entry = AuditLogEntry.objects.get()
    assert (entry.actor, entry.action, entry.target_id) == (rh, "agent.update", str(agent.pk))
    assert entry.details == {"fields": sorted(changed)}
    assert "03 83" not in str(entry.details)


def test_a_manager_loop_is_refused(agent, manager, rh):
    with pytest.raises(ValidationError, match="son propre responsable"):
        agent_profile_update(agent=manager, user=rh, data={"manager": agent})


def test_a_new_photo_replaces_the_old_files_after_the_commit(agent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        agent_profile_update(agent=agent, user=agent, data={"photo": upload(image_bytes("PNG"))})
    first = agent.photo.name
    assert default_storage.exists(images.thumbnail_name(first, 160))
    with django_capture_on_commit_callbacks(execute=True):
        agent_profile_update(agent=agent, user=agent, data={"photo": upload(image_bytes("WEBP"), name="b.webp")})
    assert agent.photo.name != first
    assert agent.photo.name.endswith(".jpg")
    assert not default_storage.exists(first)
    assert not default_storage.exists(images.thumbnail_name(first, 160))


def test_removing_the_photo_deletes_its_files(agent, django_capture_on_commit_callbacks):
    agent_profile_update(agent=agent, user=agent, data={"photo": upload(image_bytes("PNG"))})
    name = agent.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        agent_profile_update(agent=agent, user=agent, data={"remove_photo": True})
    agent.refresh_from_db()
    assert not agent.photo
    assert not default_storage.exists(name)


def test_confirm_sets_the_date(agent):
    agent_details_confirm(agent=agent, user=agent)
    assert agent.details_confirmed_at is not None


# --- The pages ----------------------------------------------------------------------------


def test_profile_page_shows_the_form_in_french_and_the_completion(client, agent):
    client.force_login(agent)
    response = client.get(reverse("directory:profile-edit"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mon profil" in html
    assert 'for="id_missions"' in html
    assert "Complétude du profil" in html
    assert f'href="{reverse("directory:profile-edit")}#id_photo"' in html  # a missing field links to its field
    assert "Coordonnées jamais confirmées" in html


def test_agent_uploads_a_photo_and_edits_missions(client, agent):
    client.force_login(agent)
    response = client.post(
        reverse("directory:profile-edit"),
        {
            "photo": upload(image_bytes("PNG", gps=True)),
            "missions": "Accueillir le public",
            "show_phone": "on",
            "show_photo": "on",
            "new_skills": "Accueil, Langue des signes",
        },
    )
    assert response.status_code == 302
    agent.refresh_from_db()
    assert agent.missions == "Accueillir le public"
    assert agent.photo.name.endswith(".jpg")
    assert agent.skills.count() == 2
    page = client.get(reverse("directory:profile-edit")).content.decode()
    assert "Votre profil est enregistré." in page
    assert images.photo_thumbnail_url(agent, 160) in page


def test_an_html_file_named_jpg_is_refused_with_the_french_message(client, agent):
    client.force_login(agent)
    response = client.post(
        reverse("directory:profile-edit"),
        {
            "photo": upload(b"<html><body>pas une image</body></html>", name="photo.jpg", content_type="image/jpeg"),
            "missions": "x",
        },
    )
    assert response.status_code == 200
    assert "Ce fichier n&#x27;est pas une image JPEG, PNG ou WebP." in response.content.decode()
    agent.refresh_from_db()
    assert not agent.photo
    assert agent.missions == ""


def test_an_oversized_upload_is_refused_with_the_french_message(client, agent):
    client.force_login(agent)
    response = client.post(
        reverse("directory:profile-edit"),
        {
            "photo": upload(image_bytes("PNG") + b"\0" * (5 * 1024 * 1024 + 1)),
        },
    )
    assert response.status_code == 200
    assert "L&#x27;image dépasse 5 Mo." in response.content.decode()


def test_too_many_skills_is_a_form_error(client, agent):
    client.force_login(agent)
    names = ", ".join(f"Savoir {n}" for n in range(MAX_SKILLS + 1))
    response = client.post(reverse("directory:profile-edit"), {"new_skills": names})
    assert response.status_code == 200
    assert f"Vous pouvez indiquer {MAX_SKILLS} compétences au plus." in response.content.decode()


def test_hr_edit_page_has_every_field_and_saves(client, agent, rh, manager):
    client.force_login(rh)
    url = reverse("directory:agent-edit", kwargs={"pk": agent.pk})
    html = client.get(url).content.decode()
    for field in (
        "first_name",
        "email",
        "matricule",
        "job_title",
        "org_unit",
        "site",
        "manager_email",
        "arrival_date",
        "departure_date",
        "status",
        "category",
        "photo",
        "missions",
    ):
        assert f'id="id_{field}"' in html, field
    assert 'value="manager@test.local"' in html
    response = client.post(
        url,
        {
            "first_name": "Hélène",
            "last_name": "Dupont-Martin",
            "email": "AGENT@test.local",
            "matricule": "",
            "job_title": "Gestionnaire paie",
            "manager_email": "",
            "status": "contractuel",
            "category": "B",
            "arrival_date": "2021-09-01",
            "departure_date": "",
            "show_phone": "on",
        },
    )
    assert response.status_code == 302
    agent.refresh_from_db()
    assert (agent.last_name, agent.job_title, agent.manager, agent.matricule) == (
        "Dupont-Martin",
        "Gestionnaire paie",
        None,
        None,
    )
    assert agent.arrival_date == datetime.date(2021, 9, 1)
    assert AuditLogEntry.objects.filter(action="agent.update", actor=rh).count() == 1


def test_hr_form_errors_are_in_french(client, agent, rh, manager):
    client.force_login(rh)
    response = client.post(
        reverse("directory:agent-edit", kwargs={"pk": agent.pk}),
        {
            "first_name": "",
            "last_name": "Dupont",
            "email": manager.email,
            "manager_email": "inconnu@test.local",
            "arrival_date": "2022-01-01",
            "departure_date": "2021-01-01",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in html
    assert "Un autre agent a déjà cette adresse e-mail." in html
    assert "Aucun agent actif n&#x27;a cette adresse e-mail." in html
    assert "La date de départ précède la date d&#x27;arrivée." in html


def test_an_anonymised_agent_cannot_be_edited(client, agent, rh):
    agent.anonymised_at = timezone.now()
    agent.save(update_fields=["anonymised_at"])
    client.force_login(rh)
    assert client.get(reverse("directory:agent-edit", kwargs={"pk": agent.pk})).status_code == 404


# --- The yearly confirmation ---------------------------------------------------------------


def test_home_slot_asks_a_stale_profile_to_confirm_then_goes(client, agent):
    agent.details_confirmed_at = timezone.now() - datetime.timedelta(days=400)
    agent.save(update_fields=["details_confirmed_at"])
    client.force_login(agent)
    home = client.get(reverse("intranet:home")).content.decode()
    assert "Vos coordonnées sont-elles à jour ?" in home
    assert reverse("directory:profile-confirm") in home
    response = client.post(reverse("directory:profile-confirm"), {"next": reverse("intranet:home")})
    assert response.status_code == 302
    assert response["Location"] == reverse("intranet:home")
    agent.refresh_from_db()
    assert timezone.now() - agent.details_confirmed_at < datetime.timedelta(minutes=1)
    assert "Vos coordonnées sont-elles à jour ?" not in client.get(reverse("intranet:home")).content.decode()


def test_home_slot_is_hidden_for_a_profile_confirmed_this_year(client, agent):
    agent.details_confirmed_at = timezone.now() - datetime.timedelta(days=300)
    agent.save(update_fields=["details_confirmed_at"])
    client.force_login(agent)
    assert "Vos coordonnées sont-elles à jour ?" not in client.get(reverse("intranet:home")).content.decode()


def test_confirm_refuses_an_outside_next(client, agent):
    client.force_login(agent)
    response = client.post(reverse("directory:profile-confirm"), {"next": "https://example.com/"})
    assert response["Location"] == reverse("intranet:home")
