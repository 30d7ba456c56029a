"""The mailing app's rows of the role × URL access matrix (merged into MATRIX in
tests/test_access_matrix.py; same helpers and outcomes, see that module's docstring).

Communication, HR and administrators run mailings; every other role is refused (403)."""

from django.urls import reverse

from mailing.models import Mailing
from tests.access import FORBIDDEN, LOGIN, OK, Redirect, row
from tests.mailing.factories import make_mailing

RUNNERS = ("communication", "rh", "admin_user")


def _draft(ctx):
    return {"pk": make_mailing().pk}


def _sending(ctx):
    from mailing.services import mailing_start

    mailing = make_mailing()
    mailing_start(mailing=mailing, user=ctx.users["communication"])
    return {"pk": mailing.pk}


def _detail(ctx):
    return reverse("mailing:mailing-detail", args=[Mailing.objects.latest("pk").pk])


def _runners(outcome=OK, **kw):
    return row(anonymous=LOGIN, default=FORBIDDEN, **dict.fromkeys(RUNNERS, outcome), **kw)


def _action(kwargs, data=None):
    return _runners(Redirect(_detail), kwargs=kwargs, method="post", data=data or {})


ROWS: dict = {
    "mailing:mailing-list": _runners(),
    "mailing:mailing-detail": _runners(kwargs=_draft),
    "mailing:mailing-progress": _runners(kwargs=_draft),
    "mailing:mailing-start": _action(_draft),
    "mailing:mailing-schedule": _action(_draft, data={"at": "2099-01-15T09:30"}),
    "mailing:mailing-pause": _action(_sending),
    "mailing:mailing-resume": _action(_sending),  # refused (not paused): a message, back to the page
    "mailing:mailing-cancel": _action(_draft),
    "mailing:mailing-retry": _action(_sending),
}
