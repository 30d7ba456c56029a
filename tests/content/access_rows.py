"""The content app's rows of the role × URL access matrix (merged into MATRIX in
tests/test_access_matrix.py; same helpers and outcomes, see that module's docstring).

News: every signed-in person reads the archive and the items addressed to them (partners only
those addressed to partners); a draft is a 404 for readers. Writing: communication and
administrators publish; HR and the named editors draft (the matrix's agent is none of them);
communication and administrators review and name the editors. The feed answers whoever holds
its secret address, signed in or not."""

from django.urls import reverse

from content.models import FeedToken, News
from intranet.images import photo_reencode
from tests.access import FORBIDDEN, LOGIN, NOT_FOUND, OK, Redirect, internal, login_required, public, row
from tests.content.factories import EditorFactory, FolderFactory, NewsFactory, PageFactory
from tests.intranet.directory.images import image_bytes, upload


def _published(ctx):
    return {"pk": NewsFactory().pk}


def _with_image(ctx):
    news = NewsFactory(image_alt="Le restaurant")
    news.image.save("image.jpg", photo_reencode(upload(image_bytes(fmt="JPEG"), name="photo.jpg")))
    return {"pk": news.pk}


def _draft(ctx):
    return {"pk": NewsFactory(status=News.Status.DRAFT, publish_at=None, author=ctx.users["communication"]).pk}


def _in_review(ctx):
    return {"pk": NewsFactory(status=News.Status.REVIEW, publish_at=None, author=ctx.users["rh"]).pk}


def _rh_draft(ctx):
    return {"pk": NewsFactory(status=News.Status.DRAFT, publish_at=None, author=ctx.users["rh"]).pk}


def _feed(ctx):
    return {"token": FeedToken.objects.create(agent=ctx.users["agent"]).token}


def _editor(ctx):
    return {"pk": EditorFactory().pk}


def _writers(kwargs=None, *, method="get", data=None, ok=OK, **by_role):
    """HR (an editor by role), communication and administrators; everyone else 403."""
    expect = {"anonymous": LOGIN, "default": FORBIDDEN, "rh": ok, "communication": ok, "admin_user": ok}
    return row(kwargs=kwargs, method=method, data=data, **{**expect, **by_role})


def _publishers(kwargs=None, *, method="get", data=None, ok=OK):
    return row(
        kwargs=kwargs, method=method, data=data, anonymous=LOGIN, default=FORBIDDEN, communication=ok, admin_user=ok
    )


def _manage(ctx):
    return reverse("content:news-manage")


def _preview(ctx):
    return reverse("content:news-preview", args=[News.objects.get().pk])


def _editors_page(ctx):
    return reverse("content:editor-list")


def _page(ctx):
    return {"slug": PageFactory(slug="nos-valeurs").slug}


def _revision(ctx):
    return {"slug": PageFactory(slug="nos-valeurs").slug, "number": 1}


def _owned_page(ctx):
    """A page the manager owns: its owner edits it, like communication."""
    return {"slug": PageFactory(slug="nos-valeurs", owner=ctx.users["manager"]).slug}


def _page_url(ctx):
    return "/pages/nos-valeurs/"


def _page_managers(kwargs=None, *, method="get", ok=OK, **by_role):
    expect = {"anonymous": LOGIN, "default": FORBIDDEN, "communication": ok, "admin_user": ok}
    return row(kwargs=kwargs, method=method, **{**expect, **by_role})


def _page_editors(kwargs, *, method="get", ok=OK):
    return _page_managers(kwargs, method=method, ok=ok, manager=ok)


def _managers_folder(ctx):
    """« Espace managers »: the managers' folder (the matrix's manager is a unit's head)."""
    from intranet.audiences import AudienceSpec

    return FolderFactory(slug="espace-managers", audience=AudienceSpec(roles=("manager",)).to_json())


def _folder(ctx):
    return {"slug": _managers_folder(ctx).slug}


def _document(ctx):
    from content import services
    from tests.content import files

    document = services.document_create(
        user=ctx.users["communication"],
        folder=_managers_folder(ctx),
        title="Guide du manager",
        upload=files.upload(files.pdf_bytes()),
    )
    return {"pk": document.pk}


def _document_version(ctx):
    return {**_document(ctx), "number": 1}


def _library(kwargs=None, *, method="get", ok=OK, **by_role):
    """Communication and administrators (the library's managers); the rest 403."""
    expect = {"anonymous": LOGIN, "default": FORBIDDEN, "communication": ok, "admin_user": ok}
    return row(kwargs=kwargs, method=method, **{**expect, **by_role})


def _managers_read(kwargs):
    """The managers' folder: read by managers (and communication, administrators); 404 for the others."""
    return row(kwargs=kwargs, anonymous=LOGIN, default=NOT_FOUND, manager=OK, communication=OK, admin_user=OK)


def _question(ctx):
    from content.models import Question

    return {
        "pk": Question.objects.create(title="Recadrer à distance ?", author=ctx.users["manager"], author_label="M").pk
    }


def _answer(ctx):
    from content.models import Answer

    question = _question(ctx)["pk"]
    return {"pk": Answer.objects.create(question_id=question, body="<p>Oui.</p>", author_label="A").pk}


def _question_url(ctx):
    from content.models import Question

    return Question.objects.get().get_absolute_url()


def _managers_space(kwargs=None, *, method="get", ok=OK, **by_role):
    """Managers (the matrix's manager heads a unit), communication and administrators (moderators)."""
    expect = {"anonymous": LOGIN, "default": FORBIDDEN, "manager": ok, "communication": ok, "admin_user": ok}
    return row(kwargs=kwargs, method=method, **{**expect, **by_role})


ROWS: dict = {
    "content:news-list": login_required(data={"q": "restaurant", "featured": "on"}),
    "content:news-detail": login_required(kwargs=_published, partenaire=NOT_FOUND),
    "content:news-image": login_required(kwargs=_with_image, partenaire=NOT_FOUND),
    "content:news-manage": _writers(),
    "content:news-create": _writers(),
    # A communication officer's draft: HR (a writer, not its author) gets a 404.
    "content:news-edit": _writers(kwargs=_draft, rh=NOT_FOUND),
    "content:news-preview": _writers(kwargs=_draft, rh=NOT_FOUND),
    "content:news-submit": _writers(kwargs=_rh_draft, method="post", ok=Redirect(_manage)),
    "content:news-review": _publishers(kwargs=_in_review),
    "content:news-return": _publishers(
        kwargs=_in_review, method="post", data={"renvoyer-note": "Raccourcir le titre."}, ok=Redirect(_manage)
    ),
    "content:news-unpublish": _publishers(kwargs=_published, method="post", ok=Redirect(_manage)),
    "content:news-delete": _writers(kwargs=_draft, rh=NOT_FOUND),
    "content:editor-list": _publishers(),
    "content:editor-remove": _publishers(kwargs=_editor, method="post", ok=Redirect(_editors_page)),
    "content:feed-settings": login_required(),
    "content:feed-reset": login_required(method="post", logged_in=Redirect("/actualites/flux/")),
    "content:news-feed": public(kwargs=_feed),
    # Pages: the administration's agents read them (partners 403); communication and administrators
    # write them all, a page's owner (here the manager) writes their own.
    "content:page-index": internal(),
    "content:page-create": _page_managers(),
    "content:page-detail": internal(kwargs=_page),
    "content:page-edit": _page_editors(_owned_page),
    "content:page-history": internal(kwargs=_page),
    "content:page-revision": internal(kwargs=_revision),
    "content:page-restore": _page_editors(
        lambda ctx: {**_owned_page(ctx), "number": 1}, method="post", ok=Redirect(_page_url)
    ),
    "content:page-reviewed": _page_editors(_owned_page, method="post", ok=Redirect(_page_url)),
    "content:page-delete": _page_managers(kwargs=_page),
    # The library: partners read the folders addressed to them (none here); a folder's documents are
    # a 404 for whoever is not in its audience, and are served after that check only.
    "content:library-index": login_required(),
    "content:folder-create": _library(),
    "content:folder-detail": _managers_read(_folder),
    "content:folder-edit": _library(kwargs=_folder),
    "content:document-create": _library(kwargs=_folder, manager=FORBIDDEN, default=NOT_FOUND),
    "content:document-detail": _managers_read(_document),
    "content:document-edit": _library(kwargs=_document, manager=FORBIDDEN, default=NOT_FOUND),
    "content:document-version-add": _library(kwargs=_document, manager=FORBIDDEN, default=NOT_FOUND),
    "content:document-delete": _library(kwargs=_document, manager=FORBIDDEN, default=NOT_FOUND),
    "content:document-download": _managers_read(_document),
    "content:document-version-download": _managers_read(_document_version),
    # The managers' space: managers ask and answer, the asker (here the manager) marks the useful
    # answer, communication and administrators (and a managers' folder's moderator) hide.
    "content:managers-space": _managers_space(),
    "content:question-list": _managers_space(),
    "content:question-create": _managers_space(),
    "content:question-detail": _managers_space(_question),
    "content:question-useful": _managers_space(
        _question, method="post", manager=Redirect(_question_url), communication=FORBIDDEN, admin_user=FORBIDDEN
    ),
    "content:question-hide": _managers_space(_question, manager=FORBIDDEN),
    "content:answer-hide": _managers_space(_answer, manager=FORBIDDEN),
}
