"""The uploaded file, kept between the preview and the apply (a day at most), under a token
that only the uploader's session knows."""

import re
import secrets

UPLOAD_FOLDER = "imports"
UPLOAD_MAX_AGE_SECONDS = 24 * 60 * 60
TOKEN_PATTERN = re.compile(r"[0-9a-f]{32}")


def _upload_folder():
    from pathlib import Path

    from django.conf import settings

    return Path(settings.MEDIA_ROOT) / UPLOAD_FOLDER


def import_file_store(*, content: bytes, filename: str) -> str:
    """Keep an uploaded file until it is applied (or a day has passed); returns its token,
    which only the uploader's session knows. Older leftovers are removed on the way."""
    import time

    folder = _upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in folder.glob("*.upload"):
        if now - old.stat().st_mtime > UPLOAD_MAX_AGE_SECONDS:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    (folder / f"{token}.upload").write_bytes(content)
    return token


def import_file_read(*, token: str) -> bytes | None:
    if not TOKEN_PATTERN.fullmatch(token or ""):
        return None
    path = _upload_folder() / f"{token}.upload"
    return path.read_bytes() if path.exists() else None


def import_file_discard(*, token: str) -> None:
    if TOKEN_PATTERN.fullmatch(token or ""):
        (_upload_folder() / f"{token}.upload").unlink(missing_ok=True)
