"""The survey block (a link to a surveys.Survey) and the demo data (idempotent)."""

import html
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from intranet.audiences import AudienceSpec
from mailing.selectors import mailing_for_source, mailing_reached
from newsletters.demo import demo_seed
from newsletters.forms import BlockForm
from newsletters.models import Block, Issue
from newsletters.services.blocks import block_create
from newsletters.services.issues import issue_create
from newsletters.services.sending import issue_render, issue_send
from surveys.models import Survey
from surveys.services.invitations import survey_invite
from tests.factories import AgentFactory, OrgUnitFactory
from tests.surveys.factories import SurveyFactory

pytestmark = pytest.mark.django_db

BASE = "https://intranet.test"


def test_survey_block_offers_the_questionnaire_to_those_invited_only(client, communication, agent, manager):
    survey = SurveyFactory(title="Satisfaction des réunions d'information")
    SurveyFactory(title="Brouillon d'enquête", status=Survey.Status.DRAFT)
    form = BlockForm(kind=Block.Kind.SURVEY)
    assert [choice.title for choice in form.fields["survey"].queryset] == [survey.title]
    survey_invite(survey=survey, agents=[agent])
    issue = issue_create(title="Votre avis", user=communication)
    block_create(issue=issue, kind="survey", survey=survey, body="<p>Cinq minutes suffisent.</p>", user=communication)
    # The e-mail goes the same to everyone: it points to « Mes enquêtes », which every reader can open.
    rendered = issue_render(issue=issue, base_url=BASE)
    assert f"si vous y êtes invité·e, répondez depuis « Mes enquêtes » : {BASE}/enquetes/" in rendered["text"]
    assert survey.get_absolute_url() not in rendered["html"]
    issue_send(issue=issue, user=communication, base_url=BASE)
    # On the web page, the invited agent gets the button…
    client.force_login(agent)
    page = client.get(issue.get_absolute_url()).content.decode()
    assert f'href="{survey.get_absolute_url()}"' in page
    assert "Cinq minutes suffisent." in page
    # …and a colleague who is not invited does not: its link would only lead to an error page.
    client.force_login(manager)
    page = html.unescape(client.get(issue.get_absolute_url()).content.decode())
    assert survey.get_absolute_url() not in page
    assert "est envoyé aux personnes invitées : vous n'en faites pas partie" in page


def test_demo_seed_builds_three_sent_issues_and_a_draft_once(communication):
    author = AgentFactory(email="communication@demo.local", roles=["communication"])
    reader = AgentFactory(email="agent@demo.local")
    unit = OrgUnitFactory(name="Service communication interne", head=author)
    author.org_unit = unit
    author.save(update_fields=["org_unit"])
    SurveyFactory(title="Votre intranet : premier avis")
    today = timezone.localdate()
    AgentFactory(first_name="Arrivée", last_name="Il y a 70 jours", arrival_date=today - timedelta(days=70))
    AgentFactory(first_name="Arrivée", last_name="Aujourd'hui", arrival_date=today)
    demo_seed(stdout=io.StringIO())
    demo_seed(stdout=io.StringIO())  # idempotent
    assert list(Issue.objects.order_by("number").values_list("number", "status")) == [
        (1, "sent"),
        (2, "sent"),
        (3, "sent"),
        (4, "draft"),
    ]
    sent = Issue.objects.filter(status=Issue.Status.SENT)
    assert all(mailing_reached(mailing=mailing_for_source(issue), agent=reader) for issue in sent)
    assert list(sent.order_by("sent_at").values_list("number", flat=True)) == [1, 2, 3]
    kinds = set(Block.objects.filter(issue__in=sent).values_list("kind", flat=True))
    assert kinds == {"text", "agenda", "arrivals", "team", "vacancies", "survey"}
    assert AudienceSpec.from_json(Issue.objects.get(number=1).audience).partners
    arrivals = {
        block.issue.number: [person["name"] for person in block.data["people"]]
        for block in Block.objects.filter(kind="arrivals").select_related("issue")
    }
    assert arrivals == {1: [], 2: ["Arrivée Il y a 70 jours"]}  # each as of its (past) date
    team = Block.objects.get(kind="team")
    assert team.data["unit"] == "Service communication interne"
