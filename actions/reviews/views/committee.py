"""The steering committee's reviews: the list, a review created, its page, opened, its session
started, and closed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView, View

from actions.models import Plan
from actions.permissions import can_follow_my_cards
from actions.reviews.forms import ReviewCloseForm, ReviewForm
from actions.reviews.models import Review
from actions.reviews.permissions import can_read_reviews, can_run_reviews
from actions.reviews.selectors.committee import review_get, review_list, review_session
from actions.reviews.selectors.follow_up import review_undecided
from actions.reviews.services.committee import review_close, review_create, review_open, review_session_start
from intranet.permissions import RuleRequiredMixin
from intranet.shortcuts import service_error_text


def _readable_review(request, pk) -> Review:
    review = review_get(user=request.user, pk=pk)
    if review is None:
        raise Http404
    return review


class ReviewListView(RuleRequiredMixin, TemplateView):
    rule = staticmethod(can_read_reviews)
    template_name = "reviews/review_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            reviews=review_list(user=user),
            can_run=can_run_reviews(user),
            is_pilot=can_follow_my_cards(user),
            **kwargs,
        )


class ReviewCreateView(RuleRequiredMixin, FormView):
    rule = staticmethod(can_run_reviews)
    template_name = "reviews/review_form.html"
    form_class = ReviewForm

    def form_valid(self, form):
        plan = Plan.objects.current()
        if plan is None:
            form.add_error(None, _("Aucun projet d'administration n'est chargé."))
            return self.form_invalid(form)
        try:
            review = review_create(plan=plan, user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, service_error_text(error))
            return self.form_invalid(form)
        messages.success(self.request, _("La revue est créée. Ouvrez-la pour photographier les fiches."))
        return redirect(review)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ReviewDetailView(RuleRequiredMixin, TemplateView):
    """The review: its state, what the runners can do next, and every card's line."""

    rule = staticmethod(can_read_reviews)
    template_name = "reviews/review_detail.html"

    def get_context_data(self, **kwargs):
        review = _readable_review(self.request, self.kwargs["pk"])
        rows = review_session(review=review)
        return super().get_context_data(
            review=review,
            rows=rows,
            can_run=can_run_reviews(self.request.user),
            decided=sum(1 for row in rows if row.decision),
            assessed=sum(1 for row in rows if row.self_assessment),
            **kwargs,
        )


class _ReviewTransitionView(RuleRequiredMixin, View):
    rule = staticmethod(can_run_reviews)
    http_method_names = ["post"]
    service = None
    done = ""

    def post(self, request, pk):
        review = _readable_review(request, pk)
        try:
            type(self).service(review=review, user=request.user)
        except ValidationError as error:
            messages.error(request, service_error_text(error))
        else:
            messages.success(request, self.done)
        return redirect(review)


class ReviewOpenView(_ReviewTransitionView):
    service = review_open
    done = _(
        "La revue est ouverte : les fiches sont photographiées et les pilotes peuvent rédiger leur auto-évaluation."
    )


class ReviewSessionStartView(_ReviewTransitionView):
    service = review_session_start
    done = _("La séance est ouverte : le comité peut enregistrer ses décisions.")


class ReviewCloseView(RuleRequiredMixin, TemplateView):
    """GET: the cards closing would leave without a decision, and the confirmation; POST: close."""

    rule = staticmethod(can_run_reviews)
    template_name = "reviews/review_close.html"

    def get_context_data(self, form=None, **kwargs):
        review = _readable_review(self.request, self.kwargs["pk"])
        undecided = review_undecided(review=review)
        return super().get_context_data(
            review=review,
            undecided=undecided,
            form=form or ReviewCloseForm(undecided=len(undecided)),
            **kwargs,
        )

    def post(self, request, pk):
        review = _readable_review(request, pk)
        form = ReviewCloseForm(request.POST, undecided=len(review_undecided(review=review)))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            review_close(review=review, user=request.user, undecided_confirmed=True)
        except ValidationError as error:
            messages.error(request, service_error_text(error))
            return redirect(review)
        messages.success(
            request, _("La revue est clôturée : elle ne peut plus être modifiée. Les pilotes reçoivent les décisions.")
        )
        return redirect(review)
