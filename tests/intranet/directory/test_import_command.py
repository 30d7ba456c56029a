"""`manage.py import_agents`: the same preview in French, --dry-run writes nothing, exit statuses,
a file of several batches (how fast at 10,000 rows: bench/import_agents.py)."""

import pytest
from django.core.management import CommandError, call_command

from intranet.models import Agent, AuditLogEntry
from tests.intranet.directory.importfiles import agent_row, csv_bytes

pytestmark = pytest.mark.django_db


def run(path, *args):
    from io import StringIO

    out = StringIO()
    call_command("import_agents", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def good_file(tmp_path, unit, site):
    path = tmp_path / "agents.csv"
    path.write_bytes(
        csv_bytes([agent_row("K001", "Lefèvre", "Hélène", manager="K002"), agent_row("K002", "Durand", "Paul")])
    )
    return path


def test_dry_run_prints_the_preview_and_writes_nothing(good_file):
    before = Agent.objects.count()
    out = run(good_file, "--dry-run")
    assert "Aperçu de agents.csv : 2 nouvel(s) agent(s), 0 modifié(s), 0 inchangé(s), 0 ligne(s) en erreur." in out
    assert "Ligne 2 – K001 Lefèvre Hélène : nouvel agent" in out
    assert "Simulation (--dry-run) : rien n'a été enregistré." in out
    assert Agent.objects.count() == before
    assert not AuditLogEntry.objects.exists()


def test_the_command_imports_then_a_second_run_changes_nothing(good_file):
    out = run(good_file)
    assert "Import terminé : 2 créé(s), 0 modifié(s), 0 inchangé(s)" in out
    assert Agent.objects.get(matricule="K001").manager.matricule == "K002"
    out = run(good_file)
    assert "Import terminé : 0 créé(s), 0 modifié(s), 2 inchangé(s)" in out


def test_row_errors_exit_with_status_2_after_importing_the_valid_rows(tmp_path, unit, site):
    path = tmp_path / "agents.csv"
    path.write_bytes(
        csv_bytes(
            [agent_row("L001", arrival="32/13/2024"), agent_row("L002"), agent_row("L003", unit="Service inconnu")]
        )
    )
    with pytest.raises(CommandError) as caught:
        run(path)
    assert caught.value.returncode == 2
    assert Agent.objects.filter(matricule__startswith="L").count() == 1


def test_unknown_units_are_created_only_with_the_flag(tmp_path, unit, site):
    path = tmp_path / "agents.csv"
    path.write_bytes(csv_bytes([agent_row("L003", unit="Voirie", site="Centre technique")]))
    with pytest.raises(CommandError):
        run(path, "--dry-run")
    out = run(path, "--create-units")
    assert "Services créés : Voirie" in out
    assert "Sites créés : Centre technique" in out
    assert Agent.objects.get(matricule="L003").org_unit.name == "Voirie"


def test_an_unreadable_file_is_refused_with_status_1(tmp_path, db):
    path = tmp_path / "agents.csv"
    path.write_text("Matricule;Nom\nX;Y\n")
    with pytest.raises(CommandError, match="Colonne\\(s\\) obligatoire\\(s\\) absente\\(s\\)") as caught:
        run(path)
    assert caught.value.returncode == 1
    with pytest.raises(CommandError, match="Impossible de lire"):
        run(tmp_path / "absent.csv")


def test_a_file_of_several_batches_imports_then_reruns_unchanged_then_updates(tmp_path, unit, site):
    """2,000 agents with managers (four batches of BATCH_SIZE): created, then re-run unchanged,
    then re-run with changes."""
    rows = [
        agent_row(f"N{n:05d}", f"Nom{n}", f"Prénom{n}", manager=f"N{n // 10:05d}" if n else "") for n in range(2_000)
    ]
    path = tmp_path / "agents.csv"
    path.write_bytes(csv_bytes(rows))

    run(path)
    assert Agent.objects.filter(matricule__startswith="N").count() == 2_000
    assert Agent.objects.get(matricule="N00123").manager.matricule == "N00012"

    out = run(path)
    assert "0 créé(s), 0 modifié(s), 2000 inchangé(s)" in out

    for row in rows[::2]:
        row[4] = "Agent polyvalent"
    path.write_bytes(csv_bytes(rows))
    out = run(path)
    assert "0 créé(s), 1000 modifié(s), 1000 inchangé(s)" in out
