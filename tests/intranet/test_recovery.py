"""A worker restart loses no time and sends nothing twice (issue 21): a real worker (two prefork
processes, beat embedded, as in production) on PostgreSQL and Redis, killed with SIGKILL to its
whole process group in the middle of each kind of queued work, then started again. The work it
had begun is taken up again within 30 s of the new worker being ready — invitations, reminders,
outbox mails, mailings, documents, guides — and a mail sent again after a kill between the SMTP
server's 250 and the commit carries the same Message-ID. A SIGTERM (a deployment) stops the
worker after the message in hand and the send resumes without a duplicate.

Each test prints the time it measured (`pytest -s`); docs/exploitation.md keeps them."""

import time

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction

from intranet.models import Agent, DocumentRequest, OutgoingEmail
from intranet.roles import GROUP_ROLES
from intranet.services import document_request, email_queue
from mailing.models import Delivery, Mailing
from mailing.services import mailing_start
from onboarding.models import GuideEdition
from onboarding.services.welcome_guide import guide_request
from surveys.models import Invitation, Survey
from surveys.services.invitations import survey_invite, survey_remind
from tests.factories import AgentFactory, OrgUnitFactory
from tests.harness import wait_until
from tests.mailing.factories import make_mailing
from tests.onboarding.factories import ArrivalFactory
from tests.surveys.factories import SurveyFactory

WORKER_DB = pytest.mark.django_db(transaction=True)
RECOVERY_LIMIT = 30  # seconds from the new worker being ready to the work being taken up again
IN_FLIGHT = 2  # the worker's processes: each may have had a message accepted and not yet recorded


@pytest.fixture(autouse=True)
def _role_groups(transactional_db):
    for role in GROUP_ROLES:
        Group.objects.get_or_create(name=role.value)


def _agents(count: int, prefix: str, **values) -> list[Agent]:
    return Agent.objects.bulk_create(
        AgentFactory.build(email=f"{prefix}{number:05d}@test.local", **values) for number in range(count)
    )


def _report(what: str, seconds: float, done: float | None = None) -> None:
    finished = f", all done {done:.1f} s after" if done is not None else ""
    print(f"\nRECOVERY {what}: resumed {seconds:.1f} s after the new worker was ready{finished}")  # noqa: T201


def _resumed(worker, queryset, *, at_kill: int, total: int, what: str) -> None:
    """The count grows again within RECOVERY_LIMIT of the new worker being ready, then reaches `total`."""
    wait_until(lambda: queryset.count() > at_kill, timeout=RECOVERY_LIMIT, message=f"{what} resumed")
    resumed = time.monotonic() - worker.ready_at
    wait_until(lambda: queryset.count() == total, timeout=180, message=f"every {what} done")
    _report(what, resumed, time.monotonic() - worker.ready_at)


def _assert_each_once(smtp_server, addresses) -> int:
    """Every address reached; a copy only with the same Message-ID as the first. Returns copies."""
    received: dict[str, list[str]] = {}
    for mail in smtp_server.messages:
        for address in mail.rcpt_tos:
            received.setdefault(address, []).append(mail.message["Message-ID"])
    assert set(received) == set(addresses)
    for address, message_ids in received.items():
        assert len(set(message_ids)) == 1, f"{address} received different messages: {message_ids}"
    return sum(len(ids) - 1 for ids in received.values())


def _locked(model, pk) -> bool:
    """Does another connection hold the row (a worker working on it)?"""
    with transaction.atomic():
        return not model.objects.select_for_update(skip_locked=True).filter(pk=pk).exists()


def _kill_then_restart(worker) -> None:
    worker.kill()
    connection.close()  # the test's own connection: nothing of ours holds a lock meanwhile
    worker.start()


# --- queued by a worker in steps: invitations and reminders ------------------------------------


@WORKER_DB
@pytest.mark.services
def test_invitations_a_killed_worker_was_queueing_are_all_mailed_within_30_s(smtp_server, celery_worker_with_beat):
    agents = _agents(1648, "invite")
    survey = SurveyFactory(status=Survey.Status.OPEN)
    mailed = Invitation.objects.filter(survey=survey, mailed_at__isnull=False)

    survey_invite(survey=survey, agents=agents)  # the worker queues the mails after the commit
    wait_until(lambda: mailed.count() >= 50, timeout=60, message="the first invitations queued")
    celery_worker_with_beat.kill()
    at_kill = mailed.count()
    assert at_kill < len(agents), "the worker had finished before the kill: nothing to recover"
    connection.close()
    celery_worker_with_beat.start()

    _resumed(celery_worker_with_beat, mailed, at_kill=at_kill, total=len(agents), what="invitations")
    smtp_server.wait_for(len(agents), timeout=180)
    wait_until(
        lambda: not OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING).exists(),
        timeout=60,
        message="the outbox empty",
    )
    assert OutgoingEmail.objects.count() == len(agents)  # one mail per invitee, none queued twice
    assert _assert_each_once(smtp_server, [agent.email for agent in agents]) <= IN_FLIGHT


@WORKER_DB
@pytest.mark.services
def test_reminders_a_killed_worker_was_queueing_are_all_mailed_within_30_s(smtp_server, celery_worker_with_beat):
    agents = _agents(1000, "remind")
    survey = SurveyFactory(status=Survey.Status.OPEN)
    celery_worker_with_beat.kill()  # the invitations are marked mailed by hand: only reminders here
    survey_invite(survey=survey, agents=agents)
    Invitation.objects.filter(survey=survey).update(mailed_at=survey.created_at)
    reminded = Invitation.objects.filter(survey=survey, reminded_at__isnull=False)
    celery_worker_with_beat.start()

    survey_remind(survey=survey)
    wait_until(lambda: reminded.count() >= 50, timeout=60, message="the first reminders queued")
    celery_worker_with_beat.kill()
    at_kill = reminded.count()
    assert at_kill < len(agents), "the worker had finished before the kill: nothing to recover"
    connection.close()
    celery_worker_with_beat.start()

    _resumed(celery_worker_with_beat, reminded, at_kill=at_kill, total=len(agents), what="reminders")
    smtp_server.wait_for(len(agents), timeout=180)
    assert OutgoingEmail.objects.filter(kind="surveys.reminder").count() == len(agents)


# --- sent by a worker: outbox and mailings -------------------------------------------------------


@WORKER_DB
@pytest.mark.services
def test_outbox_mails_resume_within_30_s_and_a_repeat_carries_the_same_message_id(smtp_server, celery_worker_with_beat):
    recipients = [f"agent{number:02d}@test.local" for number in range(30)]
    smtp_server.handler.hold_after(10, accepted=True)  # the 11th: accepted, its 250 held back
    for address in recipients:
        email_queue(to=address, subject="Réunion", text="À jeudi.", kind="test.recovery")

    assert smtp_server.handler.holding.wait(timeout=60), "the worker never reached the 11th mail"
    celery_worker_with_beat.kill()  # the server has the 11th mail; the worker never learnt it
    smtp_server.handler.release()
    connection.close()
    celery_worker_with_beat.start()

    wait_until(
        lambda: OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENT).count() == 30,
        timeout=RECOVERY_LIMIT,
        message="every mail sent",
    )
    _report("outbox", time.monotonic() - celery_worker_with_beat.ready_at)
    assert 1 <= _assert_each_once(smtp_server, recipients) <= IN_FLIGHT  # the 11th twice, as one message


@WORKER_DB
@pytest.mark.services
def test_a_mailing_resumes_within_30_s_of_a_worker_being_back(
    smtp_server, celery_worker_with_beat, communication, settings
):
    # As many senders as worker processes: every one of them is killed, none waits in the queue.
    settings.MAILING_SENDERS = 2
    celery_worker_with_beat.stop()
    celery_worker_with_beat.env["MAILING_SENDERS"] = "2"
    celery_worker_with_beat.start()
    agents = _agents(300, "mailing")
    mailing = make_mailing(agents=agents, created_by=communication)
    smtp_server.handler.hold_after(120, accepted=True)

    mailing_start(mailing=mailing, user=communication)
    assert smtp_server.handler.holding.wait(timeout=120), "the worker never reached the 121st message"
    celery_worker_with_beat.kill()
    smtp_server.handler.release()
    connection.close()
    celery_worker_with_beat.start()

    wait_until(
        lambda: Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.DONE,
        timeout=RECOVERY_LIMIT,
        message="the send done",
    )
    _report("mailing", time.monotonic() - celery_worker_with_beat.ready_at)
    assert not Delivery.objects.filter(mailing=mailing).exclude(status=Delivery.Status.SENT).exists()
    assert _assert_each_once(smtp_server, [agent.email for agent in agents]) <= IN_FLIGHT


# --- rendered by a worker: documents and guides ---------------------------------------------------


@WORKER_DB
@pytest.mark.services
def test_a_document_whose_rendering_was_killed_is_rendered_within_30_s(settings, celery_worker_with_beat):
    unit = OrgUnitFactory(name="Direction des lycées")
    _agents(400, "trombi", org_unit=unit, job_title="Agent technique des lycées")
    requester = AgentFactory()
    document = document_request(
        kind="directory.trombinoscope", params={"unit_id": unit.pk, "site_id": None}, user=requester
    )

    wait_until(lambda: _locked(DocumentRequest, document.pk), timeout=60, interval=0.01, message="the rendering")
    _kill_then_restart(celery_worker_with_beat)
    assert DocumentRequest.objects.get(pk=document.pk).status == DocumentRequest.Status.PENDING

    wait_until(
        lambda: DocumentRequest.objects.get(pk=document.pk).status == DocumentRequest.Status.DONE,
        timeout=RECOVERY_LIMIT,
        message="the document rendered",
    )
    _report("document", time.monotonic() - celery_worker_with_beat.ready_at)


@WORKER_DB
@pytest.mark.services
def test_a_guide_whose_rendering_was_killed_is_rendered_within_30_s(celery_worker_with_beat):
    arrival = ArrivalFactory(agent=AgentFactory(email="nouvelle@test.local"))
    edition = guide_request(arrival=arrival)

    wait_until(lambda: _locked(GuideEdition, edition.pk), timeout=60, interval=0.01, message="the rendering")
    _kill_then_restart(celery_worker_with_beat)
    assert GuideEdition.objects.get(pk=edition.pk).status == GuideEdition.Status.PENDING

    wait_until(
        lambda: GuideEdition.objects.get(pk=edition.pk).status == GuideEdition.Status.DONE,
        timeout=RECOVERY_LIMIT,
        message="the guide rendered",
    )
    _report("guide", time.monotonic() - celery_worker_with_beat.ready_at)


# --- a deployment: SIGTERM -------------------------------------------------------------------------


@WORKER_DB
@pytest.mark.services
def test_sigterm_stops_after_the_message_in_hand_and_the_send_resumes_without_a_duplicate(
    smtp_server, celery_worker_with_beat, communication
):
    celery_worker_with_beat.stop()
    celery_worker_with_beat.env["MAILING_RATE_LIMIT"] = "60"  # a send that lasts ten seconds
    celery_worker_with_beat.start()
    agents = _agents(600, "deploy")
    mailing = make_mailing(agents=agents, created_by=communication)
    sent = Delivery.objects.filter(mailing=mailing, status=Delivery.Status.SENT)

    mailing_start(mailing=mailing, user=communication)
    wait_until(lambda: sent.count() >= 50, timeout=60, message="the send under way")
    took = celery_worker_with_beat.terminate()
    connection.close()
    left = Delivery.objects.filter(mailing=mailing, status=Delivery.Status.PENDING).count()
    print(f"\nSIGTERM: the worker stopped in {took:.1f} s, {left} messages handed back")  # noqa: T201
    assert took < 10  # well within docker compose's stop_grace_period
    assert left > 0, "the send had finished before the SIGTERM: nothing handed back"
    assert len(smtp_server.messages) == sent.count()  # nothing accepted without being recorded

    at_stop = sent.count()
    celery_worker_with_beat.start()
    _resumed(celery_worker_with_beat, sent, at_kill=at_stop, total=len(agents), what="mailing after SIGTERM")
    wait_until(
        lambda: Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.DONE, timeout=10, message="the send done"
    )
    assert _assert_each_once(smtp_server, [agent.email for agent in agents]) == 0
    assert smtp_server.count_by_recipient() == dict.fromkeys((agent.email for agent in agents), 1)
