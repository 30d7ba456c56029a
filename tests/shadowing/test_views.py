"""The pages: catalogue, wish from the directory, queue (approve/refuse in place with htmx), the
agreement and its PDF, HR's campaign pages, flyer/poster, mailing; constant query counts."""

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from intranet.registry import registry
from onboarding.shadowing.models import ApproverAbsence, Campaign, Offer, Visit
from onboarding.shadowing.promotion import qr_svg
from tests.factories import AgentFactory, OrgUnitFactory, SiteFactory
from tests.querycount import assert_same_queries
from tests.shadowing.factories import CampaignFactory, OfferFactory, VisitFactory, host_with_manager

pytestmark = pytest.mark.django_db


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def _bulk_visits(*, campaign, visitors, offers, count, **fields):
    Visit.objects.bulk_create(
        [
            Visit(
                campaign=campaign,
                visitor=visitors[i % len(visitors)],
                offer=offers[i % len(offers)],
                host=offers[i % len(offers)].host,
                **fields,
            )
            for i in range(count)
        ]
    )


def test_the_catalogue_filters_by_service_and_site(client, agent):
    social, crèche = OrgUnitFactory(name="Action sociale"), OrgUnitFactory(name="Petite enfance")
    hotel, annexe = SiteFactory(name="Hôtel de ville"), SiteFactory(name="Annexe nord")
    OfferFactory(job_title="Travailleur social", org_unit=social, site=hotel)
    OfferFactory(job_title="Auxiliaire de puériculture", org_unit=crèche, site=annexe)
    OfferFactory(job_title="Agent fermé", org_unit=crèche, site=annexe, active=False)
    client.force_login(agent)
    page = client.get(reverse("shadowing:offer-list")).text
    assert "Travailleur social" in page
    assert "Auxiliaire de puériculture" in page
    assert "Agent fermé" not in page
    page = client.get(reverse("shadowing:offer-list"), {"service": crèche.pk}).text
    assert "Auxiliaire de puériculture" in page
    assert "Travailleur social" not in page
    page = client.get(reverse("shadowing:offer-list"), {"site": hotel.pk, "service": "pas-un-nombre"}).text
    assert "Travailleur social" in page
    assert "Auxiliaire de puériculture" not in page


def test_the_catalogue_issues_the_same_queries_at_any_size(client, agent):
    offer = OfferFactory()
    client.force_login(agent)

    def grow():
        Offer.objects.bulk_create(
            [
                Offer(
                    host=offer.host,
                    job_title=f"Métier {i}",
                    description="d",
                    org_unit=OrgUnitFactory(),
                    site=offer.site,
                )
                for i in range(60)
            ]
        )

    assert_same_queries(client, reverse("shadowing:offer-list"), grow)


def test_the_directory_link_opens_a_wish_prefilled_for_that_colleague(client, agent, manager):
    CampaignFactory()
    host, _boss = host_with_manager(job_title="Agent d'état civil")
    (label, url), *_rest = [link for link in registry.agent_links_for(agent, host) if "montre-moi" in link[1]]
    assert str(label) == "Découvrir son métier"
    assert registry.agent_links_for(host, host) == []  # not on one's own page
    partner = AgentFactory(is_external=True, roles=["partenaire"])
    assert not [link for link in registry.agent_links_for(partner, host) if "montre-moi" in link[1]]
    client.force_login(agent)
    page = client.get(url).text
    assert "Découvrir le métier de" in page
    assert 'value="Agent d&#x27;état civil"' in page
    response = client.post(url, {"hote": host.pk, "wished_job": "Agent d'état civil", "duration": "journee"})
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert (visit.host, visit.offer, visit.duration, visit.visitor) == (host, None, "journee", agent)


def test_a_wish_without_a_job_or_outside_a_campaign_is_refused_in_french(client, agent):
    client.force_login(agent)
    response = client.post(reverse("shadowing:visit-create"), {"wished_job": "  ", "duration": "journee"})
    assert response.status_code == 200
    assert "Choisissez une offre ou décrivez" in response.text
    response = client.post(reverse("shadowing:visit-create"), {"wished_job": "Jardinier", "duration": "journee"})
    assert "Aucune campagne ne recueille de souhaits" in response.text
    assert not Visit.objects.exists()


def test_the_queue_approves_in_place_and_refuses_only_with_a_reason(client, agent, manager):
    visit = VisitFactory(visitor=agent)
    client.force_login(manager)
    page = client.get(reverse("shadowing:visit-queue")).text
    assert f'id="demande-{visit.pk}"' in page
    response = client.post(
        reverse("shadowing:visit-refuse", args=[visit.pk]),
        {"from": "queue", "reason": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "obligatoire" in response.text
    assert Visit.objects.get(pk=visit.pk).state == Visit.State.WISH
    response = client.post(
        reverse("shadowing:visit-approve", args=[visit.pk]), {"from": "queue"}, headers={"HX-Request": "true"}
    )
    assert "Votre accord est enregistré." in response.text
    assert "<html" not in response.text
    assert Visit.objects.get(pk=visit.pk).state == Visit.State.APPROVED
    response = client.post(
        reverse("shadowing:visit-approve", args=[visit.pk]), {"from": "queue"}, headers={"HX-Request": "true"}
    )  # approved twice (a second tab): a message, no 500
    assert response.status_code in (200, 403)
    assert f'id="demande-{visit.pk}"' not in client.get(reverse("shadowing:visit-queue")).text


def test_the_queue_shows_the_hosts_requests_and_the_host_managers(client, agent, manager):
    host, boss = host_with_manager()
    visit = VisitFactory(visitor=agent, offer=OfferFactory(host=host, org_unit=host.org_unit), state="approuvee")
    for user in (host, boss):
        client.force_login(user)
        assert f'id="demande-{visit.pk}"' in client.get(reverse("shadowing:visit-queue")).text
    client.force_login(AgentFactory())
    assert f'id="demande-{visit.pk}"' not in client.get(reverse("shadowing:visit-queue")).text


def test_the_queue_issues_the_same_queries_at_any_size(client, agent, manager):
    campaign, offers = CampaignFactory(), OfferFactory.create_batch(3)
    VisitFactory(visitor=agent, campaign=campaign, offer=offers[0])
    client.force_login(manager)
    team = [agent, *AgentFactory.create_batch(4, manager=manager)]
    assert_same_queries(
        client,
        reverse("shadowing:visit-queue"),
        lambda: _bulk_visits(campaign=campaign, visitors=team, offers=offers, count=200),
    )


def test_my_requests_and_the_campaign_overview_issue_the_same_queries_at_any_size(client, agent, rh):
    campaign, offers = CampaignFactory(), OfferFactory.create_batch(3)
    VisitFactory(visitor=agent, campaign=campaign, offer=offers[0])
    client.force_login(agent)
    assert_same_queries(
        client,
        reverse("shadowing:visit-mine"),
        lambda: _bulk_visits(campaign=campaign, visitors=[agent], offers=offers, count=100),
    )
    client.force_login(rh)
    visitors = AgentFactory.create_batch(5)
    assert_same_queries(
        client,
        reverse("shadowing:campaign-detail", args=[campaign.pk]),
        lambda: _bulk_visits(campaign=campaign, visitors=visitors, offers=offers, count=300, state=Visit.State.DONE),
    )


def test_the_visitor_signs_the_agreement_and_both_download_its_pdf(client, agent, manager):
    visit = VisitFactory(visitor=agent, state=Visit.State.ACCEPTED)
    client.force_login(agent)
    page = client.get(reverse("shadowing:visit-agreement", args=[visit.pk])).text
    assert "obligation de discrétion professionnelle" in page
    response = client.post(reverse("shadowing:visit-agreement", args=[visit.pk]), {"version": 1})
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in response.text
    response = client.post(reverse("shadowing:visit-agreement", args=[visit.pk]), {"version": 1, "accept": "on"})
    assert response.status_code == 302
    for user in (agent, visit.host):
        client.force_login(user)
        response = client.get(reverse("shadowing:visit-agreement-pdf", args=[visit.pk]))
        assert response["Content-Type"] == "application/pdf"
        text = _pdf_text(response.content)
        assert "Engagement de discrétion" in text
        assert "Accepté en ligne par Hélène Dupont" in text
    client.force_login(AgentFactory())
    assert client.get(reverse("shadowing:visit-agreement-pdf", args=[visit.pk])).status_code == 404


def test_hr_creates_a_campaign_and_bad_dates_are_refused_in_french(client, rh):
    client.force_login(rh)
    today = timezone.localdate()
    response = client.post(
        reverse("shadowing:campaign-list"),
        {
            "title": "Automne",
            "wishes_open_on": today.isoformat(),
            "wishes_close_on": (today - datetime.timedelta(days=1)).isoformat(),
            "visits_end_on": today.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "La clôture des souhaits doit suivre leur ouverture." in response.text
    assert not Campaign.objects.exists()
    response = client.post(
        reverse("shadowing:campaign-list"),
        {
            "title": "Automne",
            "wishes_open_on": today.isoformat(),
            "wishes_close_on": (today + datetime.timedelta(days=30)).isoformat(),
            "visits_end_on": (today + datetime.timedelta(days=90)).isoformat(),
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert campaign.created_by == rh


def test_the_figures_page_counts_requests_participants_and_visits_by_service(client, copil):
    campaign = CampaignFactory()
    host, _boss = host_with_manager(unit_name="Service état civil")
    offer = OfferFactory(host=host, org_unit=host.org_unit)
    VisitFactory.create_batch(3, campaign=campaign, offer=offer, state=Visit.State.EVALUATED)
    VisitFactory(campaign=campaign, state=Visit.State.REFUSED)
    client.force_login(copil)
    response = client.get(reverse("shadowing:campaign-figures", args=[campaign.pk]))
    figures = response.context["figures"]
    assert (figures["requests"], figures["visits"], figures["participants"]) == (4, 3, 4)
    assert figures["by_service"][0] == {"host__org_unit__name": "Service état civil", "visits": 3}
    assert "Service état civil" in response.text


def test_flyer_and_poster_carry_the_catalogue_link_and_its_qr_code(client, agent, settings):
    settings.SITE_URL = "https://intranet.exemple.fr"
    CampaignFactory()
    client.force_login(agent)
    for name in ("shadowing:flyer", "shadowing:poster"):
        response = client.get(reverse(name))
        assert response["Content-Type"] == "application/pdf"
        text = _pdf_text(response.content)
        assert "Montre-moi ton job" in text
        assert "https://intranet.exemple.fr/montre-moi-ton-job/" in text
    svg = qr_svg("https://intranet.exemple.fr/montre-moi-ton-job/").decode()
    assert svg.startswith("<?xml")
    assert "<svg" in svg
    assert "<path" in svg


def test_hr_prepares_one_mailing_to_all_agents_per_campaign(client, rh, settings):
    from mailing.models import Mailing

    settings.SITE_URL = "https://intranet.exemple.fr"
    campaign = CampaignFactory(title="Printemps")
    client.force_login(rh)
    response = client.post(reverse("shadowing:campaign-mailing", args=[campaign.pk]))
    mailing = Mailing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("mailing:mailing-detail", args=[mailing.pk])
    assert mailing.audience["everyone"] is True
    assert "https://intranet.exemple.fr/montre-moi-ton-job/" in mailing.text
    assert mailing.source_id == campaign.pk
    client.post(reverse("shadowing:campaign-mailing", args=[campaign.pk]))
    assert Mailing.objects.count() == 1


def test_a_manager_declares_an_absence_with_a_substitute(client, manager):
    deputy = AgentFactory()
    client.force_login(manager)
    today = timezone.localdate()
    response = client.post(
        reverse("shadowing:absence"),
        {"starts_on": today.isoformat(), "ends_on": (today - datetime.timedelta(days=1)).isoformat()},
    )
    assert "La fin de l&#x27;absence doit suivre son début." in response.text
    response = client.post(
        reverse("shadowing:absence"),
        {"starts_on": today.isoformat(), "ends_on": today.isoformat(), "substitute": deputy.pk},
    )
    assert response.status_code == 302
    assert ApproverAbsence.objects.get().substitute == deputy


def test_a_host_volunteers_an_offer(client, agent):
    client.force_login(agent)
    response = client.post(
        reverse("shadowing:offer-create"),
        {
            "job_title": "Gestionnaire paie",
            "description": "La paie de A à Z",
            "org_unit": agent.org_unit_id,
            "site": agent.site_id,
            "availability": "demi_journee",
            "active": "on",
        },
    )
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert (offer.host, offer.job_title) == (agent, "Gestionnaire paie")


def test_hr_creates_the_year_end_questionnaire_to_managers(client, rh):
    from surveys.models import Survey

    client.force_login(rh)
    response = client.post(reverse("shadowing:managers-survey"))
    survey = Survey.objects.get()
    assert response["Location"] == reverse("surveys:survey-build", args=[survey.pk])
    assert survey.template == "managers_year_end"
    assert "coopération" in survey.title


def test_the_catalogue_pages_keep_the_filters(client, agent):
    unit, site = OrgUnitFactory(name="Voirie"), SiteFactory(name="Centre technique")
    for i in range(30):
        OfferFactory(job_title=f"Agent de voirie {i:02d}", org_unit=unit, site=site)
    OfferFactory(job_title="Hors filtre")
    client.force_login(agent)
    first = client.get(reverse("shadowing:offer-list"), {"service": unit.pk})
    assert first.context["page_obj"].paginator.count == 30
    assert f"?service={unit.pk}&amp;page=2" in first.text
    second = client.get(reverse("shadowing:offer-list"), {"service": unit.pk, "page": 2})
    assert len(second.context["offers"]) == 6
    assert "Hors filtre" not in second.text


def test_hr_filters_a_campaigns_requests_by_state(client, rh):
    campaign = CampaignFactory()
    VisitFactory.create_batch(2, campaign=campaign, state=Visit.State.WISH)
    refused = VisitFactory(campaign=campaign, state=Visit.State.REFUSED)
    client.force_login(rh)
    response = client.get(reverse("shadowing:campaign-detail", args=[campaign.pk]), {"etat": "refusee"})
    assert list(response.context["visits"]) == [refused]
    response = client.get(reverse("shadowing:campaign-detail", args=[campaign.pk]), {"etat": "nimporte"})
    assert response.context["page_obj"].paginator.count == 3


def test_hr_declares_a_managers_absence_and_a_manager_only_their_own(client, rh, manager):
    client.force_login(rh)
    today = timezone.localdate().isoformat()
    response = client.post(reverse("shadowing:absence"), {"manager": manager.pk, "starts_on": today, "ends_on": today})
    assert response.status_code == 302
    assert ApproverAbsence.objects.get().manager == manager
    client.force_login(manager)
    other = AgentFactory()
    client.post(reverse("shadowing:absence"), {"manager": other.pk, "starts_on": today, "ends_on": today})
    assert ApproverAbsence.objects.filter(manager=other).count() == 0  # the field is not theirs: own absence
    assert ApproverAbsence.objects.filter(manager=manager).count() == 2


def test_communication_offers_a_published_report_to_the_newsletter_in_preparation(client, communication, rh):
    from newsletters.models import Block
    from newsletters.services.issues import issue_create

    visit = VisitFactory(
        state=Visit.State.EVALUATED, report="J'ai découvert <l'accueil> social.", report_publish_consent=True
    )
    client.force_login(communication)
    url = reverse("shadowing:visit-newsletter", args=[visit.pk])
    assert client.post(url).status_code == 404  # not published yet
    assert not Block.objects.exists()
    Visit.objects.filter(pk=visit.pk).update(report_published_at=timezone.now())
    response = client.post(url, follow=True)
    assert "Aucun numéro de la lettre n&#x27;est en préparation." in response.text
    issue = issue_create(title="Bienvenue n° 12", user=rh)
    assert client.post(url)["Location"] == reverse("shadowing:report-list")
    block = Block.objects.get(issue=issue)
    assert block.kind == "text"
    assert "a découvert le métier de" in block.title
    assert "&lt;l'accueil&gt;" in block.body or "&lt;l&#x27;accueil&gt;" in block.body
