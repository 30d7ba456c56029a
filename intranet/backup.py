"""Backup and restore of an installation: the database and the uploaded files (photos, documents,
guides, CVs) in one archive, encrypted when settings.BACKUP_ENCRYPTION_KEY is set
(`manage.py backup`, `manage.py restore`; docs/exploitation.md).

The archive is a tar stream: `manifest.json` (when, which engine, the migrations applied, counts),
the database (`pg_dump --format=custom` for PostgreSQL, SQLite's online backup otherwise) and
`media/`. Encrypted, it is cut into chunks of CHUNK bytes, each a Fernet token (AES-128-CBC and
HMAC-SHA256) over its index and an end mark, so a chunk cannot be moved, dropped or the file
truncated without the restore noticing. A restore goes into an empty database, then migrates:
a backup of an older version comes back at the current one."""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

MAGIC = b"MAISON-COMMUNE-BACKUP-1\n"
CHUNK = 8 * 1024 * 1024
FORMAT = 1


class BackupError(Exception):
    """A backup or a restore that cannot be done, with the reason in French."""


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")


def _fernet(key: str) -> Fernet:
    try:
        return Fernet(key.encode("ascii") if isinstance(key, str) else key)
    except (ValueError, TypeError) as error:
        raise BackupError(
            "BACKUP_ENCRYPTION_KEY n'est pas une clé valide (manage.py backup --generate-key)."
        ) from error


class _EncryptingWriter(io.RawIOBase):
    def __init__(self, raw, key: str):
        self.raw, self.fernet, self.buffer, self.index = raw, _fernet(key), bytearray(), 0
        raw.write(MAGIC)

    def writable(self):
        return True

    def write(self, data) -> int:
        self.buffer += data
        while len(self.buffer) >= CHUNK:
            self._chunk(bytes(self.buffer[:CHUNK]), last=False)
            del self.buffer[:CHUNK]
        return len(data)

    def _chunk(self, data: bytes, *, last: bool) -> None:
        token = self.fernet.encrypt(struct.pack(">Q?", self.index, last) + data)
        self.raw.write(struct.pack(">I", len(token)) + token)
        self.index += 1

    def close(self):
        if not self.closed:
            self._chunk(bytes(self.buffer), last=True)
            self.buffer.clear()
        super().close()


class _DecryptingReader(io.RawIOBase):
    def __init__(self, raw, key: str):
        self.raw, self.fernet, self.pending, self.index, self.ended = raw, _fernet(key), b"", 0, False

    def readable(self):
        return True

    def _next_chunk(self) -> None:
        header = self.raw.read(4)
        if len(header) < 4:
            raise BackupError("L'archive est tronquée : sa fin manque.")
        token = self.raw.read(struct.unpack(">I", header)[0])
        try:
            plain = self.fernet.decrypt(token)
        except InvalidToken as error:
            raise BackupError("L'archive ne se déchiffre pas avec cette clé (ou elle a été modifiée).") from error
        index, last = struct.unpack(">Q?", plain[:9])
        if index != self.index:
            raise BackupError("L'archive a été modifiée : ses morceaux ne se suivent pas.")
        self.index += 1
        self.pending += plain[9:]
        if last:
            self.ended = True
            if self.raw.read(1):
                raise BackupError("L'archive a été modifiée : des données suivent sa fin.")

    def readinto(self, target) -> int:
        while not self.pending and not self.ended:
            self._next_chunk()
        size = min(len(target), len(self.pending))
        target[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        return size


# --- What is backed up -----------------------------------------------------------------------


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _pg_env() -> tuple[dict, list[str]]:
    db = settings.DATABASES["default"]
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    args = ["--host", str(db.get("HOST") or "localhost"), "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return env, args


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} a échoué : {result.stderr.strip()[-2000:]}")


def counts() -> dict:
    """What a person checks after a restore: agents, survey answers, delivery rows, files."""
    from django.apps import apps

    figures = {}
    for label, model in (
        ("agents", "intranet.Agent"),
        ("survey_answers", "surveys.Answer"),
        ("survey_responses", "surveys.Response"),
        ("deliveries", "mailing.Delivery"),
        ("outbox_emails", "intranet.OutgoingEmail"),
    ):
        figures[label] = apps.get_model(model).objects.count()
    media = Path(settings.MEDIA_ROOT)
    figures["files"] = sum(1 for path in media.rglob("*") if path.is_file()) if media.exists() else 0
    return figures


def _migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return latest


def backup_create(*, output: Path, key: str = "") -> dict:
    """Write the archive to `output` (encrypted when `key` is given); returns its manifest."""
    output = Path(output)
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "engine": _engine(),
        "migrations": _migrations(),
        "counts": counts(),
        "encrypted": bool(key),
    }
    with tempfile.TemporaryDirectory(prefix="maison-commune-backup-") as work:
        database = Path(work) / ("database.pgdump" if manifest["engine"] == "postgresql" else "database.sqlite3")
        if manifest["engine"] == "postgresql":
            if not shutil.which("pg_dump"):
                raise BackupError("pg_dump est introuvable : installez le client PostgreSQL (postgresql-client).")
            env, args = _pg_env()
            name = settings.DATABASES["default"]["NAME"]
            _run(
                ["pg_dump", *args, "--format=custom", "--no-owner", "--no-privileges", "--file", str(database), name],
                env,
            )
        else:
            source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
            target = sqlite3.connect(database)
            with target:
                source.backup(target)
            source.close()
            target.close()
        partial = output.with_name(output.name + ".partial")
        with partial.open("wb") as raw:
            stream = _EncryptingWriter(raw, key) if key else raw
            with tarfile.open(fileobj=stream, mode="w|") as tar:
                data = json.dumps(manifest, indent=2).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
                tar.add(database, arcname=database.name)
                media = Path(settings.MEDIA_ROOT)
                if media.exists():
                    tar.add(media, arcname="media")
            if key:
                stream.close()
        partial.replace(output)  # a backup is complete or absent, never half written
    return manifest


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def backup_restore(*, archive: Path, key: str = "") -> dict:
    """Restore `archive` into the (empty) database and MEDIA_ROOT, then migrate; returns the
    manifest and the counts found after the restore."""
    archive = Path(archive)
    with archive.open("rb") as raw:
        encrypted = raw.read(len(MAGIC)) == MAGIC
        if encrypted and not key:
            raise BackupError("L'archive est chiffrée : indiquez la clé (BACKUP_ENCRYPTION_KEY).")
        raw.seek(len(MAGIC) if encrypted else 0)
        stream = io.BufferedReader(_DecryptingReader(raw, key), CHUNK) if encrypted else raw
        with tempfile.TemporaryDirectory(prefix="maison-commune-restore-") as work:
            with tarfile.open(fileobj=stream, mode="r|") as tar:
                tar.extractall(work, filter="data")
            manifest = json.loads((Path(work) / "manifest.json").read_text())
            if manifest.get("format") != FORMAT:
                raise BackupError("Ce format d'archive n'est pas connu de cette version.")
            if manifest["engine"] != _engine():
                source = manifest["engine"]
                raise BackupError(f"L'archive vient d'une base {source} : restaurez-la dans une base du même type.")
            if not _database_is_empty():
                raise BackupError("La base de destination n'est pas vide : créez une base vide pour la restauration.")
            if manifest["engine"] == "postgresql":
                env, args = _pg_env()
                name = settings.DATABASES["default"]["NAME"]
                connection.close()
                _run(
                    [
                        "pg_restore",
                        *args,
                        "--no-owner",
                        "--no-privileges",
                        "--exit-on-error",
                        "--dbname",
                        name,
                        str(Path(work) / "database.pgdump"),
                    ],
                    env,
                )
            else:
                connection.close()
                shutil.copyfile(Path(work) / "database.sqlite3", settings.DATABASES["default"]["NAME"])
            media = Path(work) / "media"
            if media.exists():
                shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)  # an older version's backup comes back migrated
    return {"manifest": manifest, "counts": counts()}
