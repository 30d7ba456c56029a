"""Backup and restore, proven (issue 20, item 2): the demo backed up (encrypted), restored by
`manage.py restore` into an empty database and an empty media folder, with every agent, survey
answer, delivery row and file found again; a backup of an older version comes back migrated; a
wrong key, a truncated or a reordered archive is refused."""

import io
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from intranet import backup
from intranet.models import DocumentRequest
from tests.conftest import skip_or_fail
from tests.harness import BASE_DIR, _this_tree_only, worker_database_url


def _files(root: Path) -> dict[str, int]:
    return {str(path.relative_to(root)): path.stat().st_size for path in root.rglob("*") if path.is_file()}


@pytest.fixture
def empty_database():
    """A new, empty PostgreSQL database beside the test database; its DATABASE_URL."""
    source = worker_database_url()
    if not source:
        skip_or_fail("The backup test needs PostgreSQL (pg_dump, pg_restore): set DATABASE_URL=postgres://…")
    name = f"{connection.settings_dict['NAME']}_restore"
    admin = source.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield source.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _restore(archive: Path, *, database_url: str, media: Path, key: str, tmp_path: Path) -> str:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "intranet.settings",
        "DJANGO_SECRET_KEY": "tests-only-restore-secret-key-0123456789",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
        "BACKUP_ENCRYPTION_KEY": key,
        "PYTHONPATH": str(_this_tree_only(tmp_path)),
    }
    result = subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", "restore", str(archive)],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _query(database_url: str, sql: str):
    with psycopg.connect(database_url) as conn:
        return conn.execute(sql).fetchone()[0]


@pytest.mark.django_db(transaction=True)
@pytest.mark.services
def test_the_demo_backed_up_encrypted_comes_back_whole_in_an_empty_database(settings, tmp_path, empty_database):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", agents=60, stdout=io.StringIO())
    document = DocumentRequest.objects.create(kind="directory.trombinoscope", status=DocumentRequest.Status.DONE)
    document.file.save("trombinoscope.pdf", ContentFile(b"%PDF-1.7 trombinoscope"), save=True)
    expected = backup.counts()
    assert min(expected["agents"], expected["survey_answers"], expected["deliveries"], expected["files"]) > 0
    key = backup.generate_key()
    archive = tmp_path / "maison-commune.tar.enc"

    manifest = backup.backup_create(output=archive, key=key)

    raw = archive.read_bytes()
    assert raw.startswith(backup.MAGIC)
    assert b"demo.local" not in raw  # encrypted at rest
    assert b"%PDF" not in raw
    restored_media = tmp_path / "restored-media"
    output = _restore(archive, database_url=empty_database, media=restored_media, key=key, tmp_path=tmp_path)
    assert "différent" not in output, output
    for name, count in expected.items():
        assert f"{name} : {count} sauvegardés, {count} restaurés" in output
    assert _files(restored_media) == _files(Path(settings.MEDIA_ROOT))
    assert _query(empty_database, "SELECT count(*) FROM intranet_agent") == expected["agents"]
    assert _query(empty_database, "SELECT count(*) FROM surveys_answer") == expected["survey_answers"]
    assert _query(empty_database, "SELECT count(*) FROM mailing_delivery") == expected["deliveries"]
    assert manifest["migrations"]["intranet"] == _query(
        empty_database, "SELECT max(name) FROM django_migrations WHERE app = 'intranet'"
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.services
def test_a_backup_of_an_older_version_comes_back_migrated(settings, tmp_path, empty_database):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = tmp_path / "older.tar"
    call_command("migrate", "intranet", "0012", verbosity=0)  # the version before retention periods
    try:
        manifest = backup.backup_create(output=archive)
    finally:
        call_command("migrate", verbosity=0)
    assert manifest["migrations"]["intranet"] == "0012_heartbeat"

    _restore(archive, database_url=empty_database, media=tmp_path / "restored-media", key="", tmp_path=tmp_path)

    assert _query(empty_database, "SELECT max(name) FROM django_migrations WHERE app = 'intranet'") >= "0013"
    assert _query(empty_database, "SELECT to_regclass('intranet_retentionperiod') IS NOT NULL")


@pytest.mark.django_db
def test_a_restore_refuses_a_database_that_is_not_empty(tmp_path):
    archive = tmp_path / "backup.tar"
    if connection.vendor != "postgresql":
        skip_or_fail("pg_dump needs PostgreSQL")
    backup.backup_create(output=archive)
    with pytest.raises(backup.BackupError, match="n'est pas vide"):
        backup.backup_restore(archive=archive)


# --- the encryption ----------------------------------------------------------------------------


def _encrypt(data: bytes, key: str) -> bytes:
    out = io.BytesIO()
    writer = backup._EncryptingWriter(out, key)
    writer.write(data)
    writer.close()
    return out.getvalue()


def _decrypt(blob: bytes, key: str) -> bytes:
    raw = io.BytesIO(blob)
    assert raw.read(len(backup.MAGIC)) == backup.MAGIC
    return io.BufferedReader(backup._DecryptingReader(raw, key)).read()


def _chunks(blob: bytes) -> list[bytes]:
    chunks, position = [], len(backup.MAGIC)
    while position < len(blob):
        size = int.from_bytes(blob[position : position + 4], "big")
        chunks.append(blob[position : position + 4 + size])
        position += 4 + size
    return chunks


def test_the_archive_decrypts_with_its_key_only_and_detects_any_tampering(monkeypatch):
    monkeypatch.setattr(backup, "CHUNK", 1000)
    data = os.urandom(3500)  # four chunks
    key = backup.generate_key()
    blob = _encrypt(data, key)
    assert _decrypt(blob, key) == data

    with pytest.raises(backup.BackupError, match="ne se déchiffre pas"):
        _decrypt(blob, backup.generate_key())
    chunks = _chunks(blob)
    assert len(chunks) == 4
    with pytest.raises(backup.BackupError, match="tronquée"):
        _decrypt(backup.MAGIC + b"".join(chunks[:-1]), key)
    with pytest.raises(backup.BackupError, match="ne se suivent pas"):
        _decrypt(backup.MAGIC + chunks[1] + chunks[0] + b"".join(chunks[2:]), key)
    with pytest.raises(backup.BackupError, match="des données suivent"):
        _decrypt(blob + chunks[0], key)
