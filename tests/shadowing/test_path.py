"""The whole path of a visit, each step's e-mail received by a real SMTP server on loopback."""

import datetime
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from intranet.models import OutgoingEmail
from intranet.services import email_send
from onboarding.shadowing.models import Slot, Visit, VisitEvent
from onboarding.shadowing.services.campaigns import absence_declare, agreement_current, agreement_publish
from onboarding.shadowing.services.completion import visit_complete
from onboarding.shadowing.services.scheduling import visit_agreement_sign, visit_cancel, visit_schedule
from onboarding.shadowing.services.wishes import (
    visit_accept,
    visit_approve,
    visit_assign_host,
    visit_refuse,
    visit_request,
)
from tests.factories import AgentFactory
from tests.shadowing.factories import CampaignFactory, OfferFactory, host_with_manager

pytestmark = pytest.mark.django_db


def _send_pending():
    for pk in OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING).values_list("pk", flat=True):
        assert email_send(email_id=pk)


def _next_weekday(days=7):
    day = timezone.localdate() + datetime.timedelta(days=days)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


@pytest.fixture
def path(agent, manager):
    host, host_boss = host_with_manager(email="hote@test.local", first_name="Karim", last_name="Accueillant")
    offer = OfferFactory(host=host, org_unit=host.org_unit, site=host.site, job_title="Travailleur social")
    return {"campaign": CampaignFactory(), "offer": offer, "host": host, "host_boss": host_boss}


def test_the_whole_path_e_mails_each_next_person(smtp_server, agent, manager, path, django_capture_on_commit_callbacks):
    host, host_boss = path["host"], path["host_boss"]
    visit = visit_request(
        user=agent,
        campaign=path["campaign"],
        offer=path["offer"],
        motivation="Comprendre l'instruction des dossiers",
        duration="demi_journee",
    )
    _send_pending()
    (mail,) = smtp_server.messages_to(manager.email)
    assert "attend votre accord" in mail.message["Subject"]
    assert "Hélène Dupont" in mail.text()
    assert f"/montre-moi-ton-job/demandes/{visit.pk}/" in mail.text()

    with pytest.raises(PermissionDenied):
        visit_approve(visit=visit, user=host_boss)  # not the visitor's manager
    visit = visit_approve(visit=visit, user=manager)
    assert visit.state == Visit.State.APPROVED
    _send_pending()
    assert "souhaite découvrir votre métier" in smtp_server.messages_to(host.email)[0].message["Subject"]
    assert "attend votre accord" in smtp_server.messages_to(host_boss.email)[0].message["Subject"]
    assert "accord" in smtp_server.messages_to(agent.email)[0].message["Subject"]

    visit = visit_accept(visit=visit, user=host)
    assert visit.state == Visit.State.APPROVED  # the host's manager has not accepted yet
    with pytest.raises(ValidationError):
        visit_accept(visit=visit, user=host)
    visit = visit_accept(visit=visit, user=host_boss)
    assert visit.state == Visit.State.ACCEPTED
    _send_pending()
    assert "fixez la date" in smtp_server.messages_to(host.email)[-1].message["Subject"]
    assert "acceptée" in smtp_server.messages_to(agent.email)[-1].message["Subject"]

    day = _next_weekday()
    with pytest.raises(ValidationError, match="demi-journée"):
        visit_schedule(visit=visit, user=host, on=day, slot=Slot.DAY)
    visit = visit_schedule(visit=visit, user=host, on=day, slot=Slot.MORNING)
    _send_pending()
    for address in (agent.email, host.email):
        mail = smtp_server.messages_to(address)[-1]
        (ics,) = [part for part in mail.message.iter_attachments() if part.get_content_type() == "text/calendar"]
        event = Calendar.from_ical(ics.get_payload(decode=True)).walk("VEVENT")[0]
        assert event.decoded("dtstart").date() == day
        assert event.decoded("dtstart").hour == 9
        assert event.decoded("dtend").hour == 12
        assert f"shadowing-visit-{visit.pk}@" in str(event["uid"])
        assert {str(a) for a in event["attendee"]} == {f"mailto:{agent.email}", f"mailto:{host.email}"}

    with pytest.raises(ValidationError):  # the visit has not happened yet
        visit_complete(visit=visit, user=host)
    agreement = agreement_current()
    with django_capture_on_commit_callbacks(execute=True):  # the PDF is rendered after the commit
        visit = visit_agreement_sign(visit=visit, user=agent, version=agreement)
    _send_pending()
    for address in (agent.email, host.email):
        mail = smtp_server.messages_to(address)[-1]
        (pdf,) = [p for p in mail.message.iter_attachments() if p.get_content_type() == "application/pdf"]
        text = PdfReader(BytesIO(pdf.get_payload(decode=True))).pages[0].extract_text()
        assert "Engagement de discrétion" in text
        assert "Hélène Dupont" in text
        assert f"version {agreement.version}" in text

    Visit.objects.filter(pk=visit.pk).update(scheduled_on=timezone.localdate())  # the day has come
    visit = visit_complete(visit=Visit.objects.get(pk=visit.pk), user=host)
    assert visit.state in (Visit.State.DONE, Visit.State.EVALUATED)
    _send_pending()
    assert "racontez" in smtp_server.messages_to(agent.email)[-1].message["Subject"]

    actions = list(VisitEvent.objects.filter(visit=visit).values_list("action", "actor__email"))
    assert actions[:7] == [
        ("request", agent.email),
        ("approve", manager.email),
        ("accept", host.email),
        ("accept", host_boss.email),
        ("schedule", host.email),
        ("sign_agreement", agent.email),
        ("complete", host.email),
    ]


def test_refusal_needs_a_reason_and_tells_the_visitor(smtp_server, agent, manager, path):
    visit = visit_request(user=agent, campaign=path["campaign"], offer=path["offer"])
    with pytest.raises(ValidationError, match="motif"):
        visit_refuse(visit=visit, user=manager, reason="  ")
    assert Visit.objects.get(pk=visit.pk).state == Visit.State.WISH
    visit = visit_refuse(visit=visit, user=manager, reason="Période de clôture budgétaire")
    assert visit.state == Visit.State.REFUSED
    event = visit.events.last()
    assert (event.action, event.actor, event.comment) == ("refuse", manager, "Période de clôture budgétaire")
    _send_pending()
    mail = smtp_server.messages_to(agent.email)[-1]
    assert "Période de clôture budgétaire" in mail.text()
    with pytest.raises(ValidationError):
        visit_approve(visit=visit, user=manager)


def test_the_host_can_refuse_after_the_managers_approval(agent, manager, path):
    visit = visit_request(user=agent, campaign=path["campaign"], offer=path["offer"])
    visit_approve(visit=visit, user=manager)
    with pytest.raises(PermissionDenied):
        visit_refuse(visit=visit, user=AgentFactory(), reason="Non")
    visit = visit_refuse(visit=visit, user=path["host"], reason="Je suis en congé ce mois-ci")
    assert visit.state == Visit.State.REFUSED


def test_cancelling_a_scheduled_visit_withdraws_the_invitation(smtp_server, agent, manager, rh, path):
    visit = visit_request(user=agent, campaign=path["campaign"], offer=path["offer"])
    visit_approve(visit=visit, user=manager)
    visit_accept(visit=visit, user=rh)  # HR acts on all: both agreements at once
    visit = visit_schedule(visit=visit, user=rh, on=_next_weekday(), slot=Slot.AFTERNOON)
    _send_pending()
    visit = visit_cancel(visit=visit, user=agent, reason="Réunion imprévue")
    assert visit.state == Visit.State.CANCELLED
    _send_pending()
    mail = smtp_server.messages_to(path["host"].email)[-1]
    assert "annulée" in mail.message["Subject"]
    assert "Réunion imprévue" in mail.text()
    (ics,) = [p for p in mail.message.iter_attachments() if p.get_content_type() == "text/calendar"]
    calendar = Calendar.from_ical(ics.get_payload(decode=True))
    assert str(calendar["method"]) == "CANCEL"
    assert calendar.walk("VEVENT")[0]["sequence"] == 2
    assert not smtp_server.messages_to(agent.email)[-1].message["Subject"].endswith("annulée")  # not told of own act
    with pytest.raises(ValidationError):
        visit_cancel(visit=visit, user=agent)


@pytest.mark.parametrize("state", ["souhait", "approuvee", "acceptee"])
def test_cancellation_at_any_step_before_the_visit(agent, manager, path, state):
    visit = visit_request(user=agent, campaign=path["campaign"], offer=path["offer"])
    Visit.objects.filter(pk=visit.pk).update(state=state)
    with pytest.raises(PermissionDenied):
        visit_cancel(visit=visit, user=AgentFactory())
    assert visit_cancel(visit=visit, user=manager).state == Visit.State.CANCELLED


def test_a_free_wish_gets_its_host_from_hr(agent, manager, rh, path):
    visit = visit_request(user=agent, campaign=path["campaign"], wished_job="Agent d'accueil en crèche")
    visit_approve(visit=visit, user=manager)
    with pytest.raises(ValidationError, match="accueillant"):
        visit_accept(visit=visit, user=rh)
    visit_assign_host(visit=visit, user=rh, host=path["host"])
    visit = visit_accept(visit=visit, user=path["host"])
    visit = visit_accept(visit=visit, user=path["host_boss"])
    assert visit.state == Visit.State.ACCEPTED


def test_wishes_are_refused_outside_a_campaign_and_for_oneself(agent, path):
    closed = CampaignFactory(
        wishes_open_on=timezone.localdate() - datetime.timedelta(days=60),
        wishes_close_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    with pytest.raises(ValidationError, match="Aucune campagne"):
        visit_request(user=agent, campaign=closed, offer=path["offer"])
    with pytest.raises(ValidationError, match="propre métier"):
        visit_request(user=path["host"], campaign=path["campaign"], offer=path["offer"])
    with pytest.raises(ValidationError, match="offre ou décrivez"):
        visit_request(user=agent, campaign=path["campaign"])
    assert not Visit.objects.exists()


def test_an_absent_manager_is_replaced_by_the_unit_head_above_or_the_named_substitute(
    smtp_server, agent, manager, path
):
    from tests.factories import OrgUnitFactory

    direction = OrgUnitFactory(name="Direction des ressources")
    director = AgentFactory(email="directrice@test.local", org_unit=direction)
    direction.head = director
    direction.save(update_fields=["head"])
    manager.org_unit.parent = direction
    manager.org_unit.save(update_fields=["parent"])
    deputy = AgentFactory(email="adjointe@test.local")
    today = timezone.localdate()
    absence_declare(
        user=manager, manager=manager, starts_on=today, ends_on=today + datetime.timedelta(days=5), substitute=deputy
    )

    visit = visit_request(user=agent, campaign=path["campaign"], offer=path["offer"])
    _send_pending()
    told = set(smtp_server.count_by_recipient())
    assert {director.email, deputy.email} <= told
    assert manager.email not in told
    with pytest.raises(PermissionDenied):
        visit_approve(visit=visit, user=AgentFactory())
    visit = visit_approve(visit=visit, user=director)
    event = visit.events.get(action="approve")
    assert (event.actor, event.on_behalf_of) == (director, manager)


def test_the_named_substitute_approves_only_during_the_absence(agent, manager, path):
    deputy = AgentFactory()
    past = timezone.localdate() - datetime.timedelta(days=10)
    absence_declare(
        user=manager, manager=manager, starts_on=past, ends_on=past + datetime.timedelta(days=2), substitute=deputy
    )
    visit = visit_request(user=agent, campaign=path["campaign"], offer=path["offer"])
    with pytest.raises(PermissionDenied):
        visit_approve(visit=visit, user=deputy)


def test_the_agreement_must_be_the_current_version(agent, manager, rh, path):
    visit = visit_request(user=agent, campaign=path["campaign"], offer=path["offer"])
    visit_approve(visit=visit, user=manager)
    old = agreement_current()
    new = agreement_publish(user=rh, text="Nouveau texte de l'engagement.")
    assert new.version == old.version + 1
    with pytest.raises(ValidationError, match="changé"):
        visit_agreement_sign(visit=visit, user=agent, version=old)
    with pytest.raises(PermissionDenied):
        visit_agreement_sign(visit=visit, user=manager, version=new)
    visit = visit_agreement_sign(visit=visit, user=agent, version=new)
    assert visit.agreement == new
    assert visit.agreement_signed_at is not None


def test_a_visit_is_not_done_without_the_signed_agreement(agent, manager, rh, path):
    visit = visit_request(user=agent, campaign=path["campaign"], offer=path["offer"])
    visit_approve(visit=visit, user=manager)
    visit_accept(visit=visit, user=rh)
    visit_schedule(visit=visit, user=rh, on=_next_weekday(), slot=Slot.MORNING)
    Visit.objects.filter(pk=visit.pk).update(scheduled_on=timezone.localdate())
    with pytest.raises(ValidationError, match="engagement"):
        visit_complete(visit=Visit.objects.get(pk=visit.pk), user=rh)


def test_a_service_head_hosting_accepts_for_their_service(agent, manager):
    from tests.factories import OrgUnitFactory, SiteFactory

    unit = OrgUnitFactory(name="Service des sports")
    head = AgentFactory(org_unit=unit, email="cheffe.sports@test.local", site=SiteFactory(name="Piscine"))
    unit.head = head
    unit.save(update_fields=["head"])
    offer = OfferFactory(host=head, org_unit=unit, site=head.site)
    visit = visit_request(user=agent, campaign=CampaignFactory(), offer=offer)
    visit_approve(visit=visit, user=manager)
    visit = visit_accept(visit=visit, user=head)
    assert visit.state == Visit.State.ACCEPTED
