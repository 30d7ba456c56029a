"""The embedded default (`make run`: a SQLite file, the filesystem task queue) under a web server
and a worker side by side never answers « database is locked » (issue 13, item 6).

The test starts what `make run` starts, on a SQLite file of its own: the development server
(threaded) and a real Celery worker on kombu's filesystem broker. While the worker sends a
newsletter to 400 agents through a real SMTP server, 200 requests arrive at once: sign-ins,
survey answers, pages. None may answer 500, and the worker must deliver every mail.

It runs in the SQLite suite (`make test` without DATABASE_URL, and the CI's embedded run); on
PostgreSQL it is skipped: there is no file lock there to wait for.
"""

import concurrent.futures
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from django.db import connection

from tests.harness import BASE_DIR, CELERY, free_port, wait_until

pytestmark = pytest.mark.services

PASSWORD = "maison-commune"  # noqa: S105 (test accounts)
RECIPIENTS = 400
LOGINS = 20
ANSWERS = 60
PAGES = 200 - 2 * LOGINS - 2 * ANSWERS  # each sign-in and each answer: a GET then a POST

SETUP = """
import json
from django.contrib.auth.hashers import make_password
from intranet.models import Agent
from surveys.services.drafting import survey_create_from_template
from surveys.services.invitations import survey_invite
from surveys.models import Invitation, Question
from newsletters.services.blocks import block_create
from newsletters.services.issues import issue_create
from intranet.audiences import AudienceSpec

password = make_password({password!r})
Agent.objects.bulk_create(
    [Agent(email=f"agent{{i}}@demo.test", first_name="Agent", last_name=f"N{{i}}", password=password)
     for i in range({recipients})]
)
author = Agent.objects.create(
    email="rh@demo.test", first_name="Rose", last_name="RH", password=password, is_superuser=True
)
survey = survey_create_from_template(template="meeting", title="Réunion d'information", author=author)
survey_invite(survey=survey, agents=list(Agent.objects.filter(email__startswith="agent")[:{answers}]))
values = {{Question.Kind.SCALE: "4", Question.Kind.YES_NO: "oui", Question.Kind.LONG_TEXT: "Très clair."}}
scale = {{q.field_name: values[q.kind] for q in survey.questions.all() if q.kind in values}}
links = [invitation.get_link_path() for invitation in Invitation.objects.filter(survey=survey)]
issue = issue_create(title="Bienvenue", edito="Bonjour.", user=author, audience=AudienceSpec(everyone=True))
block_create(issue=issue, kind="text", title="Actualités", body="<p>Les réunions.</p>", user=author)
print("RESULT " + json.dumps({{"links": links, "answers": scale, "issue": issue.pk, "author": author.pk}}))
"""

SEND = """
from intranet.models import Agent
from newsletters.models import Issue
from newsletters.services.sending import issue_send
issue_send(issue=Issue.objects.get(pk={issue}), user=Agent.objects.get(pk={author}), base_url="http://localhost")
"""

PROGRESS = """
from mailing.models import Delivery
print("RESULT", Delivery.objects.filter(status=Delivery.Status.SENT).count())
"""

STORED = """
from surveys.models import Invitation, Response
print("RESULT", Response.objects.count(), Invitation.objects.filter(answered=True).count())
"""


@pytest.fixture
def embedded(tmp_path, smtp_server):
    """Environment of a fresh `make run`: its own SQLite file and var/ folder."""
    if connection.vendor != "sqlite":
        pytest.skip("the embedded default's SQLite file locks are what is tested: runs in the SQLite suite")
    var = tmp_path / "var"
    for folder in ("mail", "broker/queue", "broker/processed", "broker/control", "cache", "media", "static"):
        (var / folder).mkdir(parents=True, exist_ok=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "CELERY_TASK_ALWAYS_EAGER")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="intranet.settings",
        DJANGO_DEBUG="true",
        DATABASE_URL=f"sqlite:///{var / 'db.sqlite3'}",
        VAR_DIR=str(var),
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}",
        SITE_URL="http://localhost",
        PYTHONUNBUFFERED="1",
    )
    return env, var


def _manage(env, *args, timeout=600) -> str:
    result = subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _up(base: str) -> bool:
    try:
        return requests.get(base + "/sante/", timeout=5).status_code == 200
    except requests.ConnectionError:
        return False


def _result(env, script: str) -> int:
    return int(_manage(env, "shell", "-c", script).split("RESULT ", 1)[1].split()[0])


def _start(command, env, log: Path) -> subprocess.Popen:
    handle = log.open("w")
    return subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=handle, stderr=subprocess.STDOUT)  # noqa: S603


def _session(base: str):
    """A browser's session: its cookies, the CSRF token of the forms it posts."""
    browser = requests.Session()

    def request(path: str, data: dict | None = None) -> tuple[int, str]:
        if data is None:
            reply = browser.get(base + path, timeout=120)
        else:
            token = browser.cookies.get("csrftoken", "")
            reply = browser.post(base + path, data={**data, "csrfmiddlewaretoken": token}, timeout=120)
        return reply.status_code, reply.text

    return request


def test_a_mailing_and_200_requests_at_once_never_meet_a_locked_database(embedded, smtp_server, tmp_path):
    env, var = embedded
    _manage(env, "migrate", "--noinput")
    output = _manage(env, "shell", "-c", SETUP.format(password=PASSWORD, recipients=RECIPIENTS, answers=ANSWERS))
    data = json.loads(output.split("RESULT ", 1)[1])
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    worker = _start(
        [str(CELERY), "-A", "intranet", "worker", "--loglevel=INFO", "--concurrency=1", "--pool=solo"],
        env,
        tmp_path / "worker.log",
    )
    server = _start(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"], env, tmp_path / "server.log"
    )
    try:
        wait_until(lambda: _up(base), timeout=60, message="the development server")
        _manage(env, "shell", "-c", SEND.format(issue=data["issue"], author=data["author"]))
        wait_until(
            lambda: _result(env, PROGRESS) > 0,
            timeout=120,
            message="the worker's first mails",
        )

        def sign_in(index: int) -> list[int]:
            request = _session(base)
            first, _page = request("/comptes/login/")
            status, _body = request("/comptes/login/", {"login": f"agent{index}@demo.test", "password": PASSWORD})
            return [first, status]

        def answer(link: str) -> list[int]:
            request = _session(base)
            first, _page = request(link)
            status, _body = request(link, {**data["answers"], "action": "submit"})
            return [first, status]

        def page(index: int) -> list[int]:
            path = ("/sante/", "/comptes/login/", "/enquetes/confidentialite/")[index % 3]
            return [_session(base)(path)[0]]

        with concurrent.futures.ThreadPoolExecutor(max_workers=40) as pool:
            jobs = [pool.submit(sign_in, index) for index in range(LOGINS)]
            jobs += [pool.submit(answer, link) for link in data["links"]]
            jobs += [pool.submit(page, index) for index in range(PAGES)]
            statuses = [status for job in jobs for status in job.result()]

        assert len(statuses) == 200
        assert 500 not in statuses, {status: statuses.count(status) for status in set(statuses)}
        assert set(statuses) <= {200}, {status: statuses.count(status) for status in set(statuses)}
        wait_until(
            lambda: _result(env, PROGRESS) == RECIPIENTS + 1,
            timeout=300,
            interval=2,
            message="every mail of the newsletter",
        )
        assert len(smtp_server.count_by_recipient()) == RECIPIENTS + 1
        assert _manage(env, "shell", "-c", STORED).split("RESULT ", 1)[1].split() == [str(ANSWERS), str(ANSWERS)]
    finally:
        for process in (server, worker):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    logs = (tmp_path / "server.log").read_text() + (tmp_path / "worker.log").read_text()
    assert not re.findall(r"database is locked", logs), logs[-3000:]
