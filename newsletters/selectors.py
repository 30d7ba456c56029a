"""Reads of the newsletter, permission-aware, with what each page needs loaded in a fixed number
of queries."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from intranet.kept import KeptFragment
from mailing.models import Delivery, Mailing
from newsletters.models import Block, Issue
from newsletters.permissions import can_edit_newsletter, can_read_issue

# A sent issue's web page as its readers see it (its blocks' data frozen at the send): kept for
# everyone who may open the same links (newsletters.content.view.Reader). A draft is drawn live.
ISSUE_ARTICLE = KeptFragment("newsletter-issue", changes_with=("newsletters.Issue", "newsletters.Block"))


def _normalise(query: str) -> str:
    return " ".join((query or "").lower().split())


def issue_list_archive(*, user, query: str = "") -> QuerySet[Issue]:
    """Sent issues the user may read, newest first; `query` looks in the title, the edito and
    every block's text (each word must appear). Same number of queries whatever the size."""
    issues = Issue.objects.published()
    if not can_edit_newsletter(user):
        issue_type = ContentType.objects.get_for_model(Issue)
        reached = Delivery.objects.filter(
            agent_id=user.pk, mailing__source_type=issue_type, mailing__source_id=OuterRef("pk")
        )
        issues = issues.filter(Exists(reached))
    for word in _normalise(query).split():
        issues = issues.filter(search_text__contains=word)
    return issues.only("pk", "number", "title", "edito", "sent_at", "status").order_by("-sent_at", "-number")


def issue_list_manage() -> QuerySet[Issue]:
    """Every issue for the editors' page, drafts first, with its number of blocks."""
    return Issue.objects.annotate(block_count=Count("blocks")).order_by("status", "-number")


def issue_get_readable(*, user, pk: int) -> Issue:
    """The issue, or 404 when the user may not read it (its existence is not revealed); it carries
    `has_survey` (one of its blocks is a survey: its readers' invitations change the page)."""
    has_survey = Exists(Block.objects.filter(issue=OuterRef("pk"), kind=Block.Kind.SURVEY))
    issues = Issue.objects.defer("search_text").annotate(has_survey=has_survey)
    if getattr(user, "is_authenticated", False) and not can_edit_newsletter(user):
        from mailing.selectors import source_reached_expression

        issues = issues.annotate(reached=source_reached_expression(Issue, agent=user))  # can_read_issue's
    issue = issues.filter(pk=pk).first()
    if issue is None or not can_read_issue(user, issue):
        raise Http404
    return issue


def issue_mailing(issue: Issue) -> Mailing | None:
    from mailing.selectors import mailing_for_source

    return mailing_for_source(issue)


def issue_audience_report(*, issue: Issue) -> dict:
    """Who the send reached by e-mail and who must get the issue on paper, by site (the agent's
    site today; the delivery row keeps the name frozen at the send). Three queries whatever the
    audience: counts by site and state, then the paper recipients' names (the list to hand out)."""
    mailing = issue_mailing(issue)
    if mailing is None:
        return {"mailing": None, "sites": [], "totals": {}}
    deliveries = Delivery.objects.filter(mailing=mailing)
    sites: dict[str, dict] = {}

    def site_row(name):
        return sites.setdefault(name or "", {"name": name or "", "paper": [], "email": 0, "failed": 0, "pending": 0})

    by_state = deliveries.values("agent__site__name", "status").annotate(count=Count("pk")).order_by()
    for entry in by_state:
        row = site_row(entry["agent__site__name"])
        if entry["status"] == Delivery.Status.SENT:
            row["email"] += entry["count"]
        elif entry["status"] == Delivery.Status.FAILED:
            row["failed"] += entry["count"]
        elif entry["status"] == Delivery.Status.PENDING:
            row["pending"] += entry["count"]
    paper = (
        deliveries.filter(status=Delivery.Status.PAPER)
        .values("name", "agent__site__name", "agent__org_unit__name", "agent__job_title")
        .order_by("agent__site__name", "name", "pk")
    )
    for entry in paper:
        site_row(entry["agent__site__name"])["paper"].append(
            {
                "name": entry["name"],
                "unit": entry["agent__org_unit__name"] or "",
                "job_title": entry["agent__job_title"] or "",
            }
        )
    totals = deliveries.aggregate(
        total=Count("pk"),
        paper=Count("pk", filter=Q(status=Delivery.Status.PAPER)),
        email=Count("pk", filter=Q(status=Delivery.Status.SENT)),
        failed=Count("pk", filter=Q(status=Delivery.Status.FAILED)),
    )
    ordered = sorted(sites.values(), key=lambda site: (site["name"] == "", site["name"]))
    return {"mailing": mailing, "sites": ordered, "totals": totals}


__all__ = [
    "can_read_issue",
    "issue_list_archive",
    "issue_list_manage",
    "issue_get_readable",
    "issue_mailing",
    "issue_audience_report",
]
