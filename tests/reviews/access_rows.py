"""The reviews app's rows of the role × URL access matrix (merged into MATRIX in
tests/test_access_matrix.py; same helpers and outcomes, see that module's docstring).

Who: every internal agent reads closed reviews; a review in progress is read by the committee,
HR and administrators (and the follow-up group); they alone run reviews and record decisions;
pilots write their cards' self-assessments; follow-up group members post proposals."""

import datetime

from django.urls import reverse

from actions.models import Plan
from actions.reviews.models import Review
from actions.reviews.services.committee import review_close, review_open, review_session_start
from intranet.models import DocumentRequest
from tests.access import FORBIDDEN, LOGIN, NOT_FOUND, OK, Redirect, internal, row
from tests.actions.factories import ActionCardFactory, PlanFactory
from tests.reviews.factories import FollowUpMemberFactory, ReviewFactory

RUNNERS = {"copil": OK, "rh": OK, "admin_user": OK}


def _review(ctx, status=Review.Status.PREPARATION):
    """A review of a plan with one card piloted by `pilote`, brought to `status`."""
    card = ActionCardFactory()
    card.pilot_agents.add(ctx.users["pilote"])
    review = ReviewFactory(plan=card.plan, year=2026, date=datetime.date(2026, 12, 1))
    copil = ctx.users["copil"]
    if status != Review.Status.PREPARATION:
        review_open(review=review, user=copil)
    if status in (Review.Status.IN_SESSION, Review.Status.CLOSED):
        review_session_start(review=review, user=copil)
    if status == Review.Status.CLOSED:
        review_close(review=review, user=copil, undecided_confirmed=True)
    ctx.card = card
    return review


def _kw(status, *, card=False):
    def kwargs(ctx):
        review = _review(ctx, status)
        return {"pk": review.pk, "card_pk": ctx.card.pk} if card else {"pk": review.pk}

    return kwargs


def _detail(ctx):
    return reverse("reviews:review-detail", args=[Review.objects.get().pk])


def _card_page(ctx):
    review = Review.objects.get()
    return reverse("reviews:review-card", args=[review.pk, review.snapshots.get().card_id])


def _document_status(ctx):
    return reverse("intranet:document-status", args=[DocumentRequest.objects.get().pk])


def _plan(ctx):
    PlanFactory()
    return {}


def _plan_with_member(ctx):
    """The current plan, a card, and `agent` as a volunteer of the follow-up group."""
    card = ActionCardFactory()
    FollowUpMemberFactory(plan=card.plan, agent=ctx.users["agent"])
    return {}


def _proposal_data(ctx):
    return {"card": Plan.objects.get().cards.get().pk, "text": "Associer les communes"}


def _my_assessments(ctx):
    _review(ctx, Review.Status.SELF_ASSESSMENT)
    return {}


FOLLOWUP = Redirect("/plan/revues/groupe-de-suivi/")

ROWS: dict = {
    "reviews:review-list": internal(),
    "reviews:review-create": internal(default=FORBIDDEN, **RUNNERS),
    "reviews:my-self-assessments": internal(kwargs=_my_assessments, default=FORBIDDEN, pilote=OK),
    "reviews:followup-group": internal(kwargs=_plan),
    "reviews:followup-join": internal(kwargs=_plan, method="post", data={}, default=FOLLOWUP),
    "reviews:followup-leave": internal(kwargs=_plan, method="post", data={}, default=FOLLOWUP),
    "reviews:proposal-create": internal(
        kwargs=_plan_with_member,
        method="post",
        data=_proposal_data,
        default=FORBIDDEN,
        agent=FOLLOWUP,
        admin_user=FOLLOWUP,
    ),
    # A review in progress: hidden (404) from agents outside the committee, HR and admins.
    "reviews:review-detail": internal(kwargs=_kw(Review.Status.SELF_ASSESSMENT), default=NOT_FOUND, **RUNNERS),
    "reviews:review-open": internal(
        kwargs=_kw(Review.Status.PREPARATION),
        method="post",
        data={},
        default=FORBIDDEN,
        copil=Redirect(_detail),
        rh=Redirect(_detail),
        admin_user=Redirect(_detail),
    ),
    "reviews:review-session-start": internal(
        kwargs=_kw(Review.Status.SELF_ASSESSMENT),
        method="post",
        data={},
        default=FORBIDDEN,
        copil=Redirect(_detail),
        rh=Redirect(_detail),
        admin_user=Redirect(_detail),
    ),
    "reviews:review-close": internal(
        kwargs=_kw(Review.Status.IN_SESSION),
        method="post",
        data={"confirm": "on"},
        default=FORBIDDEN,
        copil=Redirect(_detail),
        rh=Redirect(_detail),
        admin_user=Redirect(_detail),
    ),
    # A closed review: every internal agent reads it, its comparison and its PDF.
    "reviews:review-compare": internal(kwargs=_kw(Review.Status.CLOSED)),
    "reviews:review-card": internal(kwargs=_kw(Review.Status.CLOSED, card=True)),
    "reviews:review-pdf": internal(
        kwargs=_kw(Review.Status.CLOSED), method="post", data={}, default=Redirect(_document_status)
    ),
    "reviews:decision-record": internal(
        kwargs=_kw(Review.Status.IN_SESSION, card=True),
        method="post",
        data={"decision": "poursuivre", "comment": "Bien"},
        default=FORBIDDEN,
        copil=Redirect(_card_page),
        rh=Redirect(_card_page),
        admin_user=Redirect(_card_page),
    ),
    "reviews:self-assessment-edit": row(
        kwargs=_kw(Review.Status.SELF_ASSESSMENT, card=True), anonymous=LOGIN, default=FORBIDDEN, pilote=OK
    ),
}
