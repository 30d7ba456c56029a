"""The newsletter app's rows of the role × URL access matrix (merged into MATRIX in
tests/test_access_matrix.py; same helpers and outcomes, see that module's docstring).

Readers: any logged-in user reads the archive; an issue (web version, PDF) is readable by its
recipients and by communication, HR and administrators, and a 404 for everyone else (its
existence is not revealed). Writing: communication, HR and administrators only."""

from django.urls import reverse

from intranet.audiences import AudienceSpec
from newsletters.models import Issue
from newsletters.services.sending import issue_send
from tests.access import FORBIDDEN, LOGIN, NOT_FOUND, OK, Redirect, login_required, row
from tests.newsletters.factories import IssueFactory, TextBlockFactory


def _sent_to_agent(ctx):
    """A sent issue whose only recipient is the agent."""
    issue = IssueFactory(audience=AudienceSpec(agents=(ctx.users["agent"].pk,)).to_json())
    TextBlockFactory(issue=issue)
    issue_send(issue=issue, user=ctx.users["communication"], base_url="https://intranet.test")
    return {"pk": issue.pk}


def _draft(ctx):
    return {"pk": IssueFactory().pk}


def _draft_block(ctx):
    block = TextBlockFactory()
    return {"pk": block.issue_id, "block_pk": block.pk}


def _edit_page(ctx):
    return reverse("newsletters:issue-edit", args=[Issue.objects.get().pk])


def _reader(kwargs):
    return row(kwargs=kwargs, anonymous=LOGIN, default=NOT_FOUND, agent=OK, rh=OK, communication=OK, admin_user=OK)


def _editors(kwargs=None, *, method="get", data=None, ok=OK):
    return row(
        kwargs=kwargs,
        method=method,
        data=data,
        anonymous=LOGIN,
        default=FORBIDDEN,
        rh=ok,
        communication=ok,
        admin_user=ok,
    )


ROWS: dict = {
    "newsletters:issue-list": login_required(),
    "newsletters:issue-detail": _reader(_sent_to_agent),
    "newsletters:issue-pdf": _reader(_sent_to_agent),
    "newsletters:issue-manage": _editors(),
    "newsletters:issue-create": _editors(),
    "newsletters:issue-edit": _editors(_draft),
    "newsletters:issue-audience": _editors(_draft),
    "newsletters:issue-delete": _editors(_draft),
    "newsletters:block-create": _editors(lambda ctx: {"pk": IssueFactory().pk, "kind": "text"}),
    "newsletters:block-update": _editors(_draft_block),
    "newsletters:block-delete": _editors(_draft_block),
    "newsletters:block-move": _editors(_draft_block, method="post", data={"direction": "up"}, ok=Redirect(_edit_page)),
    "newsletters:issue-email-preview": _editors(_draft),
    "newsletters:issue-email-text": _editors(_draft),
    "newsletters:issue-send-test": _editors(_draft, method="post", ok=Redirect(_edit_page)),
    "newsletters:issue-send": _editors(_draft),
    "newsletters:issue-report": _editors(_sent_to_agent),
}
