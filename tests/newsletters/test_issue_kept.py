"""A sent issue's web page kept a minute (newsletters.selectors.ISSUE_ARTICLE, intranet.kept): read
again without its blocks' queries, apart for readers who may open different links (a partner, an
agent invited to its survey), changed at once by a change made through the services; a draft's
preview is drawn live."""

import html as html_module

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intranet.audiences import AudienceSpec
from newsletters.services.blocks import block_create, block_update
from newsletters.services.issues import issue_create
from newsletters.services.sending import issue_send
from surveys.services.invitations import survey_invite
from tests.surveys.factories import SurveyFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kept_pages")]

BASE = "http://testserver"


def main(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def _visit(client, issue) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(issue.get_absolute_url())
    assert response.status_code == 200
    return len(queries), html_module.unescape(response.content.decode())


@pytest.fixture
def survey():
    return SurveyFactory(title="Satisfaction des réunions d'information")


@pytest.fixture
def issue(communication, unit, survey):
    """Sent to every agent and the partners: a team block (links into the directory) and a survey."""
    issue = issue_create(
        title="Votre avis",
        edito="Le mot de la direction.",
        user=communication,
        audience=AudienceSpec(everyone=True, partners=True),
    )
    block_create(issue=issue, kind="team", org_unit=unit, body="<p>L'équipe du mois.</p>", user=communication)
    block_create(issue=issue, kind="survey", survey=survey, body="<p>Cinq minutes suffisent.</p>", user=communication)
    return issue


def test_a_second_visit_reads_the_issue_as_kept(client, communication, agent, issue):
    issue_send(issue=issue, user=communication, base_url=BASE)
    client.force_login(agent)
    first, html = _visit(client, issue)
    again, kept = _visit(client, issue)
    assert again < first
    assert main(kept) == main(html)
    assert "L'équipe du mois." in kept


def test_no_reader_gets_the_links_or_the_button_another_reader_may_open(
    client, communication, agent, manager, partenaire, issue, survey, unit
):
    survey_invite(survey=survey, agents=[agent])
    issue_send(issue=issue, user=communication, base_url=BASE)
    unit_page = 'href="{}"'.format(reverse("directory:unit-detail", kwargs={"pk": unit.pk}))
    answer = f'href="{survey.get_absolute_url()}"'
    client.force_login(agent)
    page = _visit(client, issue)[1]
    assert unit_page in page
    assert answer in page
    client.force_login(manager)
    page = _visit(client, issue)[1]
    assert unit_page in page
    assert answer not in page
    assert "vous n'en faites pas partie" in page
    client.force_login(partenaire)
    page = _visit(client, issue)[1]
    assert unit_page not in page
    assert answer not in page
    survey_invite(survey=survey, agents=[manager])  # invited after reading it: the button at once
    client.force_login(manager)
    assert answer in _visit(client, issue)[1]


def test_the_editors_preview_of_a_draft_shows_each_change_at_once(client, communication, issue):
    client.force_login(communication)
    _visit(client, issue)
    block = issue.blocks.get(kind="team")
    block_update(block=block, user=communication, org_unit=block.org_unit, body="<p>Une autre équipe.</p>")
    assert "Une autre équipe." in _visit(client, issue)[1]
    issue_send(issue=issue, user=communication, base_url=BASE)
    assert "Aperçu d'un brouillon" not in _visit(client, issue)[1]
