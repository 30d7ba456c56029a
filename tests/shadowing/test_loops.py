"""« Montre-moi ton job » walked to its end through the pages (issue 15): completing a visit never
depends on the evaluation (sent after the commit; a closed questionnaire is « nothing to send »,
recorded); « La visite a eu lieu » only from the visit's date; every state says who acts next;
a free-text wish gets suggested hosts and reaches HR's « À décider » queue when nobody is
designated in time."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from intranet.models import OutgoingEmail
from onboarding.shadowing.models import AgreementVersion, Visit
from onboarding.shadowing.services.wishes import visit_accept, visit_approve
from surveys.models import Invitation
from surveys.services.drafting import survey_create_from_template
from surveys.services.status import survey_close, survey_publish
from tests.factories import AgentFactory
from tests.html import text_of
from tests.shadowing.factories import CampaignFactory, OfferFactory, VisitFactory, host_with_manager

pytestmark = pytest.mark.django_db


def _scheduled(campaign, *, on=None, **fields):
    return VisitFactory(
        campaign=campaign,
        state=Visit.State.SCHEDULED,
        scheduled_on=on or timezone.localdate(),
        slot="matin",
        agreement=AgreementVersion.objects.first(),
        agreement_signed_at=timezone.now(),
        **fields,
    )


def _closed_questionnaires(campaign, rh):
    for template, field in (("shadowing_visitor", "visitor_survey_id"), ("shadowing_host", "host_survey_id")):
        survey = survey_create_from_template(template=template, title=template, author=rh)
        survey_publish(survey=survey)
        survey_close(survey=survey, user=rh)
        setattr(campaign, field, survey.pk)
    campaign.save()


def test_a_closed_evaluation_never_stops_a_visit_from_being_done(client, rh, django_capture_on_commit_callbacks):
    campaign = CampaignFactory(created_by=rh)
    _closed_questionnaires(campaign, rh)  # HR closed the campaign's questionnaires
    visit = _scheduled(campaign)
    client.force_login(visit.visitor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("shadowing:visit-complete", args=[visit.pk]))
    visit.refresh_from_db()
    assert visit.state == Visit.State.DONE
    text = text_of(client.get(response["Location"]))
    assert "La visite est marquée réalisée" in text
    assert "évaluation à chaud non envoyée – questionnaire clos" in text  # recorded in the history
    assert not Invitation.objects.exists()


def test_the_evaluation_goes_after_the_commit(client, rh, django_capture_on_commit_callbacks):
    campaign = CampaignFactory(created_by=rh)
    visit = _scheduled(campaign)
    client.force_login(visit.host)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("shadowing:visit-complete", args=[visit.pk]))
    visit.refresh_from_db()
    assert visit.state == Visit.State.DONE  # committed without the questionnaires
    assert not Invitation.objects.exists()
    for callback in callbacks:
        callback()
    visit.refresh_from_db()
    assert visit.state == Visit.State.EVALUATED
    assert set(Invitation.objects.values_list("agent", flat=True)) == {visit.visitor_id, visit.host_id}


def test_the_beat_sweep_sends_an_evaluation_the_commit_left_behind(rh):
    from onboarding.shadowing.tasks import shadowing_sweep_task

    campaign = CampaignFactory(created_by=rh)
    visit = _scheduled(campaign, on=timezone.localdate() - datetime.timedelta(days=1))
    Visit.objects.filter(pk=visit.pk).update(state=Visit.State.DONE)  # the process died after the commit
    shadowing_sweep_task()
    visit.refresh_from_db()
    assert visit.state == Visit.State.EVALUATED


def test_the_visit_is_confirmed_only_from_its_date(client, rh):
    campaign = CampaignFactory(created_by=rh)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    visit = _scheduled(campaign, on=tomorrow)
    client.force_login(visit.visitor)
    page = text_of(client.get(reverse("shadowing:visit-detail", args=[visit.pk])))
    assert "La visite a eu lieu" not in page
    assert f"à partir du {tomorrow:%d/%m/%Y}" in page
    assert "Confirmer que la visite a eu lieu" not in text_of(client.get(reverse("intranet:todo")))
    Visit.objects.filter(pk=visit.pk).update(scheduled_on=timezone.localdate())
    page = text_of(client.get(reverse("shadowing:visit-detail", args=[visit.pk])))
    assert "La visite a eu lieu" in page
    for person in (visit.visitor, visit.host):  # both may confirm it: both are asked
        client.force_login(person)
        assert "Confirmer que la visite a eu lieu" in text_of(client.get(reverse("intranet:todo")))


def test_every_state_says_who_acts_next(client, agent, manager):
    host, boss = host_with_manager(first_name="Karim", last_name="Accueillant")
    offer = OfferFactory(host=host, org_unit=host.org_unit, site=host.site, job_title="Travailleur social")
    visit = VisitFactory(visitor=agent, offer=offer, campaign=CampaignFactory())

    def status(user):
        client.force_login(user)
        page = client.get(reverse("shadowing:visit-detail", args=[visit.pk]))
        return text_of(page)

    assert "Prochaine étape : l'accord de l'encadrant de Hélène Dupont" in status(agent)
    visit_approve(visit=visit, user=manager)
    assert "Prochaine étape : la réponse de Karim Accueillant, l'accueillant" in status(agent)
    visit_accept(visit=visit, user=host)
    after_host = status(agent)
    assert "attend l'accueillant" not in after_host
    assert "Prochaine étape : l'accord de l'encadrant de Karim Accueillant" in after_host
    visit_accept(visit=visit, user=boss)
    assert "Prochaine étape : Karim Accueillant fixe la date de la visite" in status(agent)
    # The lists say it too: the visitor's own requests and the campaign's.
    client.force_login(agent)
    assert "Karim Accueillant fixe la date" in text_of(client.get(reverse("shadowing:visit-mine")))


def test_a_free_wish_gets_suggested_hosts_then_reaches_hr_after_the_delay(
    client, agent, manager, rh, django_capture_on_commit_callbacks
):
    from onboarding.shadowing.tasks import shadowing_sweep_task

    CampaignFactory()  # collecting wishes
    volunteer = OfferFactory(job_title="Agent des espaces verts").host
    colleague = AgentFactory(job_title="Agent des espaces verts", first_name="Paul", last_name="Jardin")
    AgentFactory(job_title="Comptable")
    client.force_login(agent)
    client.post(
        reverse("shadowing:visit-create"),
        {"wished_job": "agent des espaces verts", "duration": "demi_journee", "motivation": "Les parcs"},
    )
    visit = Visit.objects.get(visitor=agent)

    client.force_login(manager)
    page = text_of(client.get(reverse("shadowing:visit-detail", args=[visit.pk])))
    assert "Accueillants possibles" in page
    assert volunteer.get_full_name() in page  # an offer of that job
    assert "Paul Jardin" in page  # the same job title
    assert "Comptable" not in page
    visit_approve(visit=visit, user=manager)
    # Approved without a host: the manager's queue asks them to designate one; HR's not yet.
    assert f'id="demande-{visit.pk}"' in client.get(reverse("shadowing:visit-queue")).text
    client.force_login(rh)
    assert f'id="demande-{visit.pk}"' not in client.get(reverse("shadowing:visit-queue")).text

    shadowing_sweep_task()  # within the delay: nothing moves
    assert f'id="demande-{visit.pk}"' not in client.get(reverse("shadowing:visit-queue")).text
    Visit.objects.filter(pk=visit.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        shadowing_sweep_task()
        shadowing_sweep_task()  # beat may run twice: HR is told once
    assert f'id="demande-{visit.pk}"' in client.get(reverse("shadowing:visit-queue")).text
    assert OutgoingEmail.objects.filter(to=rh.email, kind="shadowing.hr_needed").count() == 1
    page = text_of(client.get(reverse("shadowing:visit-detail", args=[visit.pk])))
    assert "Paul Jardin" in page

    client.post(reverse("shadowing:visit-assign-host", args=[visit.pk]), {"host": colleague.pk})
    visit.refresh_from_db()
    assert visit.host == colleague
    assert f'id="demande-{visit.pk}"' not in client.get(reverse("shadowing:visit-queue")).text
