"""The production settings pass Django's deployment checks, and refuse to start without a secret."""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
# Variables the tests set or remove; a developer's .env (read by the settings) could put them back.
CONTROLLED = (
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_SECURE_SSL_REDIRECT",
    "DJANGO_SECURE_COOKIES",
    "DJANGO_SECURE_HSTS_SECONDS",
)
# Set by the browser tests' conftest for the test process only; a deployment never has it.
TEST_HARNESS_ONLY = ("DJANGO_ALLOW_ASYNC_UNSAFE",)


def _skip_if_dotenv_sets_controlled_variables():
    dotenv = REPO_ROOT / ".env"
    if not dotenv.exists():
        return
    names = {
        line.split("=", 1)[0].strip().removeprefix("export ").strip()
        for line in dotenv.read_text().splitlines()
        if "=" in line and not line.lstrip().startswith("#")
    }
    overridden = sorted(names & set(CONTROLLED))
    if overridden:
        pytest.skip(f".env sets {', '.join(overridden)}: the settings would read it instead of the test's values")


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - fixed arguments, our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _base_env(tmp_path: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in CONTROLLED + TEST_HARNESS_ONLY}
    env["DJANGO_SETTINGS_MODULE"] = "intranet.settings"
    env.setdefault("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    return env


def test_production_settings_pass_check_deploy(tmp_path):
    _skip_if_dotenv_sets_controlled_variables()
    env = _base_env(tmp_path)
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(60)),
        DJANGO_ALLOWED_HOSTS="intranet.example.fr",
    )

    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output


def test_settings_refuse_to_start_without_a_secret_key(tmp_path):
    _skip_if_dotenv_sets_controlled_variables()
    env = _base_env(tmp_path)

    result = _manage("check", env=env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
