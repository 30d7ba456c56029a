from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from events import services
from events.models import Event, Registration, Session
from tests.events.factories import EventFactory, RegistrationFactory, SessionFactory
from tests.factories import AgentFactory, SiteFactory
from tests.querycount import assert_same_queries


def _sessions(count, **kw):
    event = EventFactory(**kw)
    start = timezone.now() + timedelta(days=3)
    return Session.objects.bulk_create(
        [
            Session(
                event=event,
                starts_at=start + timedelta(days=i),
                ends_at=start + timedelta(days=i, hours=2),
                site=SiteFactory(),
                capacity=10,
            )
            for i in range(count)
        ]
    )


# --- The agenda --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_agenda_lists_published_sessions_only(client, agent):
    SessionFactory(event=EventFactory(title="Réunion publiée"))
    SessionFactory(event=EventFactory(title="Brouillon secret", status=Event.Status.DRAFT))
    SessionFactory(
        event=EventFactory(title="Réunion passée"),
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2, hours=-1),
    )
    client.force_login(agent)
    page = client.get(reverse("events:agenda")).content.decode()
    assert "Réunion publiée" in page
    assert "Brouillon secret" not in page
    assert "Réunion passée" not in page


@pytest.mark.django_db
def test_partners_see_only_the_sessions_addressed_to_them(client, partenaire):
    SessionFactory(event=EventFactory(title="Séminaire des proviseurs", audience={"partners": True}))
    agents_only = SessionFactory(event=EventFactory(title="Réunion des agents"))
    client.force_login(partenaire)
    page = client.get(reverse("events:agenda")).content.decode()
    assert "Séminaire des proviseurs" in page
    assert "Réunion des agents" not in page
    assert client.get(reverse("events:event-detail", args=[agents_only.event_id])).status_code == 404


@pytest.mark.django_db
def test_agenda_filters_by_kind_audience_and_mine(client, agent):
    mine = SessionFactory(event=EventFactory(title="Webinaire suivi", kind=Event.Kind.WEBINAR))
    RegistrationFactory(session=mine, agent=agent)
    SessionFactory(event=EventFactory(title="Séminaire des proviseurs", audience={"partners": True}))
    SessionFactory(event=EventFactory(title="Formation ouverte"))
    client.force_login(agent)
    url = reverse("events:agenda")
    assert "Formation ouverte" not in client.get(url, {"kind": "webinaire"}).content.decode()
    for_me = client.get(url, {"audience": "pour-moi"}).content.decode()
    assert "Formation ouverte" in for_me
    assert "Séminaire des proviseurs" not in for_me
    only_mine = client.get(url, {"mine": "on"}).content.decode()
    assert "Webinaire suivi" in only_mine
    assert "Formation ouverte" not in only_mine


@pytest.mark.django_db
def test_month_view_puts_each_session_on_its_day(client, agent):
    session = SessionFactory(event=EventFactory(title="Journée d'intégration"))
    client.force_login(agent)
    month = timezone.localtime(session.starts_at).strftime("%Y-%m")
    page = client.get(reverse("events:agenda-month"), {"mois": month}).content.decode()
    assert "Journée d&#x27;intégration" in page or "Journée d'intégration" in page
    assert client.get(reverse("events:agenda-month"), {"mois": "n'importe quoi"}).status_code == 200


@pytest.mark.django_db
def test_agenda_and_month_do_not_grow_with_sessions(client, agent):
    _sessions(1)
    client.force_login(agent)
    for url in (reverse("events:agenda"), reverse("events:agenda-month")):
        assert_same_queries(client, url, grow=lambda: _sessions(12))
    assert_same_queries(client, reverse("events:agenda"), grow=lambda: _sessions(5), data={"audience": "pour-moi"})


@pytest.mark.django_db
def test_event_page_does_not_grow_with_sessions_nor_registrations(client, rh):
    sessions = _sessions(2)
    event = sessions[0].event
    event.organisers.add(rh)
    client.force_login(rh)

    def grow():
        start = timezone.now() + timedelta(days=30)
        more = Session.objects.bulk_create(
            [Session(event=event, starts_at=start, ends_at=start + timedelta(hours=1), room="B") for _ in range(10)]
        )
        for session in more:
            RegistrationFactory(session=session)

    assert_same_queries(client, reverse("events:event-detail", args=[event.pk]), grow=grow)


# --- Registering in one click --------------------------------------------------------------------


@pytest.mark.django_db
def test_register_and_cancel_with_htmx_swap_the_session_block(client, agent):
    session = SessionFactory(capacity=3)
    client.force_login(agent)
    url = reverse("events:session-register", args=[session.pk])
    response = client.post(url, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="inscription-{session.pk}"' in page
    assert "Vous êtes inscrit(e)" in page
    assert Registration.objects.get(agent=agent).is_confirmed
    response = client.post(reverse("events:session-unregister", args=[session.pk]), HTTP_HX_REQUEST="true")
    assert "Votre désinscription est enregistrée" in response.content.decode()
    assert "M&#x27;inscrire" in response.content.decode() or "M'inscrire" in response.content.decode()
    assert Registration.objects.get(agent=agent).status == Registration.Status.CANCELLED


@pytest.mark.django_db
def test_register_without_javascript_goes_back_to_the_event_with_a_message(client, agent):
    session = SessionFactory(capacity=1)
    RegistrationFactory(session=session)
    client.force_login(agent)
    response = client.post(reverse("events:session-register", args=[session.pk]), follow=True)
    assert response.redirect_chain[-1][0] == session.get_absolute_url()
    assert "liste d&#x27;attente" in response.content.decode() or "liste d'attente" in response.content.decode()


@pytest.mark.django_db
def test_a_refused_registration_says_why(client, agent):
    session = SessionFactory(registration_closes_at=timezone.now() - timedelta(minutes=1))
    client.force_login(agent)
    page = client.post(reverse("events:session-register", args=[session.pk]), HTTP_HX_REQUEST="true")
    assert "Les inscriptions sont closes" in page.content.decode()
    assert not Registration.objects.exists()


# --- Running events ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_hr_creates_an_event_then_a_series_then_publishes(client, rh):
    client.force_login(rh)
    response = client.post(
        reverse("events:event-create"),
        {
            "title": "Réunions d'information",
            "kind": "reunion",
            "summary": "",
            "description": "",
            "single_session": "on",
            "audience-everyone": "on",
        },
    )
    event = Event.objects.get()
    assert response.status_code == 302
    assert event.status == Event.Status.DRAFT
    sites = [SiteFactory(name=f"Lycée {n}") for n in range(3)]
    response = client.post(
        reverse("events:session-series", args=[event.pk]),
        {
            "label": "Réunion",
            "first_day": (timezone.localdate() + timedelta(days=10)).isoformat(),
            "start": "14:00",
            "end": "16:00",
            "count": "3",
            "every_days": "7",
            "sites": [site.pk for site in sites],
            "per_site_audience": "on",
            "capacity": "50",
        },
    )
    assert response.status_code == 302
    assert event.sessions.count() == 3
    client.post(reverse("events:event-publish", args=[event.pk]))
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


@pytest.mark.django_db
def test_event_form_errors_are_tied_to_their_fields(client, rh):
    client.force_login(rh)
    response = client.post(reverse("events:event-create"), {"title": "", "kind": "reunion"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "data-error-summary" in page
    assert "Choisissez au moins un destinataire" in page


@pytest.mark.django_db
def test_session_form_refuses_an_end_before_the_start(client, rh):
    event = EventFactory(status=Event.Status.DRAFT)
    event.organisers.add(rh)
    client.force_login(rh)
    response = client.post(
        reverse("events:session-create", args=[event.pk]),
        {"day": "2031-05-05", "start": "14:00", "end": "13:00", "room": "Salle A", "audience_scope": "event"},
    )
    assert response.status_code == 400
    assert "La fin doit suivre le début" in response.content.decode()
    assert not event.sessions.exists()


# --- The day itself ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_checkin_search_and_toggle_with_htmx(client, rh):
    session = SessionFactory()
    session.event.organisers.add(rh)
    dupont = RegistrationFactory(session=session, agent=AgentFactory(last_name="Dupont"))
    RegistrationFactory(session=session, agent=AgentFactory(last_name="Martin"))
    client.force_login(rh)
    url = reverse("events:session-checkin", args=[session.pk])
    found = client.get(url, {"q": "dupo"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="resultats").content.decode()
    assert "Dupont" in found
    assert "Martin" not in found
    assert "<html" not in found
    row = client.post(
        reverse("events:checkin-toggle", args=[dupont.pk]), {"present": "1"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert f'id="presence-{dupont.pk}"' in row
    assert "présent(e) depuis" in row
    session.refresh_from_db()
    assert session.checked_in_count == 1


@pytest.mark.django_db
def test_the_qr_code_link_checks_in_only_on_confirmation(client, rh):
    registration = RegistrationFactory()
    registration.session.event.organisers.add(rh)
    client.force_login(rh)
    url = reverse("events:checkin-qr", args=[registration.pk, registration.checkin_token()])
    assert client.get(url).status_code == 200
    registration.refresh_from_db()
    assert registration.checked_in_at is None
    client.post(url)
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    wrong = reverse("events:checkin-qr", args=[registration.pk, "0" * 32])
    assert client.get(wrong).status_code == 404


@pytest.mark.django_db
def test_an_organiser_registers_someone_from_the_registrations_page(client, rh):
    session = SessionFactory()
    session.event.organisers.add(rh)
    paper = AgentFactory(has_mailbox=False, last_name="Sanspapier")
    client.force_login(rh)
    response = client.post(reverse("events:session-registrations", args=[session.pk]), {"agent": paper.pk})
    assert response.status_code == 302
    assert Registration.objects.get(agent=paper).registered_by == rh
    page = client.get(reverse("events:session-registrations", args=[session.pk])).content.decode()
    assert "Sanspapier" in page
    assert "sans messagerie" in page


# --- The calendar feed ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_feed_lists_confirmed_sessions_and_dies_when_reset(client, agent):
    confirmed = RegistrationFactory(agent=agent)
    RegistrationFactory(agent=agent, status=Registration.Status.WAITING, waiting_since=timezone.now())
    feed = services.calendar_feed_get_or_create(agent=agent)
    url = reverse("events:feed", args=[feed.token()])
    response = client.get(url)  # no session: the address is the key
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    uids = [str(component["uid"]) for component in calendar.walk("VEVENT")]
    assert uids == [f"event-session-{confirmed.session_id}@" + uids[0].split("@")[1]]
    services.calendar_feed_reset(agent=agent)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_convocation_shows_a_qr_code_to_its_person_only(client, agent):
    registration = RegistrationFactory(agent=agent)
    client.force_login(agent)
    page = client.get(reverse("events:convocation", args=[registration.pk])).content.decode()
    assert "<svg" in page
    client.force_login(AgentFactory())
    assert client.get(reverse("events:convocation", args=[registration.pk])).status_code == 404


@pytest.mark.django_db
def test_agenda_and_event_page_cost_the_same_queries_at_ten_and_at_many_sessions(client, agent, rh):
    """The agenda (list, month, « pour moi ») and an event's page, at 10 sessions then 400 more,
    some with registrations (the speed at 2,000 sessions: bench/events.py)."""
    sessions = _sessions(10)
    event = sessions[0].event
    event.organisers.add(rh)
    RegistrationFactory(session=sessions[0], agent=agent)

    def many(count):
        def grow():
            more = _sessions(count)
            for session in more[:20]:
                RegistrationFactory(session=session)
            RegistrationFactory(session=more[0], agent=agent)

        return grow

    client.force_login(agent)
    assert_same_queries(client, reverse("events:agenda"), grow=many(400))
    assert_same_queries(client, reverse("events:agenda"), grow=many(100), data={"audience": "pour-moi"})
    month = timezone.localtime(sessions[0].starts_at).strftime("%Y-%m")
    assert_same_queries(client, reverse("events:agenda-month"), grow=many(100), data={"mois": month})
    client.force_login(rh)

    def grow_event():
        start = timezone.now() + timedelta(days=40)
        more = Session.objects.bulk_create(
            [
                Session(event=event, starts_at=start + timedelta(hours=i), ends_at=start + timedelta(hours=i + 1))
                for i in range(400)
            ]
        )
        for session in more[:20]:
            RegistrationFactory(session=session)

    assert_same_queries(client, reverse("events:event-detail", args=[event.pk]), grow=grow_event)
    client.force_login(agent)  # who runs no session: each one's animators are read once for all
    assert_same_queries(client, reverse("events:event-detail", args=[event.pk]), grow=grow_event)
