"""After the visit: the hot evaluation handed to the surveys app, the rapport d'étonnement and its
publication with consent, and the figures feeding the action plan's indicators (card 5.3)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from intranet.models import OutgoingEmail
from intranet.services import email_send
from onboarding.shadowing.models import AgreementVersion, Visit
from onboarding.shadowing.services.completion import visit_complete
from onboarding.shadowing.services.reports import visit_report_publish, visit_report_write
from tests.factories import AgentFactory
from tests.shadowing.factories import CampaignFactory, VisitFactory

pytestmark = pytest.mark.django_db


def _scheduled_today(campaign, **fields):
    return VisitFactory(
        campaign=campaign,
        state=Visit.State.SCHEDULED,
        scheduled_on=timezone.localdate(),
        slot="matin",
        agreement=AgreementVersion.objects.first(),
        agreement_signed_at=timezone.now(),
        **fields,
    )


def test_a_done_visit_invites_visitor_and_host_to_the_campaigns_questionnaires(
    smtp_server, rh, django_capture_on_commit_callbacks
):
    from surveys.models import Invitation, Survey

    campaign = CampaignFactory(created_by=rh)
    first, second = _scheduled_today(campaign), _scheduled_today(campaign)
    with django_capture_on_commit_callbacks(execute=True):  # the evaluation goes after the commit
        visit_complete(visit=first, user=first.host)
    first.refresh_from_db()
    assert first.state == Visit.State.EVALUATED
    assert first.evaluation_sent_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        visit_complete(visit=second, user=second.visitor)
    campaign.refresh_from_db()
    visitors, hosts = Survey.objects.get(pk=campaign.visitor_survey_id), Survey.objects.get(pk=campaign.host_survey_id)
    assert (visitors.template, hosts.template) == ("shadowing_visitor", "shadowing_host")
    assert list(visitors.authors.all()) == [rh]  # the results are HR's, not the participant's who clicked
    assert Survey.objects.count() == 2  # one questionnaire per campaign and side, reused
    assert set(Invitation.objects.filter(survey=visitors).values_list("agent", flat=True)) == {
        first.visitor_id,
        second.visitor_id,
    }
    assert set(Invitation.objects.filter(survey=hosts).values_list("agent", flat=True)) == {
        first.host_id,
        second.host_id,
    }
    from surveys.services.invitations import invitations_mail_pending

    for survey in (visitors, hosts):
        invitations_mail_pending(survey_id=survey.pk)  # what the surveys app's worker does after the commit
    for pk in OutgoingEmail.objects.values_list("pk", flat=True):
        email_send(email_id=pk)
    subjects = [mail.message["Subject"].strip() for mail in smtp_server.messages_to(first.visitor.email)]
    assert any("racontez" in subject for subject in subjects)
    assert f"Enquête : {visitors.title}" in subjects
    host_subjects = [mail.message["Subject"].strip() for mail in smtp_server.messages_to(first.host.email)]
    assert f"Enquête : {hosts.title}" in host_subjects


def test_the_report_is_published_only_with_the_visitors_consent(client, rh):
    visit = VisitFactory(state=Visit.State.DONE)
    with pytest.raises(PermissionDenied):
        visit_report_write(visit=visit, user=visit.host, report="Rien", consent=True)
    visit_report_write(visit=visit, user=visit.visitor, report="J'ai découvert l'accueil social.", consent=False)
    with pytest.raises(ValidationError, match="consenti"):
        visit_report_publish(visit=visit, user=rh)
    visit_report_write(visit=visit, user=visit.visitor, report="J'ai découvert l'accueil social.", consent=True)
    with pytest.raises(PermissionDenied):
        visit_report_publish(visit=visit, user=visit.visitor)
    visit_report_publish(visit=visit, user=rh)
    client.force_login(AgentFactory())
    assert "J&#x27;ai découvert l&#x27;accueil social." in client.get(reverse("shadowing:report-list")).text
    # consent withdrawn: off the page at once
    visit_report_write(visit=visit, user=visit.visitor, report="J'ai découvert l'accueil social.", consent=False)
    assert "accueil social" not in client.get(reverse("shadowing:report-list")).text


def test_the_figures_and_the_indicator_sources(rh):
    from actions.indicator_sources import indicator_source_compute, indicator_source_get

    campaign, other = CampaignFactory(), CampaignFactory()
    visitors = AgentFactory.create_batch(3)
    done = [VisitFactory(campaign=campaign, visitor=visitor, state=Visit.State.EVALUATED) for visitor in visitors]
    VisitFactory(
        campaign=campaign, visitor=visitors[0], host=done[1].host, offer=done[1].offer, state=Visit.State.DONE
    )  # same visitor and host again: still 6 participants
    VisitFactory(campaign=campaign, state=Visit.State.REFUSED)
    VisitFactory(campaign=campaign, state=Visit.State.WISH)
    VisitFactory(campaign=other, state=Visit.State.DONE)

    assert indicator_source_compute(f"shadowing.requests:{campaign.pk}") == Decimal(6)
    assert indicator_source_compute(f"shadowing.visits:{campaign.pk}") == Decimal(4)
    assert indicator_source_compute(f"shadowing.participants:{campaign.pk}") == Decimal(6)
    assert indicator_source_compute("shadowing.visits") == Decimal(5)  # the year's campaigns
    assert (str(campaign.pk), campaign.title) in indicator_source_get("shadowing.visits").choices()
    assert indicator_source_get("shadowing.satisfaction") is not None


def test_the_year_argument_leaves_out_last_years_campaigns():
    from actions.indicator_sources import indicator_source_compute

    last_year = timezone.localdate().replace(month=3, day=1) - datetime.timedelta(days=366)
    old = CampaignFactory(wishes_open_on=last_year, wishes_close_on=last_year, visits_end_on=last_year)
    VisitFactory(campaign=old, state=Visit.State.DONE)
    assert indicator_source_compute("shadowing.visits") == Decimal(0)
    assert indicator_source_compute(f"shadowing.visits:{old.pk}") == Decimal(1)


def test_the_agents_data_export_and_anonymisation(rh):
    from intranet.registry import registry

    visit = VisitFactory(
        state=Visit.State.DONE,
        motivation="Mon projet de mobilité",
        report="Instructif",
        report_publish_consent=True,
        report_published_at=timezone.now(),
    )
    exported = registry.data_exporters["shadowing"].export(visit.visitor)
    assert exported["visites_demandees"][0]["motivation"] == "Mon projet de mobilité"
    assert (
        registry.data_exporters["shadowing"].export(visit.host)["offres_d_accueil"][0]["job_title"]
        == visit.offer.job_title
    )
    registry.anonymisers["shadowing"].anonymise(visit.visitor, "Agent anonymisé")
    registry.anonymisers["shadowing"].anonymise(visit.host, "Agent anonymisé")
    visit.refresh_from_db()
    assert (visit.motivation, visit.report_published_at) == ("", None)
    assert not visit.offer.__class__.objects.get(pk=visit.offer_id).active
