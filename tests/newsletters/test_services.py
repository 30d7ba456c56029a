"""Writing an issue: composition, sanitisation, images, the e-mail's two parts, the test mail, and
the send through the mailing engine (audience frozen as delivery rows)."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from intranet.audiences import AudienceSpec
from intranet.models import OutgoingEmail
from mailing.models import Delivery, Mailing
from mailing.selectors import mailing_for_source, mailing_reached
from newsletters.content.view import issue_view
from newsletters.models import Block, Issue
from newsletters.services.blocks import block_create, block_delete, block_move, block_update
from newsletters.services.issues import issue_create, issue_update
from newsletters.services.sending import TEST_KIND, issue_render, issue_send, issue_send_test
from tests.factories import AgentFactory, OrgUnitFactory, SiteFactory
from tests.intranet.directory.images import image_bytes
from tests.newsletters.factories import IssueFactory
from tests.vacancies.factories import VacancyFactory

BASE = "https://intranet.test"

# What an attacker (or a careless paste) may put in a rich-text block, and what must not survive.
XSS_CORPUS = [
    "<script>alert('xss')</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">cliquez</a>',
    '<a href="JaVaScRiPt:alert(1)">cliquez</a>',
    '<a href="&#106;avascript:alert(1)">cliquez</a>',
    '<p style="background:url(javascript:alert(1))">stylé</p>',
    "<svg onload=alert(1)><circle r=10 /></svg>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="https://evil.example/"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<body onload=alert(1)>",
    '<div onmouseover="alert(1)">survol</div>',
    "<style>body{display:none}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>ok</button></form>',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    "<!--<img src=x onerror=alert(1)>-->",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<a href="https://ok.example/" onclick="alert(1)" class="x" id="y">ok</a>',
]
FORBIDDEN_FRAGMENTS = [
    "<script",
    "onerror",
    "onload",
    "onclick",
    "onmouseover",
    "onfocus",
    "ontoggle",
    "javascript:",
    "style",
    "<svg",
    "<iframe",
    "<object",
    "<embed",
    "<form",
    "<input",
    "<meta",
    "<base",
    "<math",
    "data:text",
    "<img",
    "srcdoc",
    "<body",
    "<details",
]


def _jpeg_upload(**kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.png", image_bytes("PNG", **kwargs), content_type="image/png")


@pytest.fixture
def issue(communication):
    return issue_create(
        title="Bienvenue aux personnels des lycées", edito="Premier paragraphe.\n\nSecond.", user=communication
    )


# --- Composition ------------------------------------------------------------------------------


def test_issue_numbers_follow_and_are_unique(communication):
    first = issue_create(title="Un", user=communication)
    second = issue_create(title="Deux", user=communication)
    assert second.number == first.number + 1
    with pytest.raises(ValidationError) as error:
        issue_create(title="Trois", number=first.number, user=communication)
    assert "existe déjà" in str(error.value)


def test_blocks_are_added_in_order_moved_and_deleted(issue, communication):
    a = block_create(issue=issue, kind="text", title="A", body="<p>a</p>", user=communication)
    b = block_create(issue=issue, kind="text", title="B", body="<p>b</p>", user=communication)
    c = block_create(issue=issue, kind="agenda", title="C", agenda="03/12/2026 Réunion", user=communication)
    assert [block.title for block in issue.blocks.all()] == ["A", "B", "C"]
    block_move(block=c, direction="up", user=communication)
    assert [block.title for block in issue.blocks.all()] == ["A", "C", "B"]
    block_move(block=a, direction="up", user=communication)  # already first: nothing
    assert [block.title for block in issue.blocks.all()] == ["A", "C", "B"]
    block_delete(block=b, user=communication)
    assert [(block.title, block.position) for block in issue.blocks.all()] == [("A", 1), ("C", 2)]


def test_agenda_lines_are_parsed_and_a_wrong_line_is_named(issue, communication):
    block = block_create(
        issue=issue,
        kind="agenda",
        user=communication,
        agenda="30/01/2027 — Vœux du président\n03/12/2026 : Réunion au lycée Fabert",
    )
    assert block.data["items"] == [
        {"date": "2026-12-03", "label": "Réunion au lycée Fabert"},
        {"date": "2027-01-30", "label": "Vœux du président"},
    ]
    with pytest.raises(ValidationError) as error:
        block_create(issue=issue, kind="agenda", user=communication, agenda="03/12/2026 Ok\ndemain midi")
    assert "Ligne 2" in str(error.value)
    assert issue.blocks.count() == 1


def test_a_sent_issue_cannot_be_changed(issue, communication, agent):
    block = block_create(issue=issue, kind="text", body="<p>Texte</p>", user=communication)
    issue_send(issue=issue, user=communication, base_url=BASE)
    with pytest.raises(ValidationError):
        block_update(block=block, body="<p>Autre</p>", user=communication)
    with pytest.raises(ValidationError):
        issue_update(issue=issue, title="Autre", edito="", number=issue.number, user=communication)
    block.refresh_from_db()
    assert block.body == "<p>Texte</p>"


# --- Sanitisation -----------------------------------------------------------------------------


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_rich_text_is_stored_inert(issue, communication, payload):
    block = block_create(issue=issue, kind="text", body=f"<p>Avant</p>{payload}<p>Après</p>", user=communication)
    stored = Block.objects.get(pk=block.pk).body.lower()
    for fragment in FORBIDDEN_FRAGMENTS:
        assert fragment not in stored, f"{fragment!r} survived in {stored!r}"
    assert stored.startswith("<p>avant</p>")  # an unclosed <style> or <script> may swallow the rest


def test_allowed_formatting_survives_sanitisation(issue, communication):
    block = block_create(
        issue=issue,
        kind="text",
        user=communication,
        body=(
            '<h2>Titre</h2><p><strong>gras</strong> <em>italique</em> <a href="https://ok.example/">lien</a></p>'
            "<ul><li>un</li></ul><blockquote>cité</blockquote>"
        ),
    )
    assert block.body == (
        "<h2>Titre</h2><p><strong>gras</strong> <em>italique</em> "
        '<a href="https://ok.example/" rel="noopener noreferrer">lien</a></p><ul><li>un</li></ul>'
        "<blockquote>cité</blockquote>"
    )


def test_a_text_block_left_empty_by_sanitisation_is_refused(issue, communication):
    with pytest.raises(ValidationError) as error:
        block_create(issue=issue, kind="text", body="<script>alert(1)</script>", user=communication)
    assert "vide" in str(error.value)
    assert not issue.blocks.exists()


# --- Images -----------------------------------------------------------------------------------


def test_image_is_reencoded_resized_and_stripped(issue, communication):
    block = block_create(
        issue=issue,
        kind="image",
        alt="La cour du lycée Fabert",
        user=communication,
        image=_jpeg_upload(size=(3000, 2000), gps=True),
    )
    with block.image.open("rb") as stored:
        image = Image.open(BytesIO(stored.read()))
        assert image.format == "JPEG"
        assert max(image.size) == 1200
        assert not image.getexif()


def test_image_needs_alt_text_and_real_image(issue, communication):
    with pytest.raises(ValidationError) as error:
        block_create(issue=issue, kind="image", alt="", image=_jpeg_upload(), user=communication)
    assert "Décrivez l'image" in str(error.value)
    fake = SimpleUploadedFile("photo.jpg", b"<?php echo 'pas une image'; ?>", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        block_create(issue=issue, kind="image", alt="Une photo", image=fake, user=communication)
    assert "n'est pas une image" in str(error.value)
    assert not issue.blocks.exists()


# --- Automatic blocks -------------------------------------------------------------------------


def test_new_arrivals_are_those_since_the_previous_issue(communication):
    previous = IssueFactory(number=1, status=Issue.Status.SENT, sent_at=timezone.now() - timedelta(days=30))
    unit = OrgUnitFactory(name="Lycée Fabert")
    today = timezone.localdate()
    AgentFactory(first_name="Ancienne", last_name="Arrivée", arrival_date=today - timedelta(days=40))
    AgentFactory(first_name="Nouvelle", last_name="Arrivée", arrival_date=today - timedelta(days=3), org_unit=unit)
    AgentFactory(first_name="Partenaire", last_name="Arrivé", arrival_date=today, is_external=True)
    issue = issue_create(number=previous.number + 1, title="Deux", user=communication)
    block = block_create(issue=issue, kind="arrivals", user=communication)
    people = issue_view(issue)["blocks"][0]["data"]["people"]
    assert [(person["name"], person["unit"]) for person in people] == [("Nouvelle Arrivée", "Lycée Fabert")]
    assert block.data == {}  # computed live while a draft


def test_vacancies_block_shows_open_vacancies_frozen_at_send(issue, communication, agent):
    VacancyFactory(title="Agent d'entretien au lycée Fabert")
    VacancyFactory(title="Poste clos", deadline=timezone.localdate() - timedelta(days=1))
    block_create(issue=issue, kind="vacancies", user=communication)
    issue_send(issue=issue, user=communication, base_url=BASE)
    VacancyFactory(title="Publié après l'envoi")
    issue.refresh_from_db()
    titles = [vacancy["title"] for vacancy in issue_view(issue)["blocks"][0]["data"]["vacancies"]]
    assert titles == ["Agent d'entretien au lycée Fabert"]


def test_news_block_quotes_the_chosen_news_frozen_at_send(issue, communication, agent):
    from content.models import News
    from newsletters.content.plain_text import issue_plain_text
    from newsletters.content.view import ANY_READER
    from tests.content.factories import NewsFactory

    older = NewsFactory(title="Don du sang", publish_at=timezone.now() - timedelta(days=3))
    latest = NewsFactory(title="Journée d'intégration", audience_partners=True)
    NewsFactory(title="Pour les encadrants", audience_everyone=False)  # not offered: not for every agent
    with pytest.raises(ValidationError):
        block_create(issue=issue, kind="news", user=communication, news=[])
    block_create(issue=issue, kind="news", user=communication, news=[latest.pk, older.pk])
    issue_send(issue=issue, user=communication, base_url=BASE)
    News.objects.filter(pk=older.pk).update(title="Titre changé après l'envoi")
    issue.refresh_from_db()
    items = issue_view(issue)["blocks"][0]["data"]["news_items"]
    assert [item["title"] for item in items] == ["Journée d'intégration", "Don du sang"]
    assert items[0]["url"] == latest.get_absolute_url()
    # Read by partners too: only the item addressed to partners keeps its link.
    view = issue_view(issue, base_url=BASE, reader=ANY_READER)
    assert [bool(item["url"]) for item in view["blocks"][0]["data"]["news_items"]] == [True, False]
    assert "Don du sang" in issue_plain_text(view)


def test_the_news_block_offers_the_latest_news_for_every_agent(issue, communication):
    from newsletters.forms import BlockForm
    from tests.content.factories import NewsFactory

    offered = NewsFactory(title="Pour tous")
    NewsFactory(title="Pour les encadrants", audience_everyone=False)
    form = BlockForm(kind="news")
    assert list(form.fields["news"].queryset) == [offered]
    form = BlockForm({"news": [offered.pk]}, kind="news")
    assert form.is_valid(), form.errors
    assert form.values()["news"] == [offered.pk]


def test_team_block_presents_the_unit_head_and_members(issue, communication, manager, agent, unit):
    agent.missions = "Préparer la paie des agents des lycées."
    agent.save(update_fields=["missions"])
    block_create(issue=issue, kind="team", org_unit=unit, body="<p>Une équipe soudée.</p>", user=communication)
    data = issue_view(issue)["blocks"][0]["data"]
    assert data["unit"] == unit.name
    assert data["head"]["name"] == manager.get_full_name()
    assert [(person["name"], person["missions"]) for person in data["members"]] == [
        (agent.get_full_name(), "Préparer la paie des agents des lycées.")
    ]


# --- The e-mail -------------------------------------------------------------------------------


def _composed_issue(issue, communication):
    block_create(
        issue=issue,
        kind="text",
        title="Les réunions d'information",
        user=communication,
        body=(
            '<h2>Quinze réunions</h2><p>Merci de votre <a href="https://intranet.test/agenda/">participation</a>.</p>'
            "<ul><li>90 % de participation</li><li>559 réponses</li></ul>"
        ),
    )
    block_create(
        issue=issue,
        kind="image",
        alt="La cour du lycée",
        caption="Le lycée Fabert",
        image=_jpeg_upload(),
        user=communication,
    )
    return issue


def test_plain_text_part_is_written_for_reading(issue, communication):
    rendered = issue_render(issue=_composed_issue(issue, communication), base_url=BASE)
    text = rendered["text"]
    assert "<" not in text
    assert f"Version en ligne : {BASE}/lettre/{issue.pk}/" in text
    assert "Quinze réunions\n===============" in text
    assert "Les réunions d'information\n--------------------------" in text
    assert "participation (https://intranet.test/agenda/)" in text
    assert "- 90 % de participation\n- 559 réponses" in text
    assert "Premier paragraphe.\n\nSecond." in text
    assert f"[Image : La cour du lycée] ({BASE}/media/newsletter/" in text


def test_html_part_has_inlined_css_absolute_images_and_web_link(issue, communication):
    rendered = issue_render(issue=_composed_issue(issue, communication), base_url=BASE)
    html = rendered["html"]
    assert "<style" not in html
    assert 'style="' in html
    assert "max-width: 640px" in html
    assert f'<a href="{BASE}/lettre/{issue.pk}/"' in html
    assert f'src="{BASE}/media/newsletter/' in html
    assert 'alt="La cour du lycée"' in html
    assert rendered["subject"] == f"Bienvenue n° {issue.number} — Bienvenue aux personnels des lycées"


def test_send_test_queues_the_same_multipart_mail_to_me(issue, communication, django_capture_on_commit_callbacks):
    rendered = issue_render(issue=issue, base_url=BASE)
    issue_send_test(issue=issue, user=communication, base_url=BASE)
    email = OutgoingEmail.objects.get(kind=TEST_KIND)
    assert email.to == communication.email
    assert email.subject == f"[Test] {rendered['subject']}"
    assert email.text == rendered["text"]
    assert email.html == rendered["html"]
    assert not Mailing.objects.exists()


# --- Sending ----------------------------------------------------------------------------------


def test_send_creates_the_mailing_and_freezes_the_audience(issue, communication, agent, partenaire):
    site = SiteFactory(name="Lycée Jean Zay")
    no_mailbox = AgentFactory(first_name="Paul", last_name="Agent", site=site, has_mailbox=False)
    block_create(issue=issue, kind="text", body="<p>Texte</p>", user=communication)
    mailing = issue_send(issue=issue, user=communication, base_url=BASE)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert issue.sent_at is not None
    assert mailing_for_source(issue) == mailing
    assert mailing.status in (Mailing.Status.SENDING, Mailing.Status.DONE)
    assert mailing.kind == "newsletter.issue"
    assert mailing.web_url == f"{BASE}/lettre/{issue.pk}/"
    assert mailing.text == issue_render(issue=issue, base_url=BASE)["text"]
    assert mailing_reached(mailing=mailing, agent=agent)
    assert not mailing_reached(mailing=mailing, agent=partenaire)  # "everyone" means internal agents
    assert Delivery.objects.get(mailing=mailing, agent=no_mailbox).status == Delivery.Status.PAPER
    # Who received it does not change afterwards.
    recipients = set(mailing.deliveries.values_list("agent_id", flat=True))
    newcomer = AgentFactory()
    agent.site = site
    agent.save(update_fields=["site"])
    assert not mailing_reached(mailing=mailing, agent=newcomer)
    assert set(mailing.deliveries.values_list("agent_id", flat=True)) == recipients


def test_send_can_be_scheduled(issue, communication, agent):
    at = timezone.now() + timedelta(days=2)
    mailing = issue_send(issue=issue, user=communication, base_url=BASE, at=at)
    assert mailing.status == Mailing.Status.SCHEDULED
    assert mailing.scheduled_at == at
    assert not mailing.deliveries.exists()
    assert not Issue.objects.published().filter(pk=issue.pk).exists()


def test_send_refuses_an_empty_audience_and_changes_nothing(issue, communication):
    Issue.objects.filter(pk=issue.pk).update(audience={})
    issue.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        issue_send(issue=issue, user=communication, base_url=BASE)
    assert "public" in str(error.value)
    issue.refresh_from_db()
    assert issue.is_draft
    assert not Mailing.objects.exists()


def test_search_text_covers_title_edito_and_blocks(issue, communication):
    block_create(issue=issue, kind="text", body="<p>La <b>restauration</b> scolaire</p>", user=communication)
    block_create(issue=issue, kind="agenda", agenda="03/12/2026 Séminaire des intendants", user=communication)
    issue.refresh_from_db()
    for word in ("lycées", "paragraphe", "restauration", "intendants"):
        assert word in issue.search_text
    assert AudienceSpec.from_json(issue.audience).everyone
