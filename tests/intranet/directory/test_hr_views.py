"""HR's import pages through the test client: upload → preview → apply, never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from intranet.models import Agent, AuditLogEntry, OrgUnit
from tests.intranet.directory.importfiles import agent_row, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


def upload(client, content, name="agents.csv"):
    response = client.post(reverse("directory:hr-import"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def test_upload_preview_apply(client, rh, unit, site):
    client.force_login(rh)
    content = csv_bytes(
        [
            agent_row("P001", "Lefèvre", "Hélène", manager="P002"),
            agent_row("P002", "Durand", "Paul"),
            agent_row("P003", email="faux", arrival="32/13/2024"),
        ]
    )
    preview_url = upload(client, content)

    page = client.get(preview_url).content.decode()
    assert "2 nouveaux agents" in page
    assert "1 ligne en erreur" in page
    assert "E-mail « faux » invalide." in page
    assert "Date d&#x27;arrivée « 32/13/2024 » invalide : format attendu JJ/MM/AAAA" in page
    assert not Agent.objects.filter(matricule__startswith="P").exists()  # the preview writes nothing

    token = preview_url.rstrip("/").rsplit("/", 1)[-1]
    response = client.post(reverse("directory:hr-import-apply", kwargs={"token": token}))
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 agent(s) créé(s), 0 modifié(s), 0 inchangé(s), 1 ligne(s) en erreur ignorée(s)." in page
    assert "Ligne 4 (P003)" in page
    assert Agent.objects.get(matricule="P001").manager.matricule == "P002"
    assert AuditLogEntry.objects.filter(action="agent.import", actor=rh).count() == 1

    # Applied once: the stored file is gone, a second POST is a 404, not a second import.
    assert client.post(reverse("directory:hr-import-apply", kwargs={"token": token})).status_code == 404


def test_an_xlsx_upload_is_previewed(client, rh, unit, site):
    client.force_login(rh)
    page = client.get(upload(client, xlsx_bytes([agent_row("Q001")]), name="agents.xlsx")).content.decode()
    assert "1 nouvel agent" in page


def test_unknown_services_are_listed_and_created_only_when_ticked(client, rh, unit, site):
    client.force_login(rh)
    preview_url = upload(client, csv_bytes([agent_row("R001", unit="Voirie")]))
    page = client.get(preview_url).content.decode()
    assert "Service « Voirie » — lignes 2" in page
    assert "Service inconnu : « Voirie »." in page
    page = client.get(preview_url + "?creer=1").content.decode()
    assert "Voirie (à créer)" in page

    token = preview_url.rstrip("/").rsplit("/", 1)[-1]
    client.post(reverse("directory:hr-import-apply", kwargs={"token": token}), {"create_units": "on"})
    assert Agent.objects.get(matricule="R001").org_unit == OrgUnit.objects.get(name="Voirie")


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "photo.csv", "caractères nuls"),
        (b"PK\x03\x04rien", "agents.xlsx", "Fichier XLSX illisible"),
        (b"nom,prenom\nDupont,Jean\n", "agents.csv", "Colonne(s) obligatoire(s) absente(s)"),
        (b"", "agents.csv", "Le fichier est vide."),
    ],
)
def test_bad_files_are_explained_never_a_500(client, rh, content, name, message):
    client.force_login(rh)
    if not content:  # Django's form refuses an empty upload itself
        response = client.post(reverse("directory:hr-import"), {"file": SimpleUploadedFile(name, content)})
        assert response.status_code == 200
        assert "Le fichier soumis est vide" in response.content.decode()
        return
    page = client.get(upload(client, content, name)).content.decode()
    assert "Ce fichier ne peut pas être importé" in page
    assert message in page.replace("&#x27;", "'")


def test_the_upload_refuses_other_extensions(client, rh):
    client.force_login(rh)
    response = client.post(reverse("directory:hr-import"), {"file": SimpleUploadedFile("agents.pdf", b"%PDF")})
    assert "Choisissez un fichier CSV ou XLSX." in response.content.decode()


def test_another_users_token_is_not_found(client, rh, admin_user, unit, site):
    client.force_login(rh)
    preview_url = upload(client, csv_bytes([agent_row("S001")]))
    client.force_login(admin_user)
    assert client.get(preview_url).status_code == 404


def test_the_hr_home_lists_units_with_their_links(client, rh, unit, agent, django_assert_max_num_queries):
    client.force_login(rh)
    # 16 of them: the header's « À faire » count on a cold cache (a query per source HR sees; kept
    # a minute in the cache, tests/intranet/test_todo.py).
    with django_assert_max_num_queries(25):
        page = client.get(reverse("directory:hr-home")).content.decode()
    assert reverse("directory:hr-unit-edit", kwargs={"pk": unit.pk}) in page
    assert f"{reverse('directory:export-csv')}?unite={unit.pk}" in page


def test_a_long_preview_is_paged_errors_first(client, rh, unit, site):
    client.force_login(rh)
    rows = [agent_row(f"U{n:04d}") for n in range(250)] + [agent_row("U9999", email="faux")]
    preview_url = upload(client, csv_bytes(rows))
    page = client.get(preview_url).content.decode()
    assert "Page 1 sur 2" in page
    assert page.index("E-mail « faux » invalide.") < page.index("U0000")
    page = client.get(preview_url, {"page": 2}).content.decode()
    assert "U0249" in page
    assert "U0000" not in page
