"""An issue rendered (web, e-mail with its CSS inlined, text), a test sent to its editor, and the
issue sent to its audience through the mailing engine."""

from __future__ import annotations

from datetime import datetime

import css_inline
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from intranet.audiences import AudienceSpec
from intranet.kept import model_version_name, renew
from intranet.services import audit_log_record, email_queue
from newsletters.content.live_data import block_live_data
from newsletters.content.plain_text import issue_plain_text
from newsletters.content.view import ANY_READER, EVERY_AGENT, FROZEN_KINDS, issue_view
from newsletters.models import Issue
from newsletters.services.issues import _editable, issue_reindex

MAILING_KIND = "newsletter.issue"
TEST_KIND = "newsletter.test"


def issue_subject(issue: Issue) -> str:
    return str(issue)


def issue_email_html(view: dict) -> str:
    """The e-mail's HTML: a light one-column layout, its CSS inlined for mail clients."""
    html = render_to_string("newsletters/email/issue.html", view)
    return css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False).inline(html)


def issue_render(*, issue: Issue, base_url: str = "") -> dict:
    """{"subject", "html", "text", "web_url"} of the issue as it would be sent now. The same
    message goes to every recipient: with partners among them it carries only links every
    reader may open (the web version, linked at its top, has the rest for agents)."""
    partners = AudienceSpec.from_json(issue.audience).partners
    view = issue_view(issue, base_url=base_url, reader=ANY_READER if partners else EVERY_AGENT)
    return {
        "subject": issue_subject(issue),
        "html": issue_email_html(view),
        "text": issue_plain_text(view),
        "web_url": view["web_url"],
    }


def issue_send_test(*, issue: Issue, user, base_url: str = ""):
    """The same multipart mail, to the user only, through the outbox."""
    if not getattr(user, "email", ""):
        raise ValidationError(_("Votre compte n'a pas d'adresse e-mail."))
    rendered = issue_render(issue=issue, base_url=base_url)
    with transaction.atomic():
        email = email_queue(
            to=user.email,
            subject=_("[Test] %(subject)s") % {"subject": rendered["subject"]},
            text=rendered["text"],
            html=rendered["html"],
            kind=TEST_KIND,
        )
    return email


def _valid_url(url: str) -> str:
    """The web version's address for the mailing's List-Archive header, or "" when the site's own
    host is not a public name (a test server, a bare host name): the mail's body links it anyway."""
    try:
        URLValidator()(url)
    except ValidationError:
        return ""
    return url


@transaction.atomic
def issue_send(
    *, issue: Issue, user, base_url: str = "", at: datetime | None = None, sent_before: datetime | None = None
):
    """Freeze the issue's automatic content, create its mailing and start it now (or schedule it
    for `at`). The mailing freezes the audience as one delivery row per recipient.
    `sent_before`: record an issue already sent on that date (a demo's history, an import): its
    deliveries are written as sent, nothing is mailed."""
    from mailing.services import mailing_create, mailing_record_sent, mailing_schedule, mailing_start

    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    _editable(issue)
    spec = AudienceSpec.from_json(issue.audience)
    if spec.is_empty:
        raise ValidationError(_("Choisissez le public de ce numéro avant de l'envoyer."))
    blocks = list(issue.blocks.select_related("org_unit__head", "survey"))
    if not blocks and not issue.edito.strip():
        raise ValidationError(_("Ce numéro est vide : ajoutez un édito ou au moins un bloc."))
    now = timezone.now()
    if at is not None and at <= now:
        raise ValidationError(_("La date d'envoi doit être dans le futur."))
    issue.status, issue.sent_at, issue.sent_by = Issue.Status.SENT, at or now, user
    for block in blocks:
        if block.kind in FROZEN_KINDS:
            block.data = block_live_data(block, issue)
            block.save(update_fields=["data"])
    issue.save(update_fields=["status", "sent_at", "sent_by"])
    issue_reindex(issue)
    rendered = issue_render(issue=issue, base_url=base_url)
    mailing = mailing_create(
        subject=rendered["subject"],
        html=rendered["html"],
        text=rendered["text"],
        audience=spec,
        created_by=user,
        kind=MAILING_KIND,
        web_url=_valid_url(rendered["web_url"]),
        source=issue,
    )
    if sent_before is not None:
        mailing = mailing_record_sent(mailing=mailing, sent_at=sent_before, user=user)
        Issue.objects.filter(pk=issue.pk).update(sent_at=sent_before)
        renew(model_version_name("newsletters.Issue"))  # its kept web page (an update: no signal)
    elif at is not None:
        mailing = mailing_schedule(mailing=mailing, at=at, user=user)
    else:
        mailing = mailing_start(mailing=mailing, user=user)
    audit_log_record(
        actor=user,
        action="newsletter.issue.send",
        target=issue,
        details={"mailing": mailing.pk, "at": (at or now).isoformat()},
    )
    return mailing
