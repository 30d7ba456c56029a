"""The shadowing app's rows of the role × URL access matrix (merged into MATRIX in
tests/test_access_matrix.py; same helpers and outcomes, see that module's docstring).

The visit of the rows is asked by agent@ (whose manager is manager@) to a host of another
service: the visitor, their manager, HR and administrators see it; everyone else gets a 404.
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from onboarding.shadowing import promotion
from onboarding.shadowing.models import AgreementVersion, Visit
from tests.access import FORBIDDEN, LOGIN, NOT_FOUND, OK, Redirect, internal, row
from tests.factories import AgentFactory
from tests.shadowing.factories import CampaignFactory, OfferFactory, VisitFactory


def _weekday():
    day = timezone.localdate() + datetime.timedelta(days=7)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def _visit(ctx, **fields):
    visit = VisitFactory(visitor=ctx.users["agent"], **fields)
    return {"pk": visit.pk}


def _signed(**fields):
    def build(ctx):
        return _visit(ctx, agreement=AgreementVersion.objects.first(), agreement_signed_at=timezone.now(), **fields)

    return build


def _detail(ctx):
    return reverse("shadowing:visit-detail", args=[Visit.objects.get().pk])


def _campaign(ctx):
    return {"pk": CampaignFactory().pk}


def _mailing_page(ctx):
    from mailing.models import Mailing

    return promotion.mailing_url(Mailing.objects.order_by("-pk").get())


def _survey_page(ctx):
    from surveys.models import Survey

    return reverse("surveys:survey-build", args=[Survey.objects.get().pk])


def _visit_row(**by_role):
    """Seen by the visitor (agent), their manager, HR and admins; 404 for other agents."""
    return internal(**{"default": NOT_FOUND, "agent": OK, "manager": OK, "rh": OK, "admin_user": OK, **by_role})


def _visit_post(kwargs, data=None, **by_role):
    go = Redirect(_detail)
    return _visit_row(
        kwargs=kwargs,
        method="post",
        data=data or {},
        **{"agent": go, "manager": go, "rh": go, "admin_user": go, **by_role},
    )


def _hr_only(**kw):
    return row(**{"anonymous": LOGIN, "default": FORBIDDEN, "rh": OK, "admin_user": OK, **kw})


ROWS: dict = {
    "shadowing:offer-list": internal(),
    "shadowing:offer-create": internal(),
    "shadowing:offer-update": internal(
        kwargs=lambda ctx: {"pk": OfferFactory(host=ctx.users["agent"]).pk},
        default=NOT_FOUND,
        agent=OK,
        rh=OK,
        admin_user=OK,
    ),
    "shadowing:visit-create": internal(),
    "shadowing:visit-mine": internal(),
    "shadowing:visit-queue": internal(),
    "shadowing:visit-detail": _visit_row(kwargs=_visit),
    "shadowing:visit-approve": _visit_post(_visit, agent=FORBIDDEN),
    "shadowing:visit-refuse": _visit_post(_visit, {"reason": "Pas cette année"}, agent=FORBIDDEN),
    "shadowing:visit-assign-host": _visit_post(
        lambda ctx: _visit(ctx, offer=None, host=None, wished_job="Jardinier"),
        lambda ctx: {"host": AgentFactory().pk},
        agent=FORBIDDEN,
    ),
    "shadowing:visit-schedule": _visit_post(
        lambda ctx: _visit(ctx, state=Visit.State.ACCEPTED),
        {"on": _weekday().isoformat(), "slot": "matin"},
        agent=FORBIDDEN,
        manager=FORBIDDEN,
    ),
    "shadowing:visit-cancel": _visit_post(_visit, {"reason": ""}),
    "shadowing:visit-complete": _visit_post(
        _signed(state=Visit.State.SCHEDULED, scheduled_on=timezone.localdate(), slot="matin"), manager=FORBIDDEN
    ),
    "shadowing:visit-agreement": _visit_row(kwargs=_visit),
    "shadowing:visit-agreement-pdf": _visit_row(kwargs=_signed(state=Visit.State.SCHEDULED)),
    "shadowing:visit-report": _visit_post(
        lambda ctx: _visit(ctx, state=Visit.State.DONE),
        {"report": "Étonnant", "consent": "on"},
        manager=FORBIDDEN,
        rh=FORBIDDEN,
        admin_user=FORBIDDEN,
    ),
    "shadowing:visit-publish": _visit_post(
        lambda ctx: _visit(ctx, state=Visit.State.DONE, report="Étonnant", report_publish_consent=True),
        agent=FORBIDDEN,
        manager=FORBIDDEN,
    ),
    "shadowing:visit-newsletter": row(  # a published report, no issue in preparation: back with a message
        kwargs=lambda ctx: _visit(
            ctx,
            state=Visit.State.DONE,
            report="Étonnant",
            report_publish_consent=True,
            report_published_at=timezone.now(),
        ),
        method="post",
        anonymous=LOGIN,
        default=FORBIDDEN,
        rh=Redirect("/montre-moi-ton-job/temoignages/"),
        communication=Redirect("/montre-moi-ton-job/temoignages/"),
        admin_user=Redirect("/montre-moi-ton-job/temoignages/"),
    ),
    "shadowing:report-list": internal(),
    "shadowing:absence": internal(default=FORBIDDEN, manager=OK, rh=OK, admin_user=OK),
    "shadowing:campaign-list": _hr_only(),
    "shadowing:campaign-detail": _hr_only(kwargs=_campaign),
    "shadowing:campaign-figures": _hr_only(kwargs=_campaign, copil=OK),
    "shadowing:campaign-mailing": _hr_only(
        kwargs=_campaign,
        method="post",
        rh=Redirect(_mailing_page),
        communication=Redirect(_mailing_page),
        admin_user=Redirect(_mailing_page),
    ),
    "shadowing:agreement-edit": _hr_only(),
    "shadowing:managers-survey": _hr_only(method="post", rh=Redirect(_survey_page), admin_user=Redirect(_survey_page)),
    "shadowing:flyer": internal(),
    "shadowing:poster": internal(),
}
