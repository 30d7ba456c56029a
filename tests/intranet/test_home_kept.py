"""The home page's kept slots (intranet.home, HomeSlot.kept): a person's own slots are kept a
minute with their « À faire » inbox and follow their own changes at once; the slots kept for
everyone are read once a minute for all; a kept slot never holds a form nor reads the request
(its HTML is rendered apart), and the slots kept for everyone say the same to every person."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from intranet.home import _render
from intranet.registry import HomeSlot, registry
from tests.factories import PASSWORD, AgentFactory
from tests.html import text_of
from tests.vacancies.factories import VacancyFactory
from vacancies.models import Vacancy

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# What a template rendered apart from the page does not have: the request, a CSRF token, messages.
NEEDS_THE_PAGE = re.compile(r"csrf_token|<form\b|\brequest\b|\bperms\b|\bmessages\b")


def _kept(kind: str) -> list[HomeSlot]:
    return [slot for slot in registry.home_slots.values() if slot.kept == kind]


def test_some_slots_are_kept_for_the_person_and_some_for_everyone():
    assert {slot.key for slot in _kept(HomeSlot.KEPT_PERSON)} >= {"news", "events-next", "my-unit"}
    assert {slot.key for slot in _kept(HomeSlot.KEPT_EVERYONE)} >= {"actions-progress", "vacancies-latest"}
    assert {slot.kept for slot in registry.home_slots.values()} <= {"", HomeSlot.KEPT_PERSON, HomeSlot.KEPT_EVERYONE}


@pytest.mark.parametrize("slot", _kept(HomeSlot.KEPT_PERSON) + _kept(HomeSlot.KEPT_EVERYONE), ids=lambda s: s.key)
def test_a_kept_slot_holds_no_form_and_reads_no_request(slot):
    text = (TEMPLATES / slot.template).read_text()
    assert not NEEDS_THE_PAGE.search(text), f"{slot.template}: {NEEDS_THE_PAGE.search(text)[0]}"
    assert "{% include" not in text, f"{slot.template}: an include may need the page"


def test_the_slots_kept_for_everyone_say_the_same_to_every_person(agent, manager, rh, site):
    from tests.actions.factories import ActionCardFactory, PlanFactory

    ActionCardFactory(objective__plan=PlanFactory(is_current=True))
    VacancyFactory(title="Chargé de mission mobilités")
    AgentFactory(first_name="Nina", last_name="Nouvelle", arrival_date=agent.date_joined.date(), site=site)
    other = AgentFactory(email="ailleurs@test.local")  # another unit, another site, no manager
    for slot in _kept(HomeSlot.KEPT_EVERYONE):
        rendered = set()
        for person in (agent, manager, rh, other):
            request = RequestFactory().get("/")
            request.user = person
            if slot.visible(person):
                rendered.add(_render(slot, request))
        assert len(rendered) == 1, f"{slot.key} differs from one person to another"


def test_a_slot_kept_for_everyone_is_renewed_when_its_data_changes(client, agent, manager):
    vacancy = VacancyFactory(title="Chargé de mission mobilités")
    client.force_login(agent)
    assert "Chargé de mission mobilités" in text_of(client.get(reverse("intranet:home")))
    VacancyFactory(title="Gestionnaire des assemblées")  # HR publishes another: renewed at once
    client.force_login(manager)
    home = text_of(client.get(reverse("intranet:home")))
    assert "Chargé de mission mobilités" in home
    assert "Gestionnaire des assemblées" in home
    vacancy.status = Vacancy.Status.CLOSED
    vacancy.save()
    assert "Chargé de mission mobilités" not in text_of(client.get(reverse("intranet:home")))


def test_what_bypasses_the_signals_reaches_the_slots_kept_for_everyone_within_the_minute(client, agent, manager):
    vacancy = VacancyFactory(title="Chargé de mission mobilités")
    client.force_login(agent)
    assert "Chargé de mission mobilités" in text_of(client.get(reverse("intranet:home")))
    Vacancy.objects.filter(pk=vacancy.pk).update(title="Chargée de mission mobilités")  # no signal
    client.force_login(manager)
    assert "Chargé de mission mobilités" in text_of(client.get(reverse("intranet:home")))  # as read
    cache.clear()  # a minute later
    assert "Chargée de mission mobilités" in text_of(client.get(reverse("intranet:home")))


def test_signing_in_does_not_renew_the_slots_kept_for_everyone(client, agent, manager):
    from intranet.kept import model_version_name, version

    client.force_login(agent)
    client.get(reverse("intranet:home"))
    before = version(model_version_name("intranet.Agent"))
    client.logout()
    client.post(reverse("account_login"), {"login": manager.email, "password": PASSWORD})
    assert client.get(reverse("intranet:home")).status_code == 200
    assert version(model_version_name("intranet.Agent")) == before != ""


def test_the_persons_own_slots_follow_their_own_change_at_once(client, agent, unit):
    client.force_login(agent)
    assert "Effectif du service2 agents" in text_of(client.get(reverse("intranet:home")))  # the manager and her
    AgentFactory(org_unit=unit)  # HR adds a colleague
    assert "Effectif du service2 agents" in text_of(client.get(reverse("intranet:home")))  # kept a minute
    client.post(reverse("intranet:todo-digest"), {"todo_digest": "on"})  # the agent's own change
    assert "Effectif du service3 agents" in text_of(client.get(reverse("intranet:home")))


def test_a_kept_slot_is_rendered_in_the_persons_language(client, agent):
    VacancyFactory(title="Chargé de mission mobilités")
    client.force_login(agent)
    assert "Voir l'offre ouverte" in text_of(client.get(reverse("intranet:home")))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = text_of(client.get(reverse("intranet:home")))
    assert "Voir l'offre ouverte" not in english
    assert "open vacancy" in english.lower()


def test_the_new_arrivals_box_is_renewed_when_the_org_chart_changes(client, agent, site):
    from intranet.directory.selectors.orgchart import orgchart_changed
    from intranet.models import Agent

    client.force_login(agent)
    client.get(reverse("intranet:home"))
    arrived = AgentFactory.build(
        first_name="Nina", last_name="Nouvelle", arrival_date=agent.date_joined.date(), site=site
    )
    Agent.objects.bulk_create([arrived])  # the agents' import writes in bulk: no signal
    assert "Nina Nouvelle" not in text_of(client.get(reverse("intranet:home")))
    orgchart_changed()  # what the import calls once it has written
    assert "Nina Nouvelle" in text_of(client.get(reverse("intranet:home")))


def test_an_inbox_kept_by_an_older_version_is_read_again(client, agent):
    """During a deployment the cache still holds the previous version's entries: the home page reads
    the inbox again instead of failing on their shape."""
    from django.utils import timezone
    from django.utils.translation import get_language

    cache.set(f"todo-home:{agent.pk}", ((timezone.localdate(), get_language()), []), 60)  # the old shape
    client.force_login(agent)
    response = client.get(reverse("intranet:home"))
    assert response.status_code == 200
    assert "À faire" in text_of(response)
