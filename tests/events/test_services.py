from datetime import date, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from icalendar import Calendar

from events import services
from events.models import Event, Registration, Session
from intranet.audiences import AudienceSpec
from intranet.models import OutgoingEmail
from tests.events.factories import EventFactory, SessionFactory
from tests.factories import AgentFactory, SiteFactory


def _ics(email: OutgoingEmail) -> Calendar:
    attachment = next(a for a in email.attachments if a["filename"] == "invitation.ics")
    import base64

    return Calendar.from_ical(base64.b64decode(attachment["content"]))


def _vevent(calendar: Calendar):
    return next(component for component in calendar.walk("VEVENT"))


@pytest.mark.django_db
def test_event_create_is_a_draft_organised_by_its_author(rh):
    event = services.event_create(
        user=rh, title="Séminaire des proviseurs", kind=Event.Kind.SEMINAR, audience=AudienceSpec(partners=True)
    )
    assert event.status == Event.Status.DRAFT
    assert list(event.organisers.all()) == [rh]


@pytest.mark.django_db
def test_event_create_refused_to_an_agent_and_without_audience(agent, rh):
    with pytest.raises(PermissionDenied):
        services.event_create(user=agent, title="x", kind="reunion", audience=AudienceSpec(everyone=True))
    with pytest.raises(ValidationError) as error:
        services.event_create(user=rh, title="x", kind="reunion", audience=AudienceSpec())
    assert "audience" in error.value.error_dict


@pytest.mark.django_db
def test_publish_needs_a_session(rh):
    event = EventFactory(status=Event.Status.DRAFT)
    event.organisers.add(rh)
    with pytest.raises(ValidationError):
        services.event_publish(event=event, user=rh)
    SessionFactory(event=event)
    assert services.event_publish(event=event, user=rh).status == Event.Status.PUBLISHED


@pytest.mark.django_db
def test_series_creates_one_session_per_site_skipping_weekends(rh):
    event = EventFactory(status=Event.Status.DRAFT)
    sites = [SiteFactory(name=f"Lycée {letter}") for letter in "ABC"]
    saturday = date(2031, 3, 1)
    assert saturday.weekday() == 5
    sessions = services.session_series_create(
        event=event,
        user=rh,
        first_day=saturday,
        start=time(14),
        end=time(16),
        count=4,
        every_days=7,
        sites=sites,
        capacity=30,
        per_site_audience=True,
        label="Réunion d'information",
    )
    assert len(sessions) == 4
    assert [timezone.localtime(s.starts_at).date() for s in sessions] == [
        date(2031, 3, 3),
        date(2031, 3, 10),
        date(2031, 3, 17),
        date(2031, 3, 24),
    ]
    assert [s.site.name for s in sessions] == ["Lycée A", "Lycée B", "Lycée C", "Lycée A"]
    assert sessions[1].label == "Réunion d'information n° 2 — Lycée B"
    assert all(s.audience_scope == Session.Scope.SITE for s in sessions)
    assert sessions[0].audience_spec.sites == (sites[0].pk,)
    [unnamed] = services.session_series_create(
        event=event, user=rh, first_day=saturday, start=time(9), end=time(10), count=1, sites=sites[:1]
    )
    assert unnamed.title == f"{event.title} — Séance n° 1 — Lycée A"  # the event's title said once


@pytest.mark.django_db
def test_session_needs_a_place_and_an_end_after_its_start(rh):
    event = EventFactory()
    start = timezone.now() + timedelta(days=3)
    with pytest.raises(ValidationError) as error:
        services.session_create(event=event, user=rh, starts_at=start, ends_at=start - timedelta(hours=1))
    assert {"ends_at", "site"} <= set(error.value.error_dict)


# --- Registration ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_register_takes_a_seat_then_the_waiting_list(django_capture_on_commit_callbacks):
    session = SessionFactory(capacity=1)
    first, second = AgentFactory(), AgentFactory()
    with django_capture_on_commit_callbacks(execute=True):
        one = services.registration_create(session=session, agent=first)
        two = services.registration_create(session=session, agent=second)
    assert one.status == Registration.Status.CONFIRMED
    assert two.status == Registration.Status.WAITING
    session.refresh_from_db()
    assert (session.confirmed_count, session.waiting_count) == (1, 1)
    confirmed = OutgoingEmail.objects.get(to=first.email)
    assert confirmed.kind == "events.confirmed"
    vevent = _vevent(_ics(confirmed))
    assert _ics(confirmed)["method"] == "REQUEST"
    assert str(vevent["uid"]).startswith(f"event-session-{session.pk}@")
    assert {a["filename"] for a in confirmed.attachments} == {"invitation.ics", "convocation-qr.png"}
    waiting = OutgoingEmail.objects.get(to=second.email)
    assert waiting.kind == "events.waiting"
    assert not waiting.attachments


@pytest.mark.django_db
def test_registering_twice_is_harmless():
    session = SessionFactory(capacity=5)
    agent = AgentFactory()
    services.registration_create(session=session, agent=agent)
    services.registration_create(session=session, agent=agent)
    session.refresh_from_db()
    assert session.confirmed_count == 1
    assert Registration.objects.count() == 1


@pytest.mark.django_db
def test_cancelling_promotes_exactly_the_first_waiting(django_capture_on_commit_callbacks):
    session = SessionFactory(capacity=1)
    holder, first, second = AgentFactory(), AgentFactory(), AgentFactory()
    taken = services.registration_create(session=session, agent=holder)
    services.registration_create(session=session, agent=first)
    services.registration_create(session=session, agent=second)
    OutgoingEmail.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.registration_cancel(registration=taken, user=holder)
    assert promoted.agent == first
    statuses = dict(Registration.objects.values_list("agent_id", "status"))
    assert statuses == {
        holder.pk: Registration.Status.CANCELLED,
        first.pk: Registration.Status.CONFIRMED,
        second.pk: Registration.Status.WAITING,
    }
    session.refresh_from_db()
    assert (session.confirmed_count, session.waiting_count) == (1, 1)
    cancel = OutgoingEmail.objects.get(to=holder.email)
    assert _ics(cancel)["method"] == "CANCEL"
    assert _vevent(_ics(cancel))["sequence"] == 1  # above the REQUEST's 0
    assert OutgoingEmail.objects.get(to=first.email).kind == "events.promoted"
    assert not OutgoingEmail.objects.filter(to=second.email).exists()


@pytest.mark.django_db
def test_registering_again_after_cancelling_carries_a_higher_sequence(django_capture_on_commit_callbacks):
    session = SessionFactory(capacity=3)
    agent = AgentFactory()
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.registration_create(session=session, agent=agent)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=registration, user=agent)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(session=session, agent=agent)
    sequences = [
        (str(_ics(email)["method"]), _vevent(_ics(email))["sequence"])
        for email in OutgoingEmail.objects.filter(to=agent.email).order_by("created_at", "pk")
    ]
    assert sequences == [("REQUEST", 0), ("CANCEL", 1), ("REQUEST", 2)]


@pytest.mark.django_db
def test_registration_refused_outside_the_audience_the_window_and_a_started_session():
    site, other = SiteFactory(), SiteFactory()
    session = SessionFactory(site=site, audience_scope=Session.Scope.SITE)
    outsider = AgentFactory(site=other)
    with pytest.raises(services.RegistrationRefused, match="public"):
        services.registration_create(session=session, agent=outsider)
    services.registration_create(session=session, agent=AgentFactory(site=site))
    closed = SessionFactory(registration_closes_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(services.RegistrationRefused, match="closes"):
        services.registration_create(session=closed, agent=AgentFactory())
    started = SessionFactory(starts_at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(services.RegistrationRefused, match="commencé"):
        services.registration_create(session=started, agent=AgentFactory())
    draft = SessionFactory(event=EventFactory(status=Event.Status.DRAFT))
    with pytest.raises(services.RegistrationRefused):
        services.registration_create(session=draft, agent=AgentFactory())


@pytest.mark.django_db
def test_partners_register_only_for_sessions_addressed_to_them(partenaire):
    for_partners = SessionFactory(event=EventFactory(audience={"partners": True}))
    for_agents = SessionFactory()
    services.registration_create(session=for_partners, agent=partenaire)
    with pytest.raises(services.RegistrationRefused):
        services.registration_create(session=for_agents, agent=partenaire)


@pytest.mark.django_db
def test_one_session_per_person_when_the_event_says_so():
    event = EventFactory(single_session=True)
    first, second = SessionFactory(event=event), SessionFactory(event=event)
    agent = AgentFactory()
    services.registration_create(session=first, agent=agent)
    with pytest.raises(services.RegistrationRefused, match="autre séance"):
        services.registration_create(session=second, agent=agent)
    cycle = EventFactory(single_session=False)
    services.registration_create(session=SessionFactory(event=cycle), agent=agent)
    services.registration_create(session=SessionFactory(event=cycle), agent=agent)


@pytest.mark.django_db
def test_an_organiser_registers_someone_without_a_mailbox(rh):
    session = SessionFactory()
    session.event.organisers.add(rh)
    paper = AgentFactory(has_mailbox=False)
    registration = services.registration_create(session=session, agent=paper, by=rh)
    assert registration.registered_by == rh
    assert registration.is_confirmed
    with pytest.raises(PermissionDenied):
        services.registration_create(session=session, agent=AgentFactory(), by=AgentFactory())


@pytest.mark.django_db
def test_more_seats_promote_the_waiting_and_fewer_than_taken_is_refused(rh, django_capture_on_commit_callbacks):
    session = SessionFactory(capacity=1)
    session.event.organisers.add(rh)
    agents = [AgentFactory() for _ in range(3)]
    for agent in agents:
        services.registration_create(session=session, agent=agent)
    values = {
        "label": "",
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "site": session.site,
        "room": session.room,
        "capacity": 2,
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(session=session, user=rh, **values)
    session.refresh_from_db()
    assert (session.confirmed_count, session.waiting_count) == (2, 1)
    assert Registration.objects.get(agent=agents[1]).is_confirmed
    with pytest.raises(ValidationError) as error:
        services.session_update(session=session, user=rh, **{**values, "capacity": 1})
    assert "capacity" in error.value.error_dict


@pytest.mark.django_db
def test_moving_a_session_sends_an_update_and_cancelling_a_cancel(rh, django_capture_on_commit_callbacks):
    session = SessionFactory(capacity=10)
    session.event.organisers.add(rh)
    agent = AgentFactory()
    services.registration_create(session=session, agent=agent)
    later = session.starts_at + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(
            session=session,
            user=rh,
            starts_at=later,
            ends_at=later + timedelta(hours=2),
            site=session.site,
            room="Salle B",
            capacity=10,
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=session, user=rh)
    sent = [
        (email.kind, str(_ics(email)["method"]), _vevent(_ics(email))["sequence"])
        for email in OutgoingEmail.objects.filter(to=agent.email).exclude(kind="events.confirmed").order_by("pk")
    ]
    assert sent == [("events.updated", "REQUEST", 1), ("events.cancelled", "CANCEL", 2)]
    update = _vevent(_ics(OutgoingEmail.objects.get(kind="events.updated")))
    assert update["dtstart"].dt == later.replace(microsecond=0)
    assert "Salle B" in str(update["location"])


@pytest.mark.django_db
def test_check_in_counts_the_present_and_refuses_the_waiting(rh):
    session = SessionFactory(capacity=1)
    session.event.organisers.add(rh)
    here = services.registration_create(session=session, agent=AgentFactory())
    waiting = services.registration_create(session=session, agent=AgentFactory())
    services.registration_check_in(registration=here, user=rh)
    services.registration_check_in(registration=here, user=rh)  # twice: counted once
    session.refresh_from_db()
    assert session.checked_in_count == 1
    assert session.attendance_rate == 100
    with pytest.raises(ValidationError):
        services.registration_check_in(registration=waiting, user=rh)
    services.registration_check_in(registration=here, user=rh, present=False)
    session.refresh_from_db()
    assert session.checked_in_count == 0
    with pytest.raises(PermissionDenied):
        services.registration_check_in(registration=here, user=AgentFactory())


@pytest.mark.django_db
def test_calendar_feed_reset_changes_the_address(agent):
    feed = services.calendar_feed_get_or_create(agent=agent)
    old = feed.token()
    assert services.calendar_feed_get_or_create(agent=agent).token() == old
    new = services.calendar_feed_reset(agent=agent).token()
    assert new != old
    from events.selectors import feed_find

    assert feed_find(old) is None
    assert feed_find(new).agent == agent


@pytest.mark.django_db
def test_no_mail_to_an_agent_without_mailbox(django_capture_on_commit_callbacks):
    session = SessionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(session=session, agent=AgentFactory(has_mailbox=False))
    assert not OutgoingEmail.objects.exists()
    assert not mail.outbox


@pytest.mark.django_db
def test_registrations_add_seats_in_order_then_waits_and_names_them_in_the_audience(
    rh, django_capture_on_commit_callbacks
):
    session = SessionFactory(capacity=2, event=EventFactory(audience={"agents": [rh.pk]}))
    first, second, third = AgentFactory(), AgentFactory(), AgentFactory()
    services.registration_create(session=session, agent=second, by=rh)
    with django_capture_on_commit_callbacks(execute=True):
        added = services.registrations_add(session=session, agents=[first, second, third], by=rh)

    assert [(r.agent, r.status) for r in added] == [
        (first, Registration.Status.CONFIRMED),
        (third, Registration.Status.WAITING),
    ]  # `second` was registered already: left as they were
    session.refresh_from_db()
    assert (session.confirmed_count, session.waiting_count) == (2, 1)
    assert set(Event.objects.get(pk=session.event_id).audience_spec.agents) == {rh.pk, first.pk, third.pk}
    assert OutgoingEmail.objects.filter(to=third.email, kind="events.waiting").exists()
    assert services.registrations_add(session=session, agents=[first, third], by=rh) == []


@pytest.mark.django_db
def test_a_session_for_its_sites_agents_needs_an_audience_that_holds_that_site(rh, agent):
    """« Les agents du site de la séance (parmi le public de l'événement) »: never a site the event
    does not address, nor a site's agents when the audience only names people."""
    kleber, fabert = SiteFactory(name="Lycée Kléber"), SiteFactory(name="Lycée Fabert")
    named = EventFactory(audience={"agents": [agent.pk]})
    start = timezone.now() + timedelta(days=10)
    values = {"starts_at": start, "ends_at": start + timedelta(hours=2), "audience_scope": Session.Scope.SITE}
    with pytest.raises(ValidationError, match="ne compte que des personnes nommées"):
        services.session_create(event=named, user=rh, site=kleber, **values)
    by_site = EventFactory(audience={"sites": [kleber.pk]})
    with pytest.raises(ValidationError, match="Le site Lycée Fabert n'est pas dans le public"):
        services.session_create(event=by_site, user=rh, site=fabert, **values)
    session = services.session_create(event=by_site, user=rh, site=kleber, **values)
    with pytest.raises(ValidationError, match="Le site Lycée Fabert n'est pas dans le public"):
        services.session_update(session=session, user=rh, site=fabert, **values)
    with pytest.raises(ValidationError) as refused:
        services.session_series_create(
            event=by_site,
            user=rh,
            first_day=start.date(),
            start=time(9),
            end=time(10),
            count=2,
            sites=[kleber, fabert],
            per_site_audience=True,
        )
    assert "per_site_audience" in refused.value.message_dict
    assert by_site.sessions.count() == 1  # nothing of the series was kept
    everyone = EventFactory(audience={"everyone": True})
    assert services.session_create(event=everyone, user=rh, site=fabert, **values).audience_spec.sites == (fabert.pk,)
