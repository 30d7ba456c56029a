"""The newsletter's entries in the core's registry: the menu, the global search, the demo data."""

from django.utils.translation import gettext_lazy as _

from intranet.registry import DemoSeed, DocumentRenderer, NavItem, SearchProvider, SearchResult, register
from newsletters import selectors  # noqa: F401  (its kept issue page watches its models in every process)
from newsletters.permissions import can_edit_newsletter, can_read_archive


def _search_issues(*, user, query, limit):
    from newsletters.selectors import issue_list_archive

    return [
        SearchResult(title=str(issue), url=issue.get_absolute_url(), summary=issue.edito[:200])
        for issue in issue_list_archive(user=user, query=query)[:limit]
    ]


def _render_issue_pdf(**params):
    from newsletters.pdf import issue_pdf_document_render  # WeasyPrint, loaded when printing

    return issue_pdf_document_render(**params)


def _demo_seed(*, stdout):
    from newsletters.demo import demo_seed

    demo_seed(stdout=stdout)


register(
    NavItem(
        key="newsletter",
        label=_("Lettre « Bienvenue »"),
        url_name="newsletters:issue-list",
        order=50,
        visible=can_read_archive,
        group="communication",
    ),
    NavItem(
        key="newsletter-manage",
        label=_("Lettre « Bienvenue »"),
        url_name="newsletters:issue-manage",
        order=820,
        visible=can_edit_newsletter,
        group="manage",
    ),
    SearchProvider(
        key="newsletter",
        label=_("Lettre « Bienvenue »"),
        search=_search_issues,
        order=50,
        visible=can_read_archive,
    ),
    DemoSeed(key="newsletter", seed=_demo_seed),
    DocumentRenderer(key="newsletters.issue", render=_render_issue_pdf),  # pdf.ISSUE_PDF_DOCUMENT
)
