"""Retention (issue 20, item 3): what is kept only for a while goes every night after the periods HR
sets (CNIL defaults), with a dry run and a log; the « mes données » export and the anonymisation
keep working on what is left."""

import io
from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from intranet import retention
from intranet.models import AuditLogEntry, DocumentRequest, OutgoingEmail, RetentionPeriod
from intranet.services import audit_log_record, email_queue
from mailing.models import Mailing
from tests.mailing.factories import make_mailing
from tests.vacancies.factories import InterestFactory, VacancyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _days_ago(days: int):
    return timezone.now() - timedelta(days=days)


def _email(*, days: int, status=OutgoingEmail.Status.SENT) -> OutgoingEmail:
    email = email_queue(to="helene.dupont@test.local", subject="Réunion", text="À jeudi.", kind="test.retention")
    OutgoingEmail.objects.filter(pk=email.pk).update(
        created_at=_days_ago(days), status=status, sent_at=_days_ago(days) if status == "sent" else None
    )
    return email


def _document(*, days: int) -> DocumentRequest:
    document = DocumentRequest.objects.create(kind="directory.trombinoscope", status=DocumentRequest.Status.DONE)
    document.file.save(f"trombi-{days}.pdf", ContentFile(b"%PDF-1.7"), save=True)
    DocumentRequest.objects.filter(pk=document.pk).update(created_at=_days_ago(days))
    return document


def _interest_with_cv(*, deadline_days_ago: int):
    interest = InterestFactory(
        vacancy=VacancyFactory(deadline=timezone.localdate() - timedelta(days=deadline_days_ago))
    )
    interest.cv.save("cv.pdf", ContentFile(b"%PDF-1.7 cv"), save=False)
    interest.cv_filename, interest.cv_size = "cv-helene.pdf", 11
    interest.save()
    return interest


@pytest.fixture
def old_and_new(communication, django_capture_on_commit_callbacks):
    """One item past its default period and one within it, for every rule."""
    with django_capture_on_commit_callbacks(execute=False):
        data = {
            "old_email": _email(days=100),
            "new_email": _email(days=10),
            "old_pending": _email(days=100, status=OutgoingEmail.Status.PENDING),  # still to send: kept
            "old_document": _document(days=40),
            "new_document": _document(days=5),
            "old_cv": _interest_with_cv(deadline_days_ago=800),
            "new_cv": _interest_with_cv(deadline_days_ago=100),
        }
    data["old_audit"] = audit_log_record(actor=None, action="test.old")
    AuditLogEntry.objects.filter(pk=data["old_audit"].pk).update(at=_days_ago(400))
    data["new_audit"] = audit_log_record(actor=None, action="test.new")
    old_mailing, new_mailing = make_mailing(created_by=communication), make_mailing(created_by=communication)
    Mailing.objects.filter(pk=old_mailing.pk).update(status=Mailing.Status.DONE, finished_at=_days_ago(400))
    Mailing.objects.filter(pk=new_mailing.pk).update(status=Mailing.Status.DONE, finished_at=_days_ago(30))
    data["old_mailing"], data["new_mailing"] = old_mailing, new_mailing
    expired, alive = SessionStore(), SessionStore()
    expired.create()
    alive.create()
    Session.objects.filter(session_key=expired.session_key).update(expire_date=_days_ago(1))
    data["expired_session"], data["alive_session"] = expired.session_key, alive.session_key
    return data


def _counts(results) -> dict:
    return {result["key"]: result["count"] for result in results}


EXPECTED = {
    "intranet.sent_emails": 1,
    "intranet.documents": 1,
    "mailing.bodies": 1,
    "vacancies.cvs": 1,
    "intranet.audit_log": 1,
    "intranet.sessions": 1,
}


def test_a_dry_run_counts_what_would_go_and_removes_nothing(old_and_new):
    results = retention.retention_purge(dry_run=True)

    assert _counts(results) == EXPECTED
    assert OutgoingEmail.objects.filter(pk=old_and_new["old_email"].pk).exists()
    assert default_storage.exists(old_and_new["old_document"].file.name)
    assert not AuditLogEntry.objects.filter(action="retention.purge").exists()


def test_the_purge_removes_what_is_past_its_period_and_logs_it(old_and_new, django_capture_on_commit_callbacks, caplog):
    old_file = old_and_new["old_document"].file.name
    old_cv = old_and_new["old_cv"].cv.name

    with django_capture_on_commit_callbacks(execute=True), caplog.at_level("INFO", logger="intranet.retention"):
        results = retention.retention_purge()

    assert _counts(results) == EXPECTED
    assert not OutgoingEmail.objects.filter(pk=old_and_new["old_email"].pk).exists()
    assert (
        OutgoingEmail.objects.filter(pk__in=[old_and_new["new_email"].pk, old_and_new["old_pending"].pk]).count() == 2
    )
    assert not DocumentRequest.objects.filter(pk=old_and_new["old_document"].pk).exists()
    assert not default_storage.exists(old_file)
    assert default_storage.exists(old_and_new["new_document"].file.name)
    old_cv_interest = type(old_and_new["old_cv"]).objects.get(pk=old_and_new["old_cv"].pk)
    assert (old_cv_interest.cv.name, old_cv_interest.cv_filename) == ("", "")
    assert old_cv_interest.message  # the expression of interest itself stays
    assert not default_storage.exists(old_cv)
    assert type(old_and_new["new_cv"]).objects.get(pk=old_and_new["new_cv"].pk).cv
    assert Mailing.objects.get(pk=old_and_new["old_mailing"].pk).text == ""
    assert Mailing.objects.get(pk=old_and_new["old_mailing"].pk).subject  # who received what stays
    assert Mailing.objects.get(pk=old_and_new["new_mailing"].pk).text
    assert not AuditLogEntry.objects.filter(pk=old_and_new["old_audit"].pk).exists()
    assert AuditLogEntry.objects.filter(pk=old_and_new["new_audit"].pk).exists()
    assert not Session.objects.filter(session_key=old_and_new["expired_session"]).exists()
    assert Session.objects.filter(session_key=old_and_new["alive_session"]).exists()
    [entry] = AuditLogEntry.objects.filter(action="retention.purge")
    assert entry.details == EXPECTED
    assert "Retention: purged" in caplog.text
    assert _counts(retention.retention_purge(dry_run=True)) == dict.fromkeys(EXPECTED, 0)  # nothing left to do


def test_the_command_says_what_a_dry_run_would_remove(old_and_new):
    out = io.StringIO()

    call_command("purge", "--dry-run", stdout=out)

    text = out.getvalue()
    assert "Courriels envoyés (la trace de chaque envoi) — conservés 90 jours" in text
    assert ": 1 à supprimer" in text
    assert "Essai : rien n'a été supprimé." in text
    assert OutgoingEmail.objects.filter(pk=old_and_new["old_email"].pk).exists()


def test_hr_sets_the_periods_and_the_next_purge_follows_them(client, rh, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        email = _email(days=20)
    client.force_login(rh)
    page = client.get(reverse("intranet:retention"))
    assert page.status_code == 200
    assert "CNIL" in page.content.decode()
    data = {rule.key: rule.default_days for rule in retention.rules()}

    response = client.post(reverse("intranet:retention"), {**data, "intranet.sent_emails": 14})

    assert response.status_code == 302
    assert RetentionPeriod.objects.get(key="intranet.sent_emails").days == 14
    assert AuditLogEntry.objects.get(action="retention.periods").details == {"intranet.sent_emails": [90, 14]}
    retention.retention_purge()
    assert not OutgoingEmail.objects.filter(pk=email.pk).exists()


def test_a_negative_period_is_refused_in_french_on_its_field(client, rh):
    client.force_login(rh)
    data = {rule.key: rule.default_days for rule in retention.rules()}

    response = client.post(reverse("intranet:retention"), {**data, "intranet.audit_log": -5})

    assert response.status_code == 200
    assert response.context["form"].errors["intranet.audit_log"]
    assert not RetentionPeriod.objects.exists()


def test_the_data_export_and_the_anonymisation_still_work_after_a_purge(
    old_and_new, django_capture_on_commit_callbacks, settings
):
    from intranet.directory.services.rgpd import agent_anonymise, agent_data_export

    agent = old_and_new["old_cv"].agent
    with django_capture_on_commit_callbacks(execute=True):
        retention.retention_purge()

    export = agent_data_export(agent=agent, user=agent)
    assert export["vacancies"]  # the interest without its CV

    departed = timezone.localdate() - timedelta(days=settings.AGENT_RETENTION_DAYS + 1)
    agent.is_active, agent.departure_date = False, departed
    agent.save(update_fields=["is_active", "departure_date"])
    anonymised = agent_anonymise(agent=agent)
    assert anonymised.anonymised_at is not None
    assert anonymised.email != agent.email
