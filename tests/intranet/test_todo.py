"""« À faire »: what waits for a person, from every app's registered source, on the home page,
on its own page and in the weekly e-mail — in a number of queries that does not grow with the
number of things waiting."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from intranet import selectors, services
from intranet.models import Agent, OutgoingEmail
from intranet.registry import registry
from tests.factories import AgentFactory
from tests.intranet.todo_data import SOURCES, busy_person, fill_inbox
from tests.querycount import assert_same_queries

pytestmark = pytest.mark.django_db

# Queries of each source for a person who has something in every one (constant: see below).
SOURCE_QUERIES = {
    "shadowing-decisions": 10,  # 3 of them the person's roles (computed once per request)
    "shadowing-visits": 2,
    "onboarding-tasks": 2,
    "onboarding-late": 2,
    "reviews-self-assessments": 3,
    "reviews-decisions": 2,
    "reviews-decision-follow-ups": 2,
    "actions-cards": 3,
    "surveys-to-answer": 2,
    "vacancies-interests": 2,
    "content-news-review": 2,
    "content-news-returned": 2,
    "content-pages-review": 2,
    "content-documents-review": 2,
    "events-checkins": 2,
    "events-deadlines": 4,  # 2 of them the person as the audience rule sees them (once per request)
}


@pytest.fixture
def busy(db):
    return busy_person()


def test_every_source_is_registered():
    assert sorted(SOURCES) == sorted(registry.todo_sources)
    assert sorted(SOURCE_QUERIES) == sorted(SOURCES)


@pytest.mark.parametrize("n", [1, 12])
@pytest.mark.parametrize("key", SOURCES)
def test_each_source_reads_in_constant_queries(busy, django_assert_num_queries, key, n):
    fill_inbox(busy, n)
    busy = Agent.objects.get(pk=busy.pk)  # its roles as they are now (a pilot since fill_inbox)
    source = registry.todo_sources[key]
    assert source.visible(busy)
    with django_assert_num_queries(SOURCE_QUERIES[key]):
        group = source.items(user=busy, today=timezone.localdate(), limit=selectors.TODO_HOME_LIMIT)
    assert group.count == n
    assert len(group.items) == min(n, selectors.TODO_HOME_LIMIT)
    assert all(item.url.startswith("/") for item in group.items)


def test_the_todo_page_does_not_grow_with_the_things_waiting(client, busy):
    fill_inbox(busy, 1)
    client.force_login(busy)
    assert_same_queries(client, reverse("intranet:todo"), lambda: fill_inbox(busy, 15))


def test_the_home_page_reading_its_inbox_does_not_grow_with_the_things_waiting(client, busy):
    fill_inbox(busy, 1)
    client.force_login(busy)
    client.get(reverse("intranet:home"))  # warm-up: content types, translations, sessions…

    def queries_reading_the_inbox():
        cache.clear()  # nothing kept (the inbox, the boxes, the roles): read it all
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("intranet:home")).status_code == 200
        return len(queries)

    before = queries_reading_the_inbox()
    fill_inbox(busy, 15)
    assert queries_reading_the_inbox() == before


def test_the_home_inbox_is_kept_a_minute_and_follows_the_persons_own_changes(client, busy):
    """The home page's inbox and the header's count are kept a minute (TODO_COUNT_SECONDS), from
    the same reading; the « À faire » page always reads afresh and renews them; the person's own
    change (any POST) makes both read afresh on their next page."""
    from onboarding.models import JourneyTask

    fill_inbox(busy, 1)
    client.force_login(busy)

    def home_count():
        page = client.get(reverse("intranet:home")).content.decode()
        todo = page[page.index('id="a-faire"') : page.index("Tout ce qui vous attend")]
        return todo.split('text-bg-primary">')[1].split("<")[0], _header_count(client)

    assert home_count() == (str(len(SOURCES)),) * 2
    fill_inbox(busy, 1)  # others' doings: new requests, tasks, surveys…
    assert home_count() == (str(len(SOURCES)),) * 2  # within the minute: as read
    assert client.get(reverse("intranet:todo")).content.decode().count('class="todo-item') == 2 * len(SOURCES)
    assert home_count() == (str(2 * len(SOURCES)),) * 2  # renewed by the « À faire » page
    fill_inbox(busy, 1)
    task = JourneyTask.objects.filter(assignee=busy).first()
    client.post(reverse("onboarding:task-toggle", args=[task.pk]), {"done": "1"})
    assert home_count() == (str(3 * len(SOURCES) - 1),) * 2  # the person's own change: read afresh


def test_home_shows_each_group_with_its_count_and_the_late_ones(client, busy):
    fill_inbox(busy, 5)
    client.force_login(busy)
    page = client.get(reverse("intranet:home")).content.decode()
    todo = page[page.index('id="a-faire"') : page.index("Tout ce qui vous attend")]
    for key in SOURCES:
        assert f'id="a-faire-{key}"' in todo
    assert "Tâches des parcours d&#x27;intégration" in todo or "Tâches des parcours d'intégration" in todo
    assert "en retard : prévu le" in todo  # the task due yesterday
    assert "et 2 autres" in todo  # 5 things, 3 shown
    inbox = selectors.todo_inbox(user=Agent.objects.get(pk=busy.pk))
    assert f'<span class="badge rounded-pill text-bg-primary">{inbox.count}</span>' in todo
    assert inbox.count == 5 * len(SOURCES)


def test_todo_page_lists_everything(client, busy):
    fill_inbox(busy, 5)
    client.force_login(busy)
    page = client.get(reverse("intranet:todo")).content.decode()
    assert page.count('class="todo-item') == 5 * len(SOURCES)
    assert "et 2 autres" not in page


def test_nothing_waiting_says_so(client, agent):
    client.force_login(agent)
    assert "Rien ne vous attend pour l'instant." in client.get(reverse("intranet:home")).content.decode()
    assert "Rien ne vous attend pour l'instant." in client.get(reverse("intranet:todo")).content.decode()


def test_a_partner_sees_only_the_surveys_and_the_events_sent_to_them(client, partenaire, busy):
    fill_inbox(busy, 1)
    keys = [source.key for source in registry.todo_sources_for(partenaire)]
    assert keys == ["surveys-to-answer", "events-deadlines"]
    assert selectors.todo_inbox(user=partenaire).count == 0
    client.force_login(partenaire)
    assert client.get(reverse("intranet:todo")).status_code == 200


def test_an_agent_sees_nothing_of_the_hr_and_committee_queues(busy, agent):
    fill_inbox(busy, 2)
    assert selectors.todo_inbox(user=Agent.objects.get(pk=busy.pk)).count == 2 * len(SOURCES)
    keys = [entry.source.key for entry in selectors.todo_inbox(user=agent).entries]
    assert keys == []


# --- The weekly e-mail ------------------------------------------------------------------------

PARIS = ZoneInfo("Europe/Paris")
MONDAY_8 = datetime(2026, 3, 2, 8, 0, tzinfo=PARIS)  # a Monday


def next_monday_8() -> datetime:
    """The coming Monday (today if it is one) at 8:00: the things due earlier are late then."""
    today = timezone.localdate()
    monday = today + timedelta(days=(7 - today.weekday()) % 7)
    return datetime(monday.year, monday.month, monday.day, 8, 0, tzinfo=PARIS)


def test_digest_time_is_this_weeks_monday_at_seven(settings):
    settings.TODO_DIGEST_WEEKDAY, settings.TODO_DIGEST_HOUR = 0, 7
    assert services.todo_digest_moment(now=MONDAY_8) == datetime(2026, 3, 2, 7, 0, tzinfo=PARIS)
    assert services.todo_digest_moment(now=MONDAY_8 - timedelta(hours=2)) == datetime(2026, 2, 23, 7, tzinfo=PARIS)
    assert services.todo_digest_moment(now=MONDAY_8 + timedelta(days=3)) == datetime(2026, 3, 2, 7, tzinfo=PARIS)


def test_the_digest_goes_once_a_week_to_who_has_something_waiting(busy, agent, settings):
    monday = next_monday_8()
    settings.SITE_URL = "https://intranet.example.fr"
    fill_inbox(busy, 2)
    quiet_off = AgentFactory(email="sans-recap@test.local", roles=["rh"], todo_digest=False)
    # Odile, and the two hosts whose acceptance the approved visits wait for.
    assert services.todo_digests_send(now=monday) == 3
    (email,) = OutgoingEmail.objects.filter(kind="intranet.todo_digest", to=busy.email)
    assert email.subject == f"À faire : {2 * len(SOURCES)} choses vous attendent sur l'intranet"
    assert "Montre-moi ton job : demandes à décider (2)" in email.text
    assert "https://intranet.example.fr/a-faire/" in email.text
    assert 'href="https://intranet.example.fr/' in email.html
    assert "Ne plus recevoir ce récapitulatif" in email.text
    # Nothing twice in the same week, even for those who had nothing (the agent) or turned it off.
    assert services.todo_digests_send(now=monday + timedelta(days=2)) == 0
    assert OutgoingEmail.objects.filter(to__in=[agent.email, quiet_off.email]).count() == 0
    # The next week, again.
    assert services.todo_digests_send(now=monday + timedelta(days=7)) == 3


def test_turning_the_digest_off_from_the_todo_page(client, busy):
    monday = next_monday_8()
    fill_inbox(busy, 1)
    client.force_login(busy)
    page = client.get(reverse("intranet:todo")).content.decode()
    assert 'name="todo_digest"' in page
    assert "checked" in page[page.index('name="todo_digest"') - 200 : page.index('name="todo_digest"') + 200]
    response = client.post(reverse("intranet:todo-digest"), {})
    assert response.status_code == 302
    busy.refresh_from_db()
    assert busy.todo_digest is False
    services.todo_digests_send(now=monday)
    assert not OutgoingEmail.objects.filter(to=busy.email).exists()
    client.post(reverse("intranet:todo-digest"), {"todo_digest": "on"})
    busy.refresh_from_db()
    assert busy.todo_digest is True


def test_the_digest_reaches_a_real_smtp_server(busy, smtp_server, django_capture_on_commit_callbacks):
    monday = next_monday_8()
    fill_inbox(busy, 1)
    with django_capture_on_commit_callbacks(execute=False):
        services.todo_digests_send(now=monday)
    email = OutgoingEmail.objects.get(kind="intranet.todo_digest", to=busy.email)
    assert services.email_send(email_id=email.pk)
    (message,) = smtp_server.wait_for(1)
    assert message.message["To"] == busy.email
    assert "Auto-évaluations à rédiger (1)" in message.text()


# --- The header's count ---------------------------------------------------------------------------


def _header_count(client) -> str:
    page = client.get(reverse("directory:agent-list")).content.decode()
    link = page[page.index('class="btn mc-todo-link') :]
    link = link[: link.index("</a>")]
    return link.split('text-bg-primary">')[1].split("<")[0] if "text-bg-primary" in link else "0"


def test_the_header_counts_what_waits_and_follows_the_persons_own_changes(client, busy):
    from onboarding.models import JourneyTask

    fill_inbox(busy, 1)
    client.force_login(busy)
    assert _header_count(client) == str(len(SOURCES))
    task = JourneyTask.objects.get(assignee=busy)
    client.post(reverse("onboarding:task-toggle", args=[task.pk]), {"done": "1"})
    assert _header_count(client) == str(len(SOURCES) - 1)


def test_the_header_count_costs_no_query_once_known(client, busy, django_assert_max_num_queries):
    fill_inbox(busy, 3)
    client.force_login(busy)
    client.get(reverse("intranet:home"))  # computes the inbox, and remembers its count
    assert selectors.todo_count(user=busy) == 3 * len(SOURCES)
    with django_assert_max_num_queries(0):
        selectors.todo_count(user=busy)
