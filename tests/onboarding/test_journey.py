"""The integration journey: the checklist from a template and the arrival date, ticking,
and the reminders to each task's assignee when it falls due."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from intranet.models import OutgoingEmail
from intranet.services import email_send
from onboarding.models import Arrival, Assignee, JourneyTask, Phase
from onboarding.services.buddies import buddy_assign
from onboarding.services.daily import onboarding_daily
from onboarding.services.journeys import arrival_record, arrival_update, journey_reminders_send, task_set_done
from tests.factories import AgentFactory
from tests.onboarding.factories import BuddyVolunteerFactory, JourneyTemplateFactory, TemplateTaskFactory

pytestmark = pytest.mark.django_db

ARRIVAL = date(2026, 3, 2)


@pytest.fixture
def template():
    template = JourneyTemplateFactory(is_default=True, it_email="dsi@test.local")
    for phase, assignee, offset, title in [
        (Phase.BEFORE, Assignee.IT, -7, "Créer les comptes"),
        (Phase.BEFORE, Assignee.HR, -14, "Envoyer le courrier d'accueil"),
        (Phase.DAY_ONE, Assignee.MANAGER, 0, "Accueillir l'agent"),
        (Phase.WEEK_ONE, Assignee.BUDDY, 3, "Visiter les sites"),
        (Phase.MONTH_ONE, Assignee.AGENT, 30, "Compléter sa fiche"),
        (Phase.MONTH_THREE, Assignee.MANAGER, 90, "Entretien des trois mois"),
    ]:
        TemplateTaskFactory(template=template, phase=phase, assignee=assignee, offset_days=offset, title=title)
    return template


def test_recording_an_arrival_builds_the_checklist_from_the_template_and_the_arrival_date(template, agent, manager, rh):
    arrival = arrival_record(agent=agent, arrival_date=ARRIVAL, manager=manager, user=rh)

    tasks = {task.title: task for task in arrival.tasks.all()}
    assert len(tasks) == 6
    assert tasks["Envoyer le courrier d'accueil"].due_date == date(2026, 2, 16)
    assert tasks["Créer les comptes"].due_date == date(2026, 2, 23)
    assert tasks["Accueillir l'agent"].due_date == ARRIVAL
    assert tasks["Visiter les sites"].due_date == date(2026, 3, 5)
    assert tasks["Compléter sa fiche"].due_date == date(2026, 4, 1)
    assert tasks["Entretien des trois mois"].due_date == date(2026, 5, 31)
    assert tasks["Créer les comptes"].assignee is None
    assert tasks["Créer les comptes"].assignee_email == "dsi@test.local"
    assert tasks["Envoyer le courrier d'accueil"].assignee == rh
    assert tasks["Accueillir l'agent"].assignee == manager
    assert tasks["Compléter sa fiche"].assignee == agent
    assert tasks["Visiter les sites"].assignee is None  # no buddy yet
    assert tasks["Entretien des trois mois"].phase == Phase.MONTH_THREE
    agent.refresh_from_db()
    assert agent.arrival_date == ARRIVAL
    assert OutgoingEmail.objects.filter(to=manager.email, kind="onboarding.arrival.manager").count() == 1


def test_a_buddy_confirmed_later_gets_the_buddy_tasks(template, agent, manager, rh):
    arrival = arrival_record(agent=agent, arrival_date=ARRIVAL, manager=manager, user=rh)
    buddy = BuddyVolunteerFactory().agent

    buddy_assign(arrival=arrival, buddy=buddy, user=rh, today=ARRIVAL)

    assert arrival.tasks.get(assignee_role=Assignee.BUDDY).assignee == buddy


def test_an_arrival_is_recorded_once(template, agent, rh):
    arrival_record(agent=agent, arrival_date=ARRIVAL, user=rh)
    with pytest.raises(ValidationError, match="déjà enregistrée"):
        arrival_record(agent=agent, arrival_date=ARRIVAL + timedelta(days=1), user=rh)
    assert Arrival.objects.count() == 1
    assert JourneyTask.objects.count() == 6


def test_a_refused_buddy_leaves_nothing_half_stored(template, agent, rh):
    not_a_volunteer = AgentFactory()
    with pytest.raises(ValidationError, match="volontaire"):
        arrival_record(agent=agent, arrival_date=ARRIVAL, buddy=not_a_volunteer, user=rh)
    assert not Arrival.objects.exists()
    assert not JourneyTask.objects.exists()


def test_reminders_go_once_to_each_assignee_of_a_task_due_and_not_done(template, agent, manager, rh):
    arrival = arrival_record(agent=agent, arrival_date=ARRIVAL, manager=manager, user=rh)
    OutgoingEmail.objects.all().delete()
    task_set_done(task=arrival.tasks.get(title="Envoyer le courrier d'accueil"), user=rh)

    sent = journey_reminders_send(today=ARRIVAL)

    reminders = OutgoingEmail.objects.filter(kind="onboarding.task.reminder")
    assert sent == 2
    assert sorted(reminders.values_list("to", flat=True)) == ["dsi@test.local", manager.email]
    manager_mail = reminders.get(to=manager.email)
    assert "Accueillir l'agent" in manager_mail.subject
    assert str(agent) in manager_mail.subject
    assert journey_reminders_send(today=ARRIVAL) == 0  # idempotent
    assert reminders.count() == 2
    # Later, the tasks that fell due since are reminded, once.
    assert journey_reminders_send(today=ARRIVAL + timedelta(days=3)) == 0  # the buddy task: no buddy
    assert journey_reminders_send(today=ARRIVAL + timedelta(days=30)) == 1
    assert reminders.filter(to=agent.email).count() == 1


def test_a_reminder_reaches_the_smtp_server(template, agent, manager, rh, smtp_server):
    arrival_record(agent=agent, arrival_date=ARRIVAL, manager=manager, user=rh)
    journey_reminders_send(today=ARRIVAL)
    email = OutgoingEmail.objects.get(kind="onboarding.task.reminder", to=manager.email)

    assert email_send(email_id=email.pk)

    [received] = smtp_server.messages_to(manager.email)
    assert "Accueillir l'agent" in received.text()


def test_an_agent_without_mailbox_gets_no_reminder_but_the_task_is_marked(template, agent, rh):
    agent.has_mailbox = False
    agent.save(update_fields=["has_mailbox"])
    arrival_record(agent=agent, arrival_date=ARRIVAL, user=rh)
    journey_reminders_send(today=ARRIVAL + timedelta(days=40))
    assert not OutgoingEmail.objects.filter(to=agent.email).exists()
    assert JourneyTask.objects.get(title="Compléter sa fiche").reminded_at is not None


def test_moving_the_arrival_date_moves_the_open_tasks_and_the_manager_tasks_follow(template, agent, manager, rh):
    arrival = arrival_record(agent=agent, arrival_date=ARRIVAL, manager=manager, user=rh)
    done = arrival.tasks.get(title="Envoyer le courrier d'accueil")
    task_set_done(task=done, user=rh)
    new_manager = AgentFactory()

    arrival_update(arrival=arrival, arrival_date=ARRIVAL + timedelta(days=14), manager=new_manager, user=rh)

    tasks = {task.title: task for task in arrival.tasks.all()}
    assert tasks["Accueillir l'agent"].due_date == ARRIVAL + timedelta(days=14)
    assert tasks["Accueillir l'agent"].assignee == new_manager
    assert tasks["Envoyer le courrier d'accueil"].due_date == date(2026, 2, 16)  # done: left as it was
    agent.refresh_from_db()
    assert (agent.arrival_date, agent.manager) == (ARRIVAL + timedelta(days=14), new_manager)


def test_the_hourly_task_runs_every_piece_once(template, agent, manager, rh):
    arrival_record(agent=agent, arrival_date=ARRIVAL, manager=manager, user=rh)
    first = onboarding_daily(today=ARRIVAL)
    again = onboarding_daily(today=ARRIVAL)
    assert first["reminders"] == 3  # HR, IT and the manager
    assert again == {"reminders": 0, "invitations": 0, "surveys": 0, "guides": 0}
