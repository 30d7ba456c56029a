"""A card in a review: its page, the committee's decision recorded, the comparison of the cards, and
the review's PDF."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from actions.models import ActionCard
from actions.reviews.forms import DecisionForm
from actions.reviews.pdf import REVIEW_DOCUMENT, review_document_params
from actions.reviews.permissions import can_read_reviews, can_record_decision, can_run_reviews
from actions.reviews.selectors.committee import review_card, review_comparison
from actions.reviews.services.committee import decision_record
from actions.reviews.views.committee import _readable_review
from intranet.permissions import RuleRequiredMixin
from intranet.services import document_request
from intranet.shortcuts import service_error_text

REVIEW_CARD_TEMPLATE = "reviews/review_card.html"


def _card_context(request, review, card_pk, *, form=None):
    data = review_card(review=review, card_pk=card_pk)
    if data is None:
        raise Http404
    can_decide = can_record_decision(request.user, review)
    if can_decide and form is None:
        decision = data["decision"]
        form = DecisionForm(initial={"decision": decision.decision, "comment": decision.comment} if decision else None)
    return {"review": review, **data, "can_decide": can_decide, "form": form}


class ReviewCardView(RuleRequiredMixin, TemplateView):
    """The session page of one card: snapshot, self-assessment, proposals, decision."""

    rule = staticmethod(can_read_reviews)
    template_name = REVIEW_CARD_TEMPLATE

    def get_context_data(self, **kwargs):
        review = _readable_review(self.request, self.kwargs["pk"])
        return super().get_context_data(**_card_context(self.request, review, self.kwargs["card_pk"]), **kwargs)


class DecisionRecordView(RuleRequiredMixin, View):
    """POST: the committee's decision on a card; htmx gets the decision block back."""

    rule = staticmethod(can_run_reviews)
    http_method_names = ["post"]

    def post(self, request, pk, card_pk):
        review = _readable_review(request, pk)
        card = get_object_or_404(ActionCard, pk=card_pk)
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                decision_record(review=review, card=card, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, service_error_text(error))
        if form.errors:
            context = _card_context(request, review, card_pk, form=form)
            template = REVIEW_CARD_TEMPLATE + "#decision" if request.htmx else REVIEW_CARD_TEMPLATE
            return render(request, template, context, status=400 if not request.htmx else 200)
        if request.htmx:
            context = _card_context(request, review, card_pk)
            context["saved"] = True
            return render(request, REVIEW_CARD_TEMPLATE + "#decision", context)
        messages.success(request, _("La décision est enregistrée."))
        return redirect("reviews:review-card", pk=review.pk, card_pk=card_pk)


class ReviewCompareView(RuleRequiredMixin, TemplateView):
    rule = staticmethod(can_read_reviews)
    template_name = "reviews/review_compare.html"

    def get_context_data(self, **kwargs):
        review = _readable_review(self.request, self.kwargs["pk"])
        return super().get_context_data(review=review, **review_comparison(review=review), **kwargs)


class ReviewPdfView(RuleRequiredMixin, View):
    """POST: the review as a PDF, rendered by a worker; the document's status page follows."""

    rule = staticmethod(can_read_reviews)
    http_method_names = ["post"]

    def post(self, request, pk):
        review = _readable_review(request, pk)
        document = document_request(kind=REVIEW_DOCUMENT, params=review_document_params(review), user=request.user)
        return redirect("intranet:document-status", pk=document.pk)
