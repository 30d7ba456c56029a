"""The message of a mailing: its headers (a deterministic Message-ID per delivery), and its bytes
rendered once per batch then given each recipient's address."""

from __future__ import annotations

from email.utils import parseaddr

from django.core.mail import EmailMultiAlternatives

from intranet import smtp
from mailing.models import Delivery, Mailing


def message_id_for(delivery: Delivery) -> str:
    """Deterministic: the same delivery always carries the same Message-ID, so a message sent
    twice (the one in flight at a crash) can be recognised as one by the receiving side."""
    return f"<mailing-{delivery.mailing_id}-delivery-{delivery.pk}@{smtp.message_id_domain()}>"


def build_message(*, mailing: Mailing, delivery: Delivery, connection=None) -> EmailMultiAlternatives:
    domain = smtp.message_id_domain()
    headers = {
        "Message-ID": message_id_for(delivery),
        "List-Id": f"<{mailing.kind.replace('.', '-') or 'mailing'}.{domain}>",
        "Auto-Submitted": "auto-generated",
        "Precedence": "bulk",
    }
    if mailing.web_url:
        headers["List-Archive"] = f"<{mailing.web_url}>"
    message = EmailMultiAlternatives(
        subject=mailing.subject, body=mailing.text, to=[delivery.email], headers=headers, connection=connection
    )
    if mailing.html:
        message.attach_alternative(mailing.html, "text/html")
    return message


class _Renderer:
    """The message of a mailing rendered to bytes once per batch, then given each recipient's
    To and Message-ID by substitution: the MIME rendering (headers encoded, HTML and text
    alternatives) costs more than the rest of a send, and only those two headers differ."""

    TO = "mc-recipient@placeholder.invalid"

    def __init__(self, mailing: Mailing):
        probe = Delivery(pk=0, mailing_id=mailing.pk, email=self.TO)
        message = build_message(mailing=mailing, delivery=probe)
        self.from_email = parseaddr(message.from_email)[1]
        self.payload = message.message().as_bytes(linesep="\r\n")
        self.message_id = message_id_for(probe).encode("ascii")

    def render(self, delivery: Delivery) -> bytes | None:
        """None for an address that is not plain ASCII (rendered in full then)."""
        if not delivery.email.isascii():
            return None
        return self.payload.replace(self.TO.encode("ascii"), delivery.email.encode("ascii"), 1).replace(
            self.message_id, message_id_for(delivery).encode("ascii"), 1
        )
