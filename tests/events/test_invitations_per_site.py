"""An event with sessions for the agents of their site (a series of meetings, one per site): each
person's invitation names their own session, sent for real by the mailing engine to an SMTP server
on loopback; nobody twice, nobody forgotten, the paper list and the progress across the mailings."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from kombu import Connection
from pypdf import PdfReader

from events import selectors, services
from events.documents import paper_list_render
from events.models import Event, EventInvitation, Session
from intranet.models import Agent, DocumentRequest
from mailing.models import Delivery, Mailing
from mailing.services import mailing_send_batch
from tests.events.factories import EventFactory, SessionFactory
from tests.factories import AgentFactory, OrgUnitFactory, SiteFactory
from tests.harness import celery_broker
from tests.querycount import assert_same_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_real_broker():
    """A batch that leaves work publishes the next one: to memory://, never to a developer's worker."""
    with celery_broker("memory://"):
        yield
    with Connection("memory://") as connection, connection.SimpleQueue("celery") as queue:
        queue.clear()


def _site_session(event, site, *, days, label, room="Salle polyvalente"):
    start = timezone.now() + timedelta(days=days)
    return SessionFactory(
        event=event,
        site=site,
        label=label,
        room=room,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        audience_scope=Session.Scope.SITE,
        registration_closes_at=start - timedelta(days=2),
    )


def _invite_and_send(event, user, capture):
    with capture(execute=False):  # the sending tasks are not published: the test sends itself
        mailings = services.event_invite(event=event, user=user)
    for mailing in mailings:
        while mailing_send_batch(mailing_id=mailing.pk, size=100)["more"]:
            pass
    return mailings


@pytest.fixture
def series():
    """Two lycées with their own meeting, a third site without one; agents with and without a
    mailbox on each."""
    kleber, fabert = SiteFactory(name="Lycée Kléber"), SiteFactory(name="Lycée Fabert")
    siege = SiteFactory(name="Siège")
    event = EventFactory(title="Réunion d'information carrières", audience={"everyone": True})
    return {
        "event": event,
        "kleber": _site_session(event, kleber, days=10, label="Réunion n° 1 — Lycée Kléber", room="Salle Kléber"),
        "fabert": _site_session(event, fabert, days=17, label="Réunion n° 2 — Lycée Fabert", room="Salle Fabert"),
        "k1": AgentFactory(site=kleber, email="cuisinier.kleber@test.local"),
        "k_paper": AgentFactory(site=kleber, has_mailbox=False, last_name="Sanscourrielkleber"),
        "f1": AgentFactory(site=fabert, email="agent.fabert@test.local"),
        "s1": AgentFactory(site=siege, email="agent.siege@test.local"),
        "s_paper": AgentFactory(site=siege, has_mailbox=False, last_name="Sanscourrielsiege"),
        "nowhere": AgentFactory(site=None, email="itinerant@test.local"),
    }


def test_each_agent_is_told_the_session_of_their_site_once(series, rh, smtp_server, django_capture_on_commit_callbacks):
    event = series["event"]
    mailings = _invite_and_send(event, rh, django_capture_on_commit_callbacks)

    # One mailing per site with its own session, one for the rest of the audience.
    assert len(mailings) == 3
    assert sorted(str(link.site or "") for link in EventInvitation.objects.filter(event=event)) == [
        "",
        "Lycée Fabert",
        "Lycée Kléber",
    ]
    kleber = smtp_server.messages_to("cuisinier.kleber@test.local")
    assert len(kleber) == 1
    text = kleber[0].text()
    assert "La séance de votre site, Lycée Kléber :" in text
    assert "Réunion n° 1 — Lycée Kléber" in text
    assert "Salle Kléber" in text
    closes = timezone.localtime(series["kleber"].registration_closes_at).strftime("%d/%m/%Y %H:%M")
    assert f"inscriptions jusqu'au {closes}" in text
    assert series["kleber"].get_absolute_url() in text  # one click to their session
    assert "Fabert" not in text
    assert "Lycée Kléber" in kleber[0].message["Subject"]

    fabert = smtp_server.messages_to("agent.fabert@test.local")[0].text()
    assert "Réunion n° 2 — Lycée Fabert" in fabert
    assert "Kléber" not in fabert

    # A site without a session of its own (and an agent without a site): the general invitation,
    # listing every session since none is open to all.
    for address in ("agent.siege@test.local", "itinerant@test.local"):
        general = smtp_server.messages_to(address)
        assert len(general) == 1
        assert "Réunion n° 1 — Lycée Kléber" in general[0].text()
        assert "Réunion n° 2 — Lycée Fabert" in general[0].text()
        assert "votre site" not in general[0].text()

    # Nobody twice, nobody forgotten: every agent of the audience has exactly one delivery.
    audience = set(Agent.objects.active().internal().values_list("pk", flat=True))
    deliveries = list(Delivery.objects.filter(mailing__in=mailings).values_list("agent_id", flat=True))
    assert sorted(deliveries) == sorted(audience)
    assert set(smtp_server.count_by_recipient().values()) == {1}
    mailable = Agent.objects.active().internal().filter(has_mailbox=True).exclude(email="")
    assert set(smtp_server.count_by_recipient()) == set(mailable.values_list("email", flat=True))

    # The progress counts everybody, across the mailings.
    invitation = selectors.invitation_of(event)
    assert invitation.progress["total"] == len(audience)
    assert invitation.progress["paper"] == 2
    assert invitation.progress["sent"] == invitation.progress["by_email"] == len(audience) - 2
    assert invitation.status == "terminé"
    assert invitation.per_site == 2
    assert invitation.has_general


def test_the_paper_list_names_each_persons_session(series, rh, django_capture_on_commit_callbacks):
    event = series["event"]
    with django_capture_on_commit_callbacks(execute=False):
        services.event_invite(event=event, user=rh)

    filename, content = paper_list_render(event=event.pk)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert filename.startswith("invitations-papier-")
    # Kléber's section (its session, its agent on paper), then the rest of the audience.
    kleber = text.index("La séance de votre site, Lycée Kléber")
    rest = text.index("Le reste du public")
    assert kleber < text.index("Sanscourrielkleber") < rest
    assert rest < text.index("Sanscourrielsiege")
    assert "La séance de votre site, Lycée Fabert" not in text  # nobody on paper there
    assert "2 invitations à remettre" in text


def test_those_of_a_site_may_also_choose_a_session_open_to_all(rh, smtp_server, django_capture_on_commit_callbacks):
    kleber, siege = SiteFactory(name="Lycée Kléber"), SiteFactory(name="Siège")
    event = EventFactory(title="Réunion retraite")
    _site_session(event, kleber, days=10, label="Au lycée Kléber")
    webinar = SessionFactory(event=event, site=None, room="", video_url="https://visio.test/r", label="En ligne")
    AgentFactory(site=kleber, email="k@test.local")
    AgentFactory(site=siege, email="s@test.local")

    _invite_and_send(event, rh, django_capture_on_commit_callbacks)

    mine = smtp_server.messages_to("k@test.local")[0].text()
    assert "La séance de votre site, Lycée Kléber :" in mine
    assert "Vous pouvez aussi choisir une séance ouverte à tous :" in mine
    assert "En ligne" in mine
    general = smtp_server.messages_to("s@test.local")[0].text()
    assert "En ligne" in general
    assert "Au lycée Kléber" not in general  # not open to them
    assert webinar.event.get_absolute_url() in general


def test_those_named_by_hand_are_invited_once_by_the_right_mailing(rh, django_capture_on_commit_callbacks):
    kleber, siege = SiteFactory(name="Lycée Kléber"), SiteFactory(name="Siège")
    cuisine = OrgUnitFactory(name="Cuisine")
    cook = AgentFactory(site=kleber, org_unit=cuisine)
    # Named by hand: one is also among the unit's agents of Kléber, the other is not (another unit).
    named_cook = AgentFactory(site=kleber, org_unit=cuisine)
    named_other = AgentFactory(site=kleber)
    partner = AgentFactory(is_external=True, site=None)
    AgentFactory(site=siege, org_unit=cuisine, email="cuisine.siege@test.local")
    event = EventFactory(audience={"units": [cuisine.pk], "agents": [named_cook.pk, named_other.pk], "partners": True})
    _site_session(event, kleber, days=10, label="À Kléber")

    with django_capture_on_commit_callbacks(execute=False):
        mailings = services.event_invite(event=event, user=rh)

    by_site = {link.site_id: link.mailing for link in EventInvitation.objects.filter(event=event)}
    assert set(by_site[kleber.pk].deliveries.values_list("agent_id", flat=True)) == {cook.pk, named_cook.pk}
    rest = set(by_site[None].deliveries.values_list("agent_id", flat=True))
    assert {named_other.pk, partner.pk} <= rest
    assert not {cook.pk, named_cook.pk} & rest
    counted = list(Delivery.objects.filter(mailing__in=mailings).values_list("agent_id", flat=True))
    assert len(counted) == len(set(counted))


def test_without_sessions_of_a_site_one_invitation_as_before(rh, django_capture_on_commit_callbacks):
    site = SiteFactory(name="Siège")
    event = SessionFactory(site=site, label="Au siège").event  # open to the whole audience
    AgentFactory(site=site)
    with django_capture_on_commit_callbacks(execute=False):
        mailings = services.event_invite(event=event, user=rh)
    assert len(mailings) == 1
    assert mailings[0].subject == f"Invitation : {event.title}"
    assert "La séance :" in mailings[0].text
    assert "votre site" not in mailings[0].text
    assert EventInvitation.objects.get(event=event).site is None


def test_inviting_twice_is_refused_and_only_those_who_run_the_event_may(
    series, rh, agent, partenaire, client, django_capture_on_commit_callbacks
):
    event = series["event"]
    with pytest.raises(PermissionDenied):
        services.event_invite(event=event, user=agent)
    with pytest.raises(PermissionDenied):
        services.event_invite(event=event, user=partenaire)
    for person, status in ((agent, 404), (partenaire, 403)):
        client.force_login(person)
        assert client.post(reverse("events:event-invite", args=[event.pk])).status_code == status
    assert not Mailing.objects.exists()

    with django_capture_on_commit_callbacks(execute=False):
        services.event_invite(event=event, user=rh)
    with pytest.raises(ValidationError, match="déjà parties"):
        services.event_invite(event=event, user=rh)
    assert Mailing.objects.count() == 3
    event.refresh_from_db()
    assert event.invited_at is not None


def test_the_organiser_sees_the_invitations_summed_and_prints_one_paper_list(
    series, rh, client, django_capture_on_commit_callbacks
):
    event = series["event"]
    client.force_login(rh)
    confirm = client.get(reverse("events:event-invite", args=[event.pk])).content.decode()
    assert "Les agents de chacun des 2 sites qui ont leurs propres séances reçoivent une invitation" in confirm
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("events:event-invite", args=[event.pk]))
    page = client.get(event.get_absolute_url()).content.decode()
    assert "les 2 agents sans messagerie sont sur la liste à imprimer" in page
    total = Agent.objects.active().internal().count()
    assert f"0 courriels partis sur {total - 2}" in page
    assert "2 agents sans messagerie à prévenir sur papier" in page
    assert "Le reste du public a reçu l'invitation générale." in page
    client.post(reverse("events:event-paper-list", args=[event.pk]))
    assert DocumentRequest.objects.get(kind="events.paper_list").params == {"event": event.pk}


def test_the_event_page_costs_the_same_queries_at_one_and_at_many_invitation_mailings(series, rh, client):
    event = series["event"]
    client.force_login(rh)

    def add_mailing(site=None, *, to):
        mailing = Mailing.objects.create(
            subject="Invitation", text="…", kind="events.invitation", status=Mailing.Status.SENDING
        )
        Delivery.objects.bulk_create([Delivery(mailing=mailing, agent=person, name=person.last_name) for person in to])
        EventInvitation.objects.create(event=event, mailing=mailing, site=site)

    add_mailing(to=[series["s1"]])
    Event.objects.filter(pk=event.pk).update(invited_at=timezone.now())

    def grow():
        for index in range(12):
            add_mailing(SiteFactory(name=f"Lycée {index}"), to=AgentFactory.create_batch(3))

    assert_same_queries(client, event.get_absolute_url(), grow)


def test_a_site_with_two_sessions_is_told_both_and_linked_to_the_event(rh, django_capture_on_commit_callbacks):
    kleber = SiteFactory(name="Lycée Kléber")
    event = EventFactory(title="Réunion retraite", audience={"sites": [kleber.pk]})
    morning = _site_session(event, kleber, days=10, label="Le matin")
    afternoon = _site_session(event, kleber, days=11, label="L'après-midi")
    AgentFactory(site=kleber)
    with django_capture_on_commit_callbacks(execute=False):
        [mailing] = services.event_invite(event=event, user=rh)  # nobody left for a general one
    assert "Les séances de votre site, Lycée Kléber (inscrivez-vous à celle qui vous convient) :" in mailing.text
    assert "Le matin" in mailing.text
    assert "L'après-midi" in mailing.text
    assert mailing.web_url.endswith(event.get_absolute_url())
    assert f"#seance-{morning.pk}" not in mailing.text
    assert f"#seance-{afternoon.pk}" not in mailing.text
