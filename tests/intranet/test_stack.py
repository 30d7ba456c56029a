"""The production stack starts for real (issue 20, item 5): scripts/stack_smoke.py starts the
services of docker-compose.yml with the compose file's commands — gunicorn as the Dockerfile
starts it, the worker with its memory limits, beat, Redis — on the machine's PostgreSQL, after
restoring yesterday's data (the demo seeded, backed up and restored by the previous schema's
code, then migrated by the web service), smoke-tests them over HTTP and stops them.

The first tests keep the compose file, the Dockerfile and the script in step: docker-compose.yml
is read here (its commands are YAML flow sequences, which are JSON) and each command compared
word for word with the script's; a change to one without the other fails. The last one runs the
script (a minute or two; `pytest -s` shows its figures)."""

import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parents[2]


def _script():
    spec = importlib.util.spec_from_file_location("stack_smoke", ROOT / "scripts" / "stack_smoke.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def compose_services(text: str) -> dict[str, dict]:
    """docker-compose.yml's `x-app` block and services: for each, its `command` (a flow sequence,
    which is JSON), its `environment` names and its health check's text."""
    blocks: dict[str, dict] = {}
    top, block, key = None, None, None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        name, _, value = line.strip().partition(":")
        if indent == 0:
            top, block, key = name, None, None
            if top == "x-app":
                block = blocks.setdefault(top, {"environment": [], "healthcheck": ""})
            continue
        if top == "services" and indent == 2:
            block, key = blocks.setdefault(name, {"environment": [], "healthcheck": ""}), None
            continue
        if block is None:
            continue
        depth = indent if top == "x-app" else indent - 2  # a block's keys at depth 2
        if depth == 2:
            key = name
            if key == "command":
                block["command"] = json.loads(value.strip())
        elif key == "environment" and depth == 4:
            block["environment"].append(name)
        elif key == "healthcheck":
            block["healthcheck"] += line.strip() + "\n"
    return blocks


def dockerfile(text: str) -> dict:
    """The Dockerfile's ENV names and values, its CMD, and its RUN steps (continuations joined)."""
    instructions = re.sub(r"\\\n", " ", text)
    env, runs, cmd = {}, [], None
    for line in instructions.splitlines():
        if line.startswith("ENV "):
            env.update(word.split("=", 1) for word in shlex.split(line[4:]))
        elif line.startswith("CMD "):
            cmd = json.loads(line[4:])
        elif line.startswith("RUN "):
            runs.append(" ".join(line[4:].split()))
    return {"env": env, "cmd": cmd, "runs": runs}


def differences(compose_text: str, dockerfile_text: str, script) -> list[str]:
    """Where docker-compose.yml or the Dockerfile and the script disagree."""
    services = compose_services(compose_text)
    image = dockerfile(dockerfile_text)
    found = []

    def same(what, theirs, ours):
        if theirs != ours:
            found.append(f"{what}: compose/Dockerfile {theirs!r}, scripts/stack_smoke.py {ours!r}")

    web = services.get("web", {}).get("command", ["", "", ""])
    same("web command's shell", web[:2], ["sh", "-c"])
    migrate, _, gunicorn = web[2].partition(" && exec ")
    same("web: migrate", shlex.split(migrate), script.MIGRATE_COMMAND)
    same("web: gunicorn", shlex.split(gunicorn), script.GUNICORN_COMMAND)
    same("the image's CMD", image["cmd"], script.GUNICORN_COMMAND)
    same("worker", services.get("worker", {}).get("command"), script.WORKER_COMMAND)
    same("beat", services.get("beat", {}).get("command"), script.BEAT_COMMAND)
    same("redis", services.get("redis", {}).get("command"), script.REDIS_COMMAND)
    same("the services' environment", sorted(services.get("x-app", {}).get("environment", [])),
         sorted(script.COMPOSE_ENVIRONMENT))  # fmt: skip
    same("the image's ENV", image["env"], script.IMAGE_ENVIRONMENT)
    build = " ".join([*(f"{k}={v}" for k, v in script.BUILD_COLLECTSTATIC_ENV.items()), *script.BUILD_COLLECTSTATIC])
    same("the image's collectstatic", any(build in step for step in image["runs"]), True)
    check = services.get("web", {}).get("healthcheck", "")
    same("the web health check's page", script.HEALTHCHECK_PATH in check, True)
    for name, value in script.HEALTHCHECK_HEADERS.items():
        same(f"the web health check's {name}", f"'{name}': '{value}'" in check, True)
    return found


def test_the_script_starts_what_docker_compose_and_the_dockerfile_start():
    compose = (ROOT / "docker-compose.yml").read_text()
    assert differences(compose, (ROOT / "Dockerfile").read_text(), _script()) == []


@pytest.mark.parametrize(
    ("file", "before", "after"),
    [
        (
            "docker-compose.yml",
            "--max-memory-per-child=${CELERY_MAX_MEMORY_PER_CHILD:-400000}",
            "--max-memory-per-child=500000",
        ),  # noqa: E501
        ("docker-compose.yml", '"--concurrency=${CELERY_CONCURRENCY:-6}", ', ""),
        ("docker-compose.yml", "--access-logfile -", "--access-logfile - --timeout 120"),
        ("docker-compose.yml", '"beat", "--loglevel=INFO"', '"beat", "--loglevel=DEBUG"'),
        ("docker-compose.yml", "    MEDIA_ROOT: /app/var/media\n", "    MEDIA_ROOT: /app/var/media\n    SITE_URL: x\n"),
        ("docker-compose.yml", '"--appendonly", "yes"', '"--appendonly", "no"'),
        ("Dockerfile", "ENV WEB_CONCURRENCY=3", "ENV WEB_CONCURRENCY=4"),
        ("Dockerfile", 'CMD ["gunicorn", "intranet.wsgi"', 'CMD ["gunicorn", "--workers", "2", "intranet.wsgi"'),
    ],
)
def test_changing_the_compose_file_or_the_dockerfile_alone_is_caught(file, before, after):
    texts = {name: (ROOT / name).read_text() for name in ("docker-compose.yml", "Dockerfile")}
    assert before in texts[file]
    texts[file] = texts[file].replace(before, after)
    assert differences(texts["docker-compose.yml"], texts["Dockerfile"], _script()) != []


def test_the_script_runs_the_compose_commands_with_their_defaults_on_this_machine(tmp_path):
    """The words the script runs: compose's ${VAR:-default} expanded, /app the tree, the port."""
    script = _script()
    stack = script.Stack.__new__(script.Stack)
    stack.run_dir = tmp_path
    worker = stack.command(script.WORKER_COMMAND)
    assert worker[0] == str(ROOT / ".venv" / "bin" / "celery")
    assert worker[1:] == [
        "-A", "intranet", "worker", "--loglevel=INFO",
        f"--concurrency={os.environ.get('CELERY_CONCURRENCY') or 6}",
        f"--max-tasks-per-child={os.environ.get('CELERY_MAX_TASKS_PER_CHILD') or 200}",
        f"--max-memory-per-child={os.environ.get('CELERY_MAX_MEMORY_PER_CHILD') or 400000}",
    ]  # fmt: skip
    assert stack.command(script.GUNICORN_COMMAND, bind="127.0.0.1:8123")[1:] == [
        "intranet.wsgi", "--bind", "127.0.0.1:8123", "--access-logfile", "-",
    ]  # fmt: skip
    assert stack.command(script.BEAT_COMMAND)[-1] == str(tmp_path / "var" / "celerybeat-schedule")


@pytest.mark.services
def test_the_production_stack_starts_signs_in_sends_a_newsletter_renders_a_guide_and_stops():
    database = os.environ.get("DATABASE_URL", "")
    if not database.startswith(("postgres://", "postgresql://")):
        skip_or_fail("The production stack runs on PostgreSQL: DATABASE_URL names none")
    if not shutil.which("redis-server"):
        skip_or_fail("The production stack needs redis-server on the PATH")
    ports = ["--ports", os.environ["STACK_SMOKE_PORTS"]] if os.environ.get("STACK_SMOKE_PORTS") else []
    result = subprocess.run(  # noqa: S603 (our own script)
        [sys.executable, str(ROOT / "scripts" / "stack_smoke.py"), *ports],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    print(result.stdout, result.stderr)  # noqa: T201
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert "100 messages for 100 recipients" in result.stdout
    assert "PASSED" in result.stdout


@pytest.mark.services
def test_two_web_servers_and_two_workers_serve_and_send_a_newsletter_without_a_duplicate():
    """Scaled out on loopback (issue 20, item 6): two gunicorn servers on two ports, two workers,
    one beat, one PostgreSQL and one Redis; requests alternate between the servers; the newsletter
    to 250 agents reaches each exactly once (the script compares what the SMTP server received with
    the recipients, and the deliveries' rows); what each worker sent is counted from their logs."""
    database = os.environ.get("DATABASE_URL", "")
    if not database.startswith(("postgres://", "postgresql://")):
        skip_or_fail("The production stack runs on PostgreSQL: DATABASE_URL names none")
    if not shutil.which("redis-server"):
        skip_or_fail("The production stack needs redis-server on the PATH")
    ports = ["--ports", os.environ["STACK_SMOKE_PORTS"]] if os.environ.get("STACK_SMOKE_PORTS") else []
    result = subprocess.run(  # noqa: S603 (our own script)
        [sys.executable, str(ROOT / "scripts" / "stack_smoke.py"), "--scale", "--recipients", "250", *ports],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    print(result.stdout, result.stderr)  # noqa: T201
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert "250 messages for 250 recipients" in result.stdout
    shares = json.loads(re.search(r"messages sent by each worker: (\{.*\})", result.stdout)[1].replace("'", '"'))
    assert sorted(shares) == ["worker1", "worker2"]
    assert sum(shares.values()) == 250
