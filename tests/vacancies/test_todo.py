"""« À faire », for HR: the expressions of interest received since they last read those of the
vacancy; « Marquer comme lues » takes them out."""

import pytest
from django.urls import reverse

from intranet.models import Agent
from intranet.selectors import todo_inbox
from tests.vacancies.factories import InterestFactory, VacancyFactory

pytestmark = pytest.mark.django_db


def items(user):
    inbox = todo_inbox(user=Agent.objects.get(pk=user.pk), limit=50)
    return [item for entry in inbox.entries if entry.source.key == "vacancies-interests" for item in entry.group.items]


def test_new_interests_wait_for_hr_until_marked_read(client, rh, agent):
    vacancy = VacancyFactory(title="Technicien réseaux", reference="2026-07")
    interest = InterestFactory(vacancy=vacancy, agent=agent)
    (item,) = items(rh)
    assert item.title == "Hélène Dupont : Technicien réseaux (2026-07)"
    assert item.url == reverse("vacancies:vacancy-interests", args=[vacancy.pk]) + f"#interet-{interest.pk}"
    assert items(agent) == []  # an agent never sees others' interests

    client.force_login(rh)
    page = client.get(item.url).content.decode()
    assert "Marquer comme lues" in page
    assert ">nouvelle<" in page
    response = client.post(reverse("vacancies:vacancy-interests-seen", args=[vacancy.pk]))
    assert response.status_code == 302
    assert items(rh) == []
    page = client.get(item.url).content.decode()
    assert "Marquer comme lues" not in page
    assert ">nouvelle<" not in page

    InterestFactory(vacancy=vacancy)  # a later one is new again
    assert len(items(rh)) == 1
