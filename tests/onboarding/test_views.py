"""The onboarding pages: bad input gets a French message and stores nothing, constant query
counts on the lists, the demo data."""

import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Registration
from onboarding import content
from onboarding.demo import demo_seed
from onboarding.models import Arrival, GuideChapter, IntegrationDay, JourneyTask, TemplateTask
from tests.factories import AgentFactory, OrgUnitFactory
from tests.onboarding.factories import ArrivalFactory, BuddyVolunteerFactory, IntegrationDayFactory

pytestmark = pytest.mark.django_db


def test_hr_records_an_arrival_and_lands_on_its_journey(client, rh, agent, manager):
    template = content.journey_template_seed()
    client.force_login(rh)
    response = client.post(
        reverse("onboarding:arrival-create"),
        {
            "agent": agent.pk,
            "arrival_date": "2026-09-01",
            "manager": manager.pk,
            "template": template.pk,
        },
    )
    arrival = Arrival.objects.get(agent=agent)
    assert response.status_code == 302
    assert response["Location"] == reverse("onboarding:arrival-detail", args=[arrival.pk])
    assert arrival.tasks.count() == len(content.JOURNEY_TASKS)


def test_recording_an_arrival_with_a_full_buddy_says_why_and_stores_nothing(client, rh, agent):
    template = content.journey_template_seed()
    volunteer = BuddyVolunteerFactory(capacity=1)
    ArrivalFactory(buddy=volunteer.agent)
    client.force_login(rh)
    response = client.post(
        reverse("onboarding:arrival-create"),
        {
            "agent": agent.pk,
            "arrival_date": "2026-09-01",
            "buddy": volunteer.agent.pk,
            "template": template.pk,
        },
    )
    assert response.status_code == 400
    assert "capacité (1) est atteinte" in response.text
    assert not Arrival.objects.filter(agent=agent).exists()
    assert not JourneyTask.objects.exists()


def test_a_wrong_date_is_refused_in_french(client, rh, agent):
    content.journey_template_seed()
    client.force_login(rh)
    response = client.post(reverse("onboarding:arrival-create"), {"agent": agent.pk, "arrival_date": "32/13/2026"})
    assert response.status_code == 400
    assert "Saisissez une date valide" in response.text


def test_the_agent_ticks_their_task_but_not_their_managers(client, agent, manager):
    arrival = ArrivalFactory(agent=agent, manager=manager)
    own = JourneyTask.objects.create(
        arrival=arrival,
        title="Fiche annuaire",
        phase="week1",
        assignee_role="agent",
        assignee=agent,
        due_date=arrival.arrival_date,
    )
    theirs = JourneyTask.objects.create(
        arrival=arrival,
        title="Accueil",
        phase="day1",
        assignee_role="manager",
        assignee=manager,
        due_date=arrival.arrival_date,
    )
    client.force_login(agent)
    assert client.post(reverse("onboarding:task-toggle", args=[own.pk]), {"done": "1"}).status_code == 302
    assert client.post(reverse("onboarding:task-toggle", args=[theirs.pk]), {"done": "1"}).status_code == 403
    own.refresh_from_db()
    theirs.refresh_from_db()
    assert own.done_by == agent
    assert theirs.done_at is None
    response = client.post(
        reverse("onboarding:task-toggle", args=[own.pk]), {"done": "0"}, headers={"HX-Request": "true"}
    )
    assert "Cocher" in response.text
    own.refresh_from_db()
    assert own.done_at is None


def test_the_buddy_sees_their_newcomer_and_others_do_not(client, agent, manager):
    buddy = BuddyVolunteerFactory().agent
    arrival = ArrivalFactory(agent=agent, manager=manager, buddy=buddy)
    client.force_login(buddy)
    assert client.get(reverse("onboarding:arrival-detail", args=[arrival.pk])).status_code == 200
    assert str(agent) in client.get(reverse("onboarding:arrival-list")).text
    client.force_login(AgentFactory())
    assert client.get(reverse("onboarding:arrival-detail", args=[arrival.pk])).status_code == 404
    assert str(agent) not in client.get(reverse("onboarding:arrival-list")).text


def test_a_chapter_without_text_is_refused(client, communication):
    client.force_login(communication)
    response = client.post(
        reverse("onboarding:chapter-create"),
        {"title": "Vide", "body": "<script>alert(1)</script>", "order": 1, "is_published": "on"},
    )
    assert response.status_code == 400
    assert "Le texte du chapitre est vide." in response.text
    assert not GuideChapter.objects.exists()


def test_a_colour_that_is_not_a_colour_is_refused(client, communication):
    client.force_login(communication)
    response = client.post(
        reverse("onboarding:guide-settings"),
        {
            "administration_name": "CC Mad & Moselle",
            "title": "Bienvenue",
            "primary_colour": "#12345g",
            "accent_colour": "#c8102e",
            "contacts": "",
        },
    )
    assert response.status_code == 400
    assert "#RRVVBB" in response.text


def test_hr_edits_a_template_task(client, rh):
    template = content.journey_template_seed()
    task = template.tasks.order_by("offset_days", "order").first()
    formset = {
        "tasks-TOTAL_FORMS": "1",
        "tasks-INITIAL_FORMS": "1",
        "tasks-MIN_NUM_FORMS": "0",
        "tasks-MAX_NUM_FORMS": "1000",
        "tasks-0-id": task.pk,
        "tasks-0-template": template.pk,
        "tasks-0-phase": "before",
        "tasks-0-title": "Envoyer le courrier",
        "tasks-0-assignee": "hr",
        "tasks-0-offset_days": "-21",
        "tasks-0-description": "",
    }
    client.force_login(rh)
    response = client.post(
        reverse("onboarding:template-edit", args=[template.pk]),
        {"name": template.name, "is_default": "on", "it_email": "", **formset},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.title, task.offset_days) == ("Envoyer le courrier", -21)
    assert TemplateTask.objects.filter(template=template).count() == len(content.JOURNEY_TASKS)


def test_a_session_with_a_backwards_period_is_refused(client, rh):
    client.force_login(rh)
    response = client.post(
        reverse("onboarding:session-create"),
        {
            "title": "Journée",
            "date": "2026-10-01",
            "place": "Siège",
            "capacity": "10",
            "arrivals_from": "2026-09-01",
            "arrivals_to": "2026-08-01",
        },
    )
    assert response.status_code == 400
    assert "La fin de la période doit suivre son début." in response.text
    assert not IntegrationDay.objects.exists()


def test_hr_creates_a_session_and_arrivals_are_invited(client, rh):
    ArrivalFactory(arrival_date=date(2026, 9, 3))
    client.force_login(rh)
    response = client.post(
        reverse("onboarding:session-create"),
        {
            "title": "Journée",
            "date": "2026-10-01",
            "place": "Siège",
            "capacity": "10",
            "arrivals_from": "2026-09-01",
            "arrivals_to": "2026-09-30",
        },
    )
    assert response.status_code == 302
    assert Registration.objects.get().status == Registration.Status.CONFIRMED


@pytest.mark.parametrize("name", ["onboarding:arrival-list", "onboarding:my-journey"])
def test_the_arrival_lists_issue_the_same_queries_for_1_and_20_arrivals(client, rh, name):
    client.force_login(rh)
    ArrivalFactory()
    client.get(reverse(name))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(name))
    for arrival in ArrivalFactory.create_batch(20, manager=rh, buddy=BuddyVolunteerFactory(capacity=5).agent):
        JourneyTask.objects.create(
            arrival=arrival, title="T", phase="day1", assignee_role="hr", assignee=rh, due_date=arrival.arrival_date
        )
    with CaptureQueriesContext(connection) as many:
        client.get(reverse(name))
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_the_session_page_issues_the_same_queries_for_1_and_20_invitations(client, rh):
    session = IntegrationDayFactory(capacity=10)
    ArrivalFactory(arrival_date=session.arrivals_from)
    client.force_login(rh)
    from onboarding.services.integration_days import integration_day_invite

    integration_day_invite(integration_day=session)
    client.get(session.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(session.get_absolute_url())
    ArrivalFactory.create_batch(20, arrival_date=session.arrivals_from)
    integration_day_invite(integration_day=session)
    with CaptureQueriesContext(connection) as many:
        response = client.get(session.get_absolute_url())
    assert len(many) == len(few)
    assert "liste d'attente" in response.text


def test_demo_seed_builds_journeys_at_various_stages_once(db):
    from intranet.models import Agent

    today = timezone.localdate()
    rh = AgentFactory(email="rh@demo.local", roles=["rh"])
    boss = AgentFactory(arrival_date=today - timedelta(days=4000))
    for index in range(8):
        AgentFactory(manager=boss, arrival_date=today - timedelta(days=index * 500 + 1), org_unit=OrgUnitFactory())
    out = io.StringIO()
    demo_seed(stdout=out)
    demo_seed(stdout=out)
    assert Arrival.objects.count() == 5
    assert Arrival.objects.filter(arrival_date__gt=today).count() == 1
    assert Arrival.objects.filter(arrival_date__lte=today - timedelta(days=90)).count() == 1
    assert JourneyTask.objects.filter(done_at__isnull=False).exists()
    assert JourneyTask.objects.filter(done_at__isnull=True, due_date__lt=today).exists()  # some late
    assert GuideChapter.objects.count() == len(content.CHAPTERS)
    first, _later = IntegrationDay.objects.all()  # two journées d'intégration, events of the events app
    assert Registration.objects.filter(session=first.event_session).count() == 5
    assert Arrival.objects.filter(buddy__isnull=False).exists()
    assert Agent.objects.filter(buddy_volunteer__isnull=False).exists()
    assert Arrival.objects.filter(created_by=rh).count() == 5


def test_an_agent_downloads_what_onboarding_holds_on_them(agent, manager):
    from intranet.registry import registry

    arrival = ArrivalFactory(agent=agent, manager=manager, arrival_date=date(2026, 9, 1))
    JourneyTask.objects.create(
        arrival=arrival,
        title="Fiche annuaire",
        phase="week1",
        assignee_role="agent",
        assignee=agent,
        due_date=date(2026, 9, 4),
    )
    data = registry.data_exporters["onboarding"].export(agent)
    assert data["arrivee"]["date"] == "2026-09-01"
    assert data["arrivee"]["encadrant"] == str(manager)
    assert data["arrivee"]["taches"] == [{"tache": "Fiche annuaire", "echeance": "2026-09-04", "faite_le": None}]
    assert registry.data_exporters["onboarding"].export(manager)["arrivee"] is None


@pytest.mark.parametrize("name", ["onboarding:arrival-detail", "onboarding:guide-detail"])
def test_an_arrivals_pages_issue_the_same_queries_for_1_and_20_tasks(client, agent, manager, name):
    arrival = ArrivalFactory(agent=agent, manager=manager)

    def add_tasks(count):
        for index in range(count):
            JourneyTask.objects.create(
                arrival=arrival,
                title=f"T{index}",
                phase="day1",
                assignee_role="agent",
                assignee=agent,
                due_date=arrival.arrival_date,
            )

    add_tasks(1)
    client.force_login(agent)
    url = reverse(name, args=[arrival.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_tasks(19)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_guides_asked_for_while_the_broker_was_down_are_published_again(agent, published_guides):
    from onboarding.models import GuideEdition
    from onboarding.services.welcome_guide import guide_dispatch_pending, guide_request

    arrival = ArrivalFactory(agent=agent)
    guide_request(arrival=arrival)
    assert guide_dispatch_pending() == 0  # just asked: a worker may be on it
    GuideEdition.objects.filter(arrival=arrival).update(requested_at=timezone.now() - timedelta(minutes=10))
    assert guide_dispatch_pending() == 1
    assert published_guides[-1] == "pending"  # a task that renders every pending guide


def test_hr_sees_each_arrivals_progress_and_late_tasks(client, rh, agent):
    arrival = ArrivalFactory(agent=agent, arrival_date=timezone.localdate() - timedelta(days=10))
    for index, (offset, done) in enumerate([(-5, True), (-3, False), (-1, False), (5, False)]):
        JourneyTask.objects.create(
            arrival=arrival,
            title=f"T{index}",
            phase="week1",
            assignee_role="hr",
            due_date=timezone.localdate() + timedelta(days=offset),
            done_at=timezone.now() if done else None,
        )
    shown = Arrival.objects.with_progress().get(pk=arrival.pk)
    assert (shown.tasks_total, shown.tasks_done, shown.tasks_late) == (4, 1, 2)
    client.force_login(rh)
    response = client.get(reverse("onboarding:arrival-list"))
    assert "1/4" in response.text
    assert "2 tâches" in response.text


def test_a_fresh_install_starts_from_the_proposed_template_and_chapters(client, rh):
    client.force_login(rh)
    assert "Créer le modèle proposé" in client.get(reverse("onboarding:arrival-create")).text
    response = client.post(reverse("onboarding:template-seed"))
    template = TemplateTask.objects.first().template
    assert response["Location"] == reverse("onboarding:template-edit", args=[template.pk])
    assert template.tasks.count() == len(content.JOURNEY_TASKS)
    client.post(reverse("onboarding:template-seed"))  # twice: still one template
    assert TemplateTask.objects.count() == len(content.JOURNEY_TASKS)
    assert "Créer le modèle proposé" not in client.get(reverse("onboarding:arrival-create")).text

    assert "Partir des chapitres proposés" in client.get(reverse("onboarding:chapter-list")).text
    client.post(reverse("onboarding:chapter-seed"))
    client.post(reverse("onboarding:chapter-seed"))
    assert list(GuideChapter.objects.values_list("title", flat=True)) == [title for title, _ in content.CHAPTERS]


def test_links_to_the_former_address_answer_with_a_permanent_redirect(client, agent):
    """E-mails sent before onboarding moved to /integration/ still lead to the page they named."""
    client.force_login(agent)
    response = client.get("/accueil/arrivees/?page=2")

    assert response.status_code == 301
    assert response["Location"] == "/integration/arrivees/?page=2"
