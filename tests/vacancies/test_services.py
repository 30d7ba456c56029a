import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from intranet.models import AuditLogEntry, OutgoingEmail
from tests.factories import OrgUnitFactory
from tests.vacancies.factories import InterestFactory, VacancyFactory
from tests.vacancies.pdfs import (
    big_pdf_upload,
    encrypted_pdf_upload,
    exe_renamed_upload,
    fake_pdf_upload,
    pdf_upload,
)
from vacancies.models import Interest, Vacancy, one_month_after
from vacancies.selectors import vacancy_list_open
from vacancies.services.interests import interest_delete_for_agent, interest_express
from vacancies.services.postings import (
    ShortApplicationPeriod,
    vacancy_close,
    vacancy_close_past_deadline,
    vacancy_create,
    vacancy_publish,
)
from vacancies.tasks import vacancies_close_past_deadline_task

pytestmark = pytest.mark.django_db


def _draft(rh, *, days=45, **extra):
    return vacancy_create(
        user=rh,
        title="Gestionnaire RH",
        org_unit=OrgUnitFactory(),
        category="B",
        grade="Rédacteur",
        description="Missions",
        deadline=timezone.localdate() + datetime.timedelta(days=days),
        contact_email="rh@test.local",
        **extra,
    )


def test_one_month_after_handles_short_months():
    assert one_month_after(datetime.date(2026, 1, 31)) == datetime.date(2026, 2, 28)
    assert one_month_after(datetime.date(2026, 12, 15)) == datetime.date(2027, 1, 15)
    assert one_month_after(datetime.date(2026, 3, 10)) == datetime.date(2026, 4, 10)


def test_vacancy_create_is_a_draft_with_a_reference_and_not_open(rh):
    vacancy = _draft(rh)
    assert vacancy.status == Vacancy.Status.DRAFT
    assert vacancy.reference == f"OE-{timezone.localdate().year}-001"
    assert _draft(rh).reference == f"OE-{timezone.localdate().year}-002"
    assert not vacancy_list_open().filter(pk=vacancy.pk).exists()


def test_lifecycle_draft_published_then_closed_by_itself_at_the_deadline(rh):
    vacancy = _draft(rh, days=40)
    published = vacancy_publish(vacancy=vacancy, user=rh)
    assert published.status == Vacancy.Status.PUBLISHED
    assert published.published_at is not None
    assert list(vacancy_list_open()) == [published]
    deadline = published.deadline
    # Open on its last day, closed the day after, before any task ran: the query decides.
    assert Vacancy.objects.open(today=deadline).filter(pk=vacancy.pk).exists()
    assert not Vacancy.objects.open(today=deadline + datetime.timedelta(days=1)).exists()
    # The beat's bookkeeping marks it closed, once.
    Vacancy.objects.filter(pk=vacancy.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    assert not vacancy_list_open().exists()
    vacancies_close_past_deadline_task.apply()
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.CLOSED
    assert vacancy.closed_at is not None
    assert vacancy_close_past_deadline() == 0


def test_publish_with_less_than_a_month_warns_and_needs_explicit_confirmation(rh):
    vacancy = _draft(rh, days=20)
    with pytest.raises(ShortApplicationPeriod) as error:
        vacancy_publish(vacancy=vacancy, user=rh)
    assert "inférieure à un mois" in str(error.value)
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.DRAFT  # not a silent accept
    vacancy_publish(vacancy=vacancy, user=rh, confirm_short_period=True)  # not a hard block
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.PUBLISHED
    assert vacancy.short_period_confirmed_by == rh
    entry = AuditLogEntry.objects.get(action="vacancy.publish")
    assert entry.details == {"short_period_confirmed": True}


def test_publish_exactly_one_month_needs_no_confirmation(rh):
    today = timezone.localdate()
    vacancy = _draft(rh, days=(one_month_after(today) - today).days)
    vacancy_publish(vacancy=vacancy, user=rh)
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.PUBLISHED
    assert vacancy.short_period_confirmed_by is None


def test_publish_refuses_a_past_deadline_and_a_second_publication(rh):
    vacancy = _draft(rh, days=-1)
    with pytest.raises(ValidationError, match="déjà passée"):
        vacancy_publish(vacancy=vacancy, user=rh, confirm_short_period=True)
    published = VacancyFactory()
    with pytest.raises(ValidationError, match="brouillon"):
        vacancy_publish(vacancy=published, user=rh)


def test_close_by_hr_is_immediate_and_idempotent(rh):
    vacancy = VacancyFactory()
    vacancy_close(vacancy=vacancy, user=rh)
    assert not vacancy_list_open().exists()
    vacancy_close(vacancy=vacancy, user=rh)
    assert AuditLogEntry.objects.filter(action="vacancy.close").count() == 1


def test_vacancy_list_open_is_ordered_by_deadline_with_unit_and_site(django_assert_num_queries):
    today = timezone.localdate()
    later = VacancyFactory(deadline=today + datetime.timedelta(days=50))
    sooner = VacancyFactory(deadline=today)
    VacancyFactory(status=Vacancy.Status.DRAFT, published_at=None)
    VacancyFactory(deadline=today - datetime.timedelta(days=1))
    with django_assert_num_queries(1):
        rows = [(v, v.org_unit.name, v.site.name, v.get_absolute_url()) for v in vacancy_list_open()]
    assert [row[0] for row in rows] == [sooner, later]


def test_interest_with_a_pdf_cv_is_stored_privately_and_hr_is_told(agent, rh, django_capture_on_commit_callbacks):
    vacancy = VacancyFactory()
    with django_capture_on_commit_callbacks(execute=False):
        interest = interest_express(vacancy=vacancy, agent=agent, message="Motivée", cv=pdf_upload())
    assert interest.cv.name.startswith("private/vacancies/cv/")
    assert interest.cv.read().startswith(b"%PDF-")
    assert interest.cv_size > 0
    mail = OutgoingEmail.objects.get(kind="vacancies.interest")
    assert mail.to == rh.email
    assert vacancy.title in mail.subject
    assert "Motivée" in mail.text
    assert str(agent) in mail.text


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (exe_renamed_upload, "doit être un fichier PDF"),
        (big_pdf_upload, "taille maximale de 5 Mo"),
        (fake_pdf_upload, "illisible ou endommagé"),
        (encrypted_pdf_upload, "protégé par un mot de passe"),
    ],
)
def test_interest_refuses_a_renamed_executable_and_a_too_big_file(agent, upload, message):
    vacancy = VacancyFactory()
    with pytest.raises(ValidationError, match=message):
        interest_express(vacancy=vacancy, agent=agent, message="Bonjour", cv=upload())
    assert not Interest.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_interest_refused_when_closed_or_twice(agent):
    closed = VacancyFactory(deadline=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="plus ouverte"):
        interest_express(vacancy=closed, agent=agent, message="Bonjour")
    vacancy = VacancyFactory()
    interest_express(vacancy=vacancy, agent=agent, message="Bonjour")
    with pytest.raises(ValidationError, match="déjà manifesté"):
        interest_express(vacancy=vacancy, agent=agent, message="Encore")
    assert Interest.objects.count() == 1


def test_departed_agent_anonymisation_deletes_interests_and_cv(agent, django_capture_on_commit_callbacks):
    interest = interest_express(vacancy=VacancyFactory(), agent=agent, message="Bonjour", cv=pdf_upload())
    storage, name = interest.cv.storage, interest.cv.name
    InterestFactory()  # someone else's stays
    with django_capture_on_commit_callbacks(execute=True):
        assert interest_delete_for_agent(agent=agent) == 1
    assert not storage.exists(name)
    assert Interest.objects.count() == 1
