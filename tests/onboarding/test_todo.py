"""« À faire » in a journey: each task waits in its assignee's inbox — the newcomer, their
manager, their parrain or marraine, the HR agent who recorded the arrival —, the overdue ones
late; HR also follow the overdue tasks of everyone else (the IT service's…)."""

from datetime import date

import pytest

from intranet.models import Agent
from intranet.selectors import todo_inbox
from onboarding.models import Assignee, Phase
from onboarding.services.journeys import arrival_record, task_set_done
from tests.factories import AgentFactory
from tests.onboarding.factories import BuddyVolunteerFactory, JourneyTemplateFactory, TemplateTaskFactory

pytestmark = pytest.mark.django_db

ARRIVAL = date(2026, 3, 2)
TODAY = date(2026, 3, 4)  # two days after the arrival


@pytest.fixture
def arrival(agent, manager, rh):
    template = JourneyTemplateFactory(is_default=True, it_email="dsi@test.local")
    for assignee, offset, title in [
        (Assignee.IT, -7, "Créer les comptes"),
        (Assignee.HR, -14, "Envoyer le courrier d'accueil"),
        (Assignee.MANAGER, 0, "Accueillir l'agent"),
        (Assignee.BUDDY, 3, "Visiter les sites"),
        (Assignee.AGENT, 30, "Compléter sa fiche"),
    ]:
        TemplateTaskFactory(template=template, phase=Phase.BEFORE, assignee=assignee, offset_days=offset, title=title)
    buddy = AgentFactory(first_name="Paul", last_name="Parrain")
    BuddyVolunteerFactory(agent=buddy)
    arrival = arrival_record(agent=agent, arrival_date=ARRIVAL, manager=manager, buddy=buddy, user=rh)
    arrival.refresh_from_db()
    return arrival


def group(user, key):
    inbox = todo_inbox(user=Agent.objects.get(pk=user.pk), today=TODAY, limit=50)
    return next((entry.group for entry in inbox.entries if entry.source.key == key), None)


def test_each_assignee_finds_their_tasks_with_the_late_ones_marked(arrival, agent, manager, rh):
    newcomer = group(agent, "onboarding-tasks")
    assert [(i.title, i.detail, i.late) for i in newcomer.items] == [
        ("Compléter sa fiche", "votre parcours d'intégration", False)
    ]
    boss = group(manager, "onboarding-tasks")
    assert [(i.title, i.detail, i.late, i.due) for i in boss.items] == [
        ("Accueillir l'agent", "parcours de Hélène Dupont", True, ARRIVAL)
    ]
    assert boss.late == 1
    assert [i.title for i in group(arrival.buddy, "onboarding-tasks").items] == ["Visiter les sites"]
    assert not group(arrival.buddy, "onboarding-tasks").late
    hr = group(rh, "onboarding-tasks")
    assert [(i.title, i.late) for i in hr.items] == [("Envoyer le courrier d'accueil", True)]
    assert hr.items[0].url.endswith(f"/arrivees/{arrival.pk}/#tache-{arrival.tasks.get(assignee=rh).pk}")


def test_hr_follow_the_overdue_tasks_of_others(arrival, rh, manager):
    others = group(rh, "onboarding-late")
    assert [i.title for i in others.items] == ["Créer les comptes", "Accueillir l'agent"]
    assert others.late == others.count == 2
    assert group(manager, "onboarding-late") is None  # HR's own view only


def test_a_ticked_task_leaves_the_inbox(arrival, manager):
    task = arrival.tasks.get(assignee=manager)
    task_set_done(task=task, user=manager)
    assert group(manager, "onboarding-tasks") is None
