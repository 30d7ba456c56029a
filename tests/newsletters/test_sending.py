"""An issue through a real SMTP server on loopback: the send (through the mailing engine) and the
test mail (through the outbox) deliver the same multipart message — the generated text part and
the HTML part with its CSS inlined, images at absolute addresses."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from intranet.models import OutgoingEmail
from intranet.services import email_send
from mailing.services import mailing_send_batch
from newsletters.services.blocks import block_create
from newsletters.services.issues import issue_create
from newsletters.services.sending import issue_render, issue_send, issue_send_test
from tests.factories import AgentFactory
from tests.intranet.directory.images import image_bytes

pytestmark = pytest.mark.django_db

BASE = "https://intranet.test"


@pytest.fixture
def composed(communication):
    issue = issue_create(title="L'équipe du mois", edito="Chaque mois, une équipe se présente.", user=communication)
    block_create(
        issue=issue,
        kind="text",
        title="Nos valeurs",
        user=communication,
        body='<p>Le <a href="https://intranet.test/valeurs/">service au public</a>.</p>',
    )
    block_create(
        issue=issue,
        kind="image",
        alt="L'équipe réunie",
        user=communication,
        image=SimpleUploadedFile("x.png", image_bytes("PNG"), content_type="image/png"),
    )
    return issue


def _check_parts(mail, rendered):
    assert mail.message.is_multipart()
    assert mail.text().replace("\r\n", "\n").strip() == rendered["text"].strip()
    html = mail.html()
    assert "<style" not in html
    assert 'style="' in html
    assert f'src="{BASE}/media/newsletter/' in html
    assert 'alt="L\'équipe réunie"' in html or 'alt="L&#x27;équipe réunie"' in html


def test_the_send_reaches_mailboxes_and_skips_paper(
    smtp_server, composed, communication, django_capture_on_commit_callbacks
):
    readers = [AgentFactory(email=f"lecteur{n}@test.local") for n in range(3)]
    paper = AgentFactory(email="papier@test.local", has_mailbox=False)
    with django_capture_on_commit_callbacks(execute=False):
        mailing = issue_send(issue=composed, user=communication, base_url=BASE)
    composed.refresh_from_db()
    rendered = issue_render(issue=composed, base_url=BASE)
    while mailing_send_batch(mailing_id=mailing.pk, size=50)["more"]:
        pass
    received = smtp_server.count_by_recipient()
    for reader in readers:
        assert received[reader.email] == 1
    assert paper.email not in received
    mail = smtp_server.messages_to(readers[0].email)[0]
    assert mail.message["Subject"] == rendered["subject"]
    assert mail.message["List-Archive"] == f"<{BASE}/lettre/{composed.pk}/>"
    _check_parts(mail, rendered)


def test_the_test_mail_is_the_same_multipart_message(
    smtp_server, composed, communication, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        issue_send_test(issue=composed, user=communication, base_url=BASE)
    assert email_send(email_id=OutgoingEmail.objects.get().pk)
    mail = smtp_server.messages_to(communication.email)[0]
    assert mail.message["Subject"].strip().startswith("[Test] Bienvenue n° ")
    _check_parts(mail, issue_render(issue=composed, base_url=BASE))
