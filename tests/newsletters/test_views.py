"""The newsletter's pages: writing through the forms, the archive and who reads what, the PDF read
back, the audience report, and the archive's constant number of queries."""

import re
from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from intranet.audiences import AudienceSpec
from intranet.models import Agent, OutgoingEmail
from mailing.models import Delivery, Mailing
from newsletters.models import Block, Issue
from newsletters.services.blocks import block_create
from newsletters.services.issues import issue_create
from newsletters.services.sending import issue_render, issue_send
from surveys.services.invitations import survey_invite
from tests.factories import AgentFactory, SiteFactory
from tests.html import Page
from tests.intranet.directory.images import image_bytes
from tests.newsletters.factories import IssueFactory
from tests.querycount import assert_same_queries
from tests.surveys.factories import SurveyFactory
from tests.vacancies.factories import VacancyFactory

BASE = "http://testserver"


def _sent(*, user, title="Numéro envoyé", audience=None, body="<p>Les réunions d'information.</p>"):
    issue = issue_create(
        title=title, edito="Le mot de la direction.", user=user, audience=audience or AudienceSpec(everyone=True)
    )
    block_create(issue=issue, kind="text", title="Actualités", body=body, user=user)
    issue_send(issue=issue, user=user, base_url=BASE)
    issue.refresh_from_db()
    return issue


# --- Writing through the pages --------------------------------------------------------------------


def test_communication_writes_an_issue_through_the_forms(client, communication):
    client.force_login(communication)
    response = client.post(
        reverse("newsletters:issue-create"), {"number": 7, "title": "Bienvenue", "edito": "Bonjour à toutes et à tous."}
    )
    issue = Issue.objects.get(number=7)
    assert response.url == reverse("newsletters:issue-edit", args=[issue.pk])
    response = client.post(
        reverse("newsletters:block-create", args=[issue.pk, "text"]),
        {"title": "Actualités", "body": "<p onclick='x()'>Texte <script>x()</script></p>"},
    )
    assert response.status_code == 302
    assert issue.blocks.get().body == "<p>Texte </p>"
    response = client.post(reverse("newsletters:block-create", args=[issue.pk, "image"]), {"alt": "Une cour"})
    assert response.status_code == 400
    assert "Ce champ est obligatoire" in response.content.decode()
    response = client.post(reverse("newsletters:block-create", args=[issue.pk, "agenda"]), {"agenda": "pas une date"})
    assert "ne commence pas par une date JJ/MM/AAAA" in response.content.decode()
    assert issue.blocks.count() == 1
    page = client.get(reverse("newsletters:issue-edit", args=[issue.pk])).content.decode()
    assert "Actualités" in page


def test_blocks_move_with_htmx_answering_the_list_only(client, communication):
    issue = IssueFactory()
    first = block_create(issue=issue, kind="text", title="Premier", body="<p>1</p>", user=communication)
    block_create(issue=issue, kind="text", title="Second", body="<p>2</p>", user=communication)
    client.force_login(communication)
    response = client.post(
        reverse("newsletters:block-move", args=[issue.pk, first.pk]),
        {"direction": "down"},
        headers={"HX-Request": "true"},
    )
    content = response.content.decode()
    assert "<html" not in content
    assert content.index("Second") < content.index("Premier")
    response = client.post(reverse("newsletters:block-move", args=[issue.pk, first.pk]), {"direction": "up"})
    assert response.status_code == 302
    assert list(issue.blocks.values_list("title", flat=True)) == ["Premier", "Second"]


def test_audience_is_chosen_with_the_shared_form(client, communication, unit):
    issue = IssueFactory()
    client.force_login(communication)
    response = client.post(
        reverse("newsletters:issue-audience", args=[issue.pk]), {"units": [unit.pk], "partners": "on"}
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert AudienceSpec.from_json(issue.audience) == AudienceSpec(units=(unit.pk,), partners=True)
    response = client.post(reverse("newsletters:issue-audience", args=[issue.pk]), {})
    assert response.status_code == 400
    assert "Choisissez au moins un destinataire" in response.content.decode()


def test_send_page_starts_the_mailing_and_leads_to_its_control_page(client, communication, agent):
    issue = IssueFactory()
    block_create(issue=issue, kind="text", body="<p>Texte</p>", user=communication)
    client.force_login(communication)
    response = client.post(reverse("newsletters:issue-send", args=[issue.pk]), {"when": "now"})
    mailing = Mailing.objects.get()
    assert response.url == reverse("mailing:mailing-detail", args=[mailing.pk])
    assert mailing.source == issue
    page = client.get(reverse("newsletters:issue-detail", args=[issue.pk])).content.decode()
    assert reverse("mailing:mailing-detail", args=[mailing.pk]) in page


def test_send_page_counts_agents_and_partners_apart(client, communication, agent, partenaire):
    """Issue 15: « 1015 agents » counted the lycées' partners as agents."""
    issue = IssueFactory(audience=AudienceSpec(everyone=True, partners=True).to_json())
    block_create(issue=issue, kind="text", body="<p>Texte</p>", user=communication)
    client.force_login(communication)
    page = Page(client.get(reverse("newsletters:issue-send", args=[issue.pk])).content.decode())
    agents = Agent.objects.active().filter(is_external=False).count()
    recipients = page.text("dd")
    assert f"{agents} agents et 1 partenaire extérieur" in recipients
    assert f"{agents + 1} agents" not in recipients


def test_blank_lines_of_a_text_block_are_kept_alike_on_the_web_in_the_mail_and_its_text(client, communication):
    """Issue 15: an empty paragraph (Enter pressed twice in the editor) folded to nothing on the
    web page and stayed a blank line in mail clients: one rule, a blank line everywhere."""
    client.force_login(communication)
    issue = IssueFactory()
    response = client.post(
        reverse("newsletters:block-create", args=[issue.pk, "text"]),
        {"title": "Deux paragraphes", "body": "<p>Premier.</p><p></p><p>Second.</p>"},
    )
    assert response.status_code == 302
    kept = "<p>Premier.</p><p><br></p><p>Second.</p>"
    preview = client.get(reverse("newsletters:issue-detail", args=[issue.pk])).content.decode()
    assert kept in preview
    mail = client.get(reverse("newsletters:issue-email-preview", args=[issue.pk])).content.decode()
    assert re.search(r"<p[^>]*>Premier\.</p><p[^>]*><br></p><p[^>]*>Second\.</p>", mail)
    client.post(reverse("newsletters:issue-send-test", args=[issue.pk]))
    sent = OutgoingEmail.objects.get(to=communication.email)
    assert re.search(r"<p[^>]*><br></p>", sent.html)
    assert "Premier.\n\n\nSecond." in sent.text
    issue_send(issue=issue, user=communication, base_url=BASE)
    reader = client.get(reverse("newsletters:issue-detail", args=[issue.pk])).content.decode()
    assert kept in reader


def test_send_page_refuses_a_past_date_in_french(client, communication):
    issue = IssueFactory()
    client.force_login(communication)
    response = client.post(
        reverse("newsletters:issue-send", args=[issue.pk]), {"when": "later", "at": "2020-01-01T08:00"}
    )
    assert response.status_code == 400
    assert "doit être dans le futur" in response.content.decode()
    assert not Mailing.objects.exists()


def test_email_preview_is_the_inlined_html_and_allows_no_script(client, communication):
    issue = IssueFactory()
    client.force_login(communication)
    response = client.get(reverse("newsletters:issue-email-preview", args=[issue.pk]))
    assert 'style="' in response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "script-src" not in policy


def test_send_test_button_queues_a_mail(client, communication):
    issue = IssueFactory()
    client.force_login(communication)
    response = client.post(reverse("newsletters:issue-send-test", args=[issue.pk]), follow=True)
    assert "Un envoi de test part vers communication@test.local." in response.content.decode()


# --- Reading ------------------------------------------------------------------------------------


def test_archive_shows_each_reader_the_issues_sent_to_them(client, communication, agent, partenaire, unit):
    to_all = _sent(user=communication, title="Pour tous les agents")
    to_partners = _sent(user=communication, title="Pour les proviseurs", audience=AudienceSpec(partners=True))
    to_other_unit = _sent(
        user=communication, title="Pour une autre unité", audience=AudienceSpec(agents=(communication.pk,))
    )
    draft = IssueFactory(title="Brouillon secret")

    def titles(user):
        client.force_login(user)
        return client.get(reverse("newsletters:issue-list")).content.decode()

    page = titles(agent)
    assert to_all.title in page
    assert to_partners.title not in page
    assert to_other_unit.title not in page
    assert draft.title not in page
    page = titles(partenaire)
    assert to_partners.title in page
    assert to_all.title not in page
    page = titles(communication)
    assert all(issue.title in page for issue in (to_all, to_partners, to_other_unit))
    assert draft.title not in page  # drafts live on the editors' page

    client.force_login(agent)
    assert client.get(to_all.get_absolute_url()).status_code == 200
    assert client.get(to_partners.get_absolute_url()).status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(partenaire)
    assert client.get(to_partners.get_absolute_url()).status_code == 200
    assert client.get(reverse("newsletters:issue-pdf", args=[to_all.pk])).status_code == 404


def test_an_agent_arrived_after_the_send_does_not_read_it(client, communication, agent):
    issue = _sent(user=communication)
    newcomer = AgentFactory()
    client.force_login(newcomer)
    assert client.get(issue.get_absolute_url()).status_code == 404


def test_archive_search_looks_in_blocks_text(client, communication, agent):
    _sent(user=communication, title="Numéro un", body="<p>La restauration scolaire</p>")
    _sent(user=communication, title="Numéro deux", body="<p>Les concours</p>")
    client.force_login(agent)
    page = client.get(reverse("newsletters:issue-list"), {"q": "Restauration"}).content.decode()
    assert "Numéro un" in page
    assert "Numéro deux" not in page
    fragment = client.get(reverse("newsletters:issue-list"), {"q": "concours"}, headers={"HX-Request": "true"})
    assert "Numéro deux" in fragment.content.decode()
    assert "<html" not in fragment.content.decode()


def test_archive_issues_the_same_number_of_queries_at_any_size(client, communication, agent):
    _sent(user=communication)
    client.force_login(agent)

    def grow():
        issues = Issue.objects.bulk_create(
            IssueFactory.build(number=1000 + n, status=Issue.Status.SENT, sent_at=Issue.objects.get().sent_at)
            for n in range(40)
        )
        mailings = Mailing.objects.bulk_create(
            Mailing(
                subject=str(issue),
                text="texte",
                kind="newsletter.issue",
                status=Mailing.Status.DONE,
                source_type_id=Mailing.objects.get().source_type_id,
                source_id=issue.pk,
            )
            for issue in issues
        )
        Delivery.objects.bulk_create(
            Delivery(mailing=mailing, agent=agent, email=agent.email, name="x", status=Delivery.Status.SENT)
            for mailing in mailings
        )

    assert_same_queries(client, reverse("newsletters:issue-list"), grow=grow)
    assert "Numéro de test" in client.get(reverse("newsletters:issue-list")).content.decode()


def test_a_long_issue_pdf_is_left_to_a_worker_then_served_from_the_cache(
    client, communication, agent, monkeypatch, django_capture_on_commit_callbacks
):
    """Issue 19: an issue of more than ISSUE_SYNC_MAX_PARTS blocks and people is rendered by a
    worker (the requester goes to the document's status page), then served at once."""
    from intranet.models import DocumentRequest
    from intranet.services import document_render
    from newsletters import pdf

    issue = _sent(user=communication, title="Un long numéro")
    monkeypatch.setattr(pdf, "ISSUE_SYNC_MAX_PARTS", 0)
    client.force_login(agent)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.get(reverse("newsletters:issue-pdf", args=[issue.pk]))
    document = DocumentRequest.objects.get()
    assert response["Location"] == reverse("intranet:document-status", kwargs={"pk": document.pk})
    assert (document.kind, document.params) == ("newsletters.issue", {"issue_id": issue.pk})

    assert document_render(request_id=document.pk) is True  # the worker
    document.refresh_from_db()
    assert document.filename == f"bienvenue-{issue.number}.pdf"
    monkeypatch.setattr(pdf, "pdf_from_html", None)  # served from the cache: no rendering now
    response = client.get(reverse("newsletters:issue-pdf", args=[issue.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "Un long numéro" in " ".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)


def test_pdf_reads_back_the_issue(client, communication, agent):
    issue = _sent(
        user=communication,
        title="L'équipe du mois des lycées",
        body="<p>Quinze réunions d'information</p><ul><li>559 réponses</li></ul>",
    )
    client.force_login(agent)
    response = client.get(reverse("newsletters:issue-pdf", args=[issue.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert f"Bienvenue — n° {issue.number}".upper() in text.upper()
    assert "L'équipe du mois des lycées" in text
    assert "&#" not in text  # nothing HTML-escaped twice (the running footer is a CSS string)
    assert "Page 1 / 1" in text
    assert "Le mot de la direction." in text
    assert "Quinze réunions d'information" in text
    assert "559 réponses" in text


def test_audience_report_lists_paper_recipients_by_site(client, communication, agent):
    fabert, zay = SiteFactory(name="Lycée Fabert"), SiteFactory(name="Lycée Jean Zay")
    AgentFactory(first_name="Paul", last_name="Papier", site=fabert, has_mailbox=False, job_title="Agent d'entretien")
    AgentFactory(first_name="Rose", last_name="Papier", site=zay, has_mailbox=False)
    AgentFactory(first_name="Marc", last_name="Courriel", site=zay)
    issue = _sent(user=communication)
    Delivery.objects.filter(mailing__source_id=issue.pk, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.SENT
    )
    client.force_login(communication)
    page = client.get(reverse("newsletters:issue-report", args=[issue.pk])).content.decode()
    fabert_at, zay_at = page.index("Lycée Fabert"), page.index("Lycée Jean Zay")
    assert fabert_at < page.index("Paul Papier") < zay_at < page.index("Rose Papier")
    assert "Marc Courriel" not in page  # reached by e-mail: counted, not listed
    paper = Agent.objects.filter(has_mailbox=False).count()
    assert f"{paper} à qui remettre la lettre sur papier" in page


def test_team_block_is_drawn_in_the_web_version(client, communication, manager, agent, unit):
    issue = IssueFactory()
    block_create(
        issue=issue, kind="team", org_unit=unit, user=communication, body="<p>Elle fait vivre nos valeurs.</p>"
    )
    client.force_login(communication)
    page = client.get(issue.get_absolute_url()).content.decode()
    assert unit.name in page
    assert manager.get_full_name() in page
    assert agent.get_full_name() in page
    assert Block.objects.get().data == {}


@pytest.mark.parametrize("kind", [kind for kind, _label in Block.Kind.choices])
def test_every_block_form_renders(client, communication, kind):
    issue = IssueFactory()
    client.force_login(communication)
    assert client.get(reverse("newsletters:block-create", args=[issue.pk, kind])).status_code == 200


def test_audience_report_issues_the_same_number_of_queries_at_any_size(client, communication, agent):
    issue = _sent(user=communication)
    mailing = Mailing.objects.get()
    client.force_login(communication)

    def grow():
        sites = [SiteFactory(name=f"Lycée {n}") for n in range(5)]
        agents = Agent.objects.bulk_create(
            Agent(
                email=f"tos{n}@test.local",
                first_name="Agent",
                last_name=f"TOS {n}",
                site=sites[n % 5],
                has_mailbox=n % 3 != 0,
            )
            for n in range(300)
        )
        Delivery.objects.bulk_create(
            Delivery(
                mailing=mailing,
                agent=item,
                email=item.email,
                name=item.get_full_name(),
                status=Delivery.Status.SENT if item.has_mailbox else Delivery.Status.PAPER,
            )
            for item in agents
        )

    assert_same_queries(client, reverse("newsletters:issue-report", args=[issue.pk]), grow=grow)
    assert "Agent TOS 297" in client.get(reverse("newsletters:issue-report", args=[issue.pk])).content.decode()


def test_a_draft_can_be_deleted_but_not_a_sent_issue(client, communication, agent, django_capture_on_commit_callbacks):
    draft = IssueFactory()
    block_create(
        issue=draft,
        kind="image",
        alt="Une cour",
        user=communication,
        image=SimpleUploadedFile("x.png", image_bytes("PNG"), content_type="image/png"),
    )
    image_name = draft.blocks.get().image.name
    sent = _sent(user=communication)
    client.force_login(communication)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("newsletters:issue-delete", args=[draft.pk]))
    assert response.url == reverse("newsletters:issue-manage")
    assert not Issue.objects.filter(pk=draft.pk).exists()
    assert not default_storage.exists(image_name)
    assert client.post(reverse("newsletters:issue-delete", args=[sent.pk])).status_code == 404
    assert Issue.objects.filter(pk=sent.pk).exists()


def test_a_scheduled_issue_says_so_to_editors_and_waits_for_its_time(client, communication, agent):
    issue = IssueFactory(title="Numéro programmé")
    block_create(issue=issue, kind="text", body="<p>Texte</p>", user=communication)
    client.force_login(communication)
    client.post(reverse("newsletters:issue-send", args=[issue.pk]), {"when": "later", "at": "2099-01-05T08:30"})
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "Envoi programmé le" in page
    assert "Programmée" in client.get(reverse("newsletters:issue-manage")).content.decode()
    assert "Numéro programmé" not in client.get(reverse("newsletters:issue-list")).content.decode()
    assert Mailing.objects.get().status == Mailing.Status.SCHEDULED


def test_web_version_links_on_this_site_and_the_mail_on_site_url(client, communication, settings):
    settings.SITE_URL = "https://intranet.example.fr"
    issue = IssueFactory()
    block_create(
        issue=issue,
        kind="image",
        alt="Une cour",
        user=communication,
        image=SimpleUploadedFile("x.png", image_bytes("PNG"), content_type="image/png"),
    )
    client.force_login(communication)
    page = client.get(issue.get_absolute_url()).content.decode()
    assert 'src="/media/newsletter/' in page
    assert "intranet.example.fr" not in page
    html = issue_render(issue=issue)["html"]
    assert 'src="https://intranet.example.fr/media/newsletter/' in html


def _site_links(html: str, base: str = "") -> list[str]:
    """The addresses of the site's pages an edition links to (not the images nor mail addresses)."""
    found = re.findall(r'href="([^"]+)"', html)
    paths = [url[len(base) :] if base and url.startswith(base) else url for url in found]
    return sorted({path for path in paths if path.startswith("/") and not path.startswith("/static/")})


def test_every_link_of_a_partner_edition_opens_for_its_readers(client, communication, agent, partenaire, unit):
    """A partner is sent the same issue as the agents: no link of theirs leads to an error page
    (directory, vacancies, a survey they are not invited to)."""
    AgentFactory(first_name="Nina", last_name="Nouvelle", org_unit=unit, arrival_date=timezone.localdate())
    VacancyFactory(title="Agent d'accueil")
    survey = SurveyFactory(title="Votre avis sur la lettre")
    survey_invite(survey=survey, agents=[agent])
    issue = issue_create(title="Pour tous", user=communication, audience=AudienceSpec(everyone=True, partners=True))
    for kind, extra in (
        ("team", {"org_unit": unit}),
        ("arrivals", {}),
        ("vacancies", {}),
        ("survey", {"survey": survey}),
    ):
        block_create(issue=issue, kind=kind, user=communication, **extra)
    mail = issue_render(issue=issue, base_url=BASE)
    issue_send(issue=issue, user=communication, base_url=BASE)

    client.force_login(partenaire)
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "Nina Nouvelle" in page  # the content is there, unlinked
    assert "Agent d&#x27;accueil" in page
    main = page[page.index("<main") : page.index("</main>")]
    for reader in (partenaire, agent):
        client.force_login(reader)
        for path in _site_links(mail["html"], BASE) + (_site_links(main) if reader == partenaire else []):
            assert client.get(path).status_code == 200, f"{reader.email}: {path}"
    assert reverse("directory:agent-list") not in mail["text"]
    # The agents' web page keeps its links into the directory and the vacancies.
    client.force_login(agent)
    page = client.get(issue.get_absolute_url()).content.decode()
    assert reverse("directory:unit-detail", args=[unit.pk]) in page
    assert reverse("vacancies:vacancy-list") in page
    assert survey.get_absolute_url() in page
