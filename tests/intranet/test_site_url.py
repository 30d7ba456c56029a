"""One address for the site: every link of every app's e-mails starts with SITE_URL, whatever
host the page that triggered the mail was served on (`make run PORT=8811` once mailed links
to localhost:8000 from some apps and to the request's port from others). And `make run`
derives SITE_URL from PORT."""

import re
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from intranet.links import absolute_url, site_domain
from intranet.models import OutgoingEmail
from tests.factories import AgentFactory

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8811"
OTHER_HOST = "autre-nom.intranet.test"  # the host the browser used: never in a mail
LINK = re.compile(r"https?://[^\s\"'<>)]+")


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, OTHER_HOST]


def assert_links_on_site(*bodies: str) -> list[str]:
    """Every http(s) link of the bodies starts with SITE_URL (the W3C's XHTML namespace
    aside); at least one link is there. Returns the links."""
    links = [link for body in bodies for link in LINK.findall(body) if "www.w3.org" not in link]
    assert links, "no link in the mail"
    wrong = [link for link in links if not link.startswith(SITE + "/")]
    assert not wrong, f"links not on {SITE}: {wrong}"
    return links


def _outbox(kind_prefix: str) -> list[OutgoingEmail]:
    emails = list(OutgoingEmail.objects.filter(kind__startswith=kind_prefix))
    assert emails, f"no {kind_prefix}* mail queued"
    return emails


def test_absolute_url_and_domain_come_from_site_url():
    assert absolute_url("/annuaire/") == f"{SITE}/annuaire/"
    assert site_domain() == "127.0.0.1"


def test_newsletter_mails_link_to_site_url_not_to_the_editors_host(client, communication):
    from newsletters.services.blocks import block_create
    from newsletters.services.issues import issue_create

    issue = issue_create(title="Bienvenue", edito="Un mot.", user=communication)
    block_create(issue=issue, kind="text", title="Nos valeurs", body="<p>Le service au public.</p>", user=communication)
    client.force_login(communication)
    response = client.post(reverse("newsletters:issue-send-test", args=[issue.pk]), HTTP_HOST=OTHER_HOST)
    assert response.status_code == 302
    (email,) = _outbox("newsletter")
    assert_links_on_site(email.text, email.html)
    preview = client.get(reverse("newsletters:issue-email-text", args=[issue.pk]), HTTP_HOST=OTHER_HOST)
    assert_links_on_site(preview.content.decode())


def test_survey_invitation_links_to_site_url(django_capture_on_commit_callbacks):
    from surveys.services.invitations import invitations_mail_pending, survey_invite
    from tests.surveys.factories import SurveyFactory

    survey = SurveyFactory(closes_on=timezone.localdate() + timedelta(7))
    with django_capture_on_commit_callbacks():
        survey_invite(survey=survey, agents=[AgentFactory()])
    invitations_mail_pending(survey_id=survey.pk)
    (email,) = _outbox("surveys")
    assert any("/enquetes/r/" in link for link in assert_links_on_site(email.text, email.html))


def test_shadowing_request_and_campaign_mailing_link_to_site_url(client, agent, manager, rh):
    from mailing.models import Mailing
    from onboarding.shadowing.services.wishes import visit_request
    from tests.shadowing.factories import CampaignFactory, OfferFactory

    campaign = CampaignFactory()
    visit_request(user=agent, campaign=campaign, offer=OfferFactory())
    (email,) = _outbox("shadowing.approval_needed")
    assert email.to == manager.email
    assert_links_on_site(email.text)

    client.force_login(rh)
    client.post(reverse("shadowing:campaign-mailing", args=[campaign.pk]), HTTP_HOST=OTHER_HOST)
    mailing = Mailing.objects.get()
    assert_links_on_site(mailing.text, mailing.html)


def test_vacancy_interest_tells_hr_with_a_link_to_site_url(agent, rh):
    from tests.vacancies.factories import VacancyFactory
    from vacancies.services.interests import interest_express

    interest_express(vacancy=VacancyFactory(), agent=agent, message="Je suis intéressée.")
    (email,) = _outbox("vacancies")
    assert email.to == rh.email
    assert_links_on_site(email.text)


def test_review_reminder_links_to_site_url(pilote):
    from actions.reviews import reminders
    from actions.reviews.models import Reminder
    from tests.actions.factories import ActionCardFactory
    from tests.reviews.factories import ReviewFactory

    review = ReviewFactory()
    card = ActionCardFactory(plan=review.plan)
    items = [(card, Reminder.Kind.SELF_ASSESSMENT), (card, Reminder.Kind.STALE)]
    reminders.reminder_email(review=review, agent=pilote, items=items)
    (email,) = _outbox("reviews")
    assert_links_on_site(email.text, email.html)


def test_onboarding_reminder_links_to_site_url(agent, manager, rh):
    from onboarding.services.journeys import arrival_record, journey_reminders_send
    from tests.onboarding.factories import JourneyTemplateFactory, TemplateTaskFactory

    template = JourneyTemplateFactory()
    TemplateTaskFactory(template=template, assignee="manager", offset_days=-3)
    arrival_record(agent=agent, arrival_date=timezone.localdate(), manager=manager, template=template, user=rh)
    journey_reminders_send()
    emails = _outbox("onboarding")
    for email in emails:
        assert_links_on_site(email.text, email.html)


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"PORT": "8811"}, "http://127.0.0.1:8811"),
        ({"PORT": "8811", "SITE_URL": "https://intranet.mairie.fr"}, "https://intranet.mairie.fr"),
        ({}, "http://127.0.0.1:8000"),
    ],
)
def test_make_run_derives_site_url_from_the_port(environment, expected):
    script = Path(settings.BASE_DIR) / "scripts" / "site_url.sh"
    result = subprocess.run(  # noqa: S603 (our own script, fixed arguments)
        ["/bin/bash", "-c", f'source "{script}" && echo "$SITE_URL"'],
        env={"PATH": "/usr/bin:/bin", "ENV_FILE": "/nonexistent", **environment},
        capture_output=True,
        text=True,
        check=True,
        cwd="/",
    )
    assert result.stdout.strip() == expected
