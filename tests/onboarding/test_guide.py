"""The personalised welcome guide: its PDF read back (the agent, their manager and buddy, the
table of contents with page numbers), re-rendered only when what it shows changed, e-mailed
once to the arriving agent; chapters sanitised."""

import base64
import io
import re
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from intranet.models import OutgoingEmail
from onboarding import content
from onboarding.models import GuideChapter, GuideEdition
from onboarding.services.integration_days import sessions_invite_upcoming
from onboarding.services.journeys import arrival_record
from onboarding.services.welcome_guide import chapter_save, guide_render, guide_request
from tests.factories import AgentFactory, OrgUnitFactory
from tests.onboarding.factories import BuddyVolunteerFactory, IntegrationDayFactory

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> tuple[list[str], str]:
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    return pages, "\n".join(pages)


@pytest.fixture
def arrival(agent, manager, rh):
    content.chapters_seed()
    content.journey_template_seed(it_email="dsi@test.local")
    buddy = BuddyVolunteerFactory(
        agent=AgentFactory(first_name="Paul", last_name="Parrain", org_unit=OrgUnitFactory(name="Service des sports"))
    ).agent
    arrival = arrival_record(agent=agent, arrival_date=date(2026, 9, 1), manager=manager, buddy=buddy, user=rh)
    return arrival


def _render(arrival):
    return guide_render(arrival_id=arrival.pk)


def _pdf(arrival) -> bytes:
    edition = GuideEdition.objects.get(arrival=arrival)
    with edition.file.open("rb") as handle:
        return handle.read()


def test_the_guide_names_the_agent_their_manager_and_buddy_with_a_table_of_contents(arrival):
    assert _render(arrival)

    pages, text = _text(_pdf(arrival))
    assert "Hélène Dupont" in pages[0]  # the cover
    team = next(page for page in pages if "Paul Parrain" in page)
    assert "VOTRE ENCADRANT" in team  # the role, in capitals above each person
    assert "VOTRE PARRAIN OU MARRAINE" in team
    assert "Martine Encadrante" in team
    toc = {m.group(1).strip(): int(m.group(2)) for m in re.finditer(r"^(.+?) \.{3,} ?(\d+)$", pages[1], re.M)}
    assert list(toc)[:2] == ["Le mot du directeur", "Nos valeurs"]
    assert "Votre encadrant et votre parrain ou marraine" in toc
    # Each entry's page number is the page where its chapter starts.
    for title, number in toc.items():
        assert " ".join(pages[number - 1].split()).startswith(title), title
    # Running headers and page numbers.
    assert f"Page 3 / {len(pages)}" in pages[2]
    assert "Le mot du directeur" in pages[2]
    assert GuideEdition.objects.get(arrival=arrival).pages == len(pages)


def test_the_guide_is_rendered_again_only_when_its_content_changes(arrival):
    assert _render(arrival)
    assert not _render(arrival)  # nothing changed
    edition = GuideEdition.objects.get(arrival=arrival)
    assert edition.render_count == 1

    chapter = GuideChapter.objects.get(title="Nos valeurs")
    chapter.body = "<p>Nos valeurs, revues par la communication.</p>"
    chapter_save(chapter=chapter, user=None)
    assert _render(arrival)
    assert "revues par la communication" in _text(_pdf(arrival))[1]

    IntegrationDayFactory(
        arrivals_from=date(2026, 8, 1), arrivals_to=date(2026, 9, 30), date=date(2026, 10, 6), place="Salle des fêtes"
    )
    sessions_invite_upcoming(today=date(2026, 9, 2))
    assert _render(arrival)
    assert "Salle des fêtes" in _text(_pdf(arrival))[1]
    assert not _render(arrival)
    assert GuideEdition.objects.get(arrival=arrival).render_count == 3


def test_the_first_guide_is_emailed_to_the_agent_with_the_pdf(arrival, agent):
    _render(arrival)
    [mail] = OutgoingEmail.objects.filter(kind="onboarding.guide")
    assert mail.to == agent.email
    [attachment] = mail.attachments
    assert attachment["mimetype"] == "application/pdf"
    assert "Hélène Dupont" in _text(base64.b64decode(attachment["content"]))[1]
    GuideChapter.objects.filter(title="Nos valeurs").update(body="<p>Autre texte.</p>")
    _render(arrival)
    assert OutgoingEmail.objects.filter(kind="onboarding.guide").count() == 1


def test_recording_an_arrival_asks_for_its_guide(arrival, published_guides, django_capture_on_commit_callbacks):
    assert GuideEdition.objects.get(arrival=arrival).status == GuideEdition.Status.PENDING
    # Published after the commit: the test transaction has not committed, the fixture records the calls.
    newcomer = AgentFactory()
    with django_capture_on_commit_callbacks(execute=True):
        arrival_record(agent=newcomer, arrival_date=date(2026, 9, 1), user=None)
    assert published_guides[-1] == newcomer.arrival.pk


def test_chapters_are_sanitised_on_save():
    chapter = GuideChapter(
        title="Vie pratique",
        order=1,
        body='<p onclick="x()">Cantine</p><script>alert(1)</script><a href="javascript:x">lien</a>'
        '<img src="http://tracker/x.png">',
    )
    chapter_save(chapter=chapter, user=None)
    chapter.refresh_from_db()
    assert chapter.body == '<p>Cantine</p><a rel="noopener noreferrer">lien</a>'


def test_the_manager_and_buddy_photos_are_in_the_pdf(arrival, manager):
    from django.core.files.base import ContentFile

    from intranet.demo import avatar_jpeg

    manager.photo.save("encadrante.jpg", ContentFile(avatar_jpeg(initials="ME", colour="#0a3d91")))
    _render(arrival)
    reader = PdfReader(io.BytesIO(_pdf(arrival)))
    team = next(page for page in reader.pages if "Paul Parrain" in page.extract_text())
    assert len(team.images) == 1  # the manager's photo; the buddy has none: their initials
    assert "PP" in team.extract_text()


def test_a_guide_asked_again_without_change_is_not_rendered_again(arrival):
    _render(arrival)
    guide_request(arrival=arrival)
    assert GuideEdition.objects.get(arrival=arrival).status == GuideEdition.Status.PENDING
    assert not _render(arrival)
    edition = GuideEdition.objects.get(arrival=arrival)
    assert (edition.status, edition.render_count) == (GuideEdition.Status.DONE, 1)


def test_the_rendered_pdf_is_kept_where_the_media_view_never_serves_it(arrival, client, agent):
    _render(arrival)
    name = GuideEdition.objects.get(arrival=arrival).file.name
    assert name.startswith("private/onboarding/guides/")
    client.force_login(agent)
    assert client.get(f"/media/{name}").status_code == 404
    response = client.get(reverse("onboarding:guide-download", args=[arrival.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="guide-accueil-helene-dupont.pdf"'


def test_a_guide_with_nothing_known_yet_still_renders(db):
    from tests.onboarding.factories import ArrivalFactory

    bare = ArrivalFactory(agent=AgentFactory(first_name="Zoé", last_name="Seule", org_unit=None, site=None))
    guide_request(arrival=bare)
    assert _render(bare)
    text = _text(_pdf(bare))[1]
    assert "Zoé Seule" in text
    assert "Votre service vous sera présenté le premier jour." in text
    assert "Votre parrain ou marraine n'est pas encore désigné" in text
