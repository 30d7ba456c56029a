"""The steering committee's reviews: thin views over `selectors` and `services`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView, View

from actions.models import ActionCard, Plan
from actions.permissions import can_follow_my_cards, is_card_pilot
from actions.reviews import selectors, services
from actions.reviews.forms import DecisionForm, ProposalForm, ReviewCloseForm, ReviewForm, SelfAssessmentForm
from actions.reviews.models import FollowUpMember, Review
from actions.reviews.pdf import REVIEW_DOCUMENT, review_document_params
from actions.reviews.permissions import (
    can_manage_followup_group,
    can_post_proposal,
    can_read_reviews,
    can_record_decision,
    can_run_reviews,
    can_write_self_assessment,
    is_followup_member,
)
from intranet.permissions import RuleRequiredMixin
from intranet.services import document_request
from intranet.shortcuts import service_error_text


def _readable_review(request, pk) -> Review:
    review = selectors.review_get(user=request.user, pk=pk)
    if review is None:
        raise Http404
    return review


class ReviewListView(RuleRequiredMixin, TemplateView):
    rule = staticmethod(can_read_reviews)
    template_name = "reviews/review_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            reviews=selectors.review_list(user=user),
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
            review = services.review_create(plan=plan, user=self.request.user, **form.cleaned_data)
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
        rows = selectors.review_session(review=review)
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
    service = services.review_open
    done = _(
        "La revue est ouverte : les fiches sont photographiées et les pilotes peuvent rédiger leur auto-évaluation."
    )


class ReviewSessionStartView(_ReviewTransitionView):
    service = services.review_session_start
    done = _("La séance est ouverte : le comité peut enregistrer ses décisions.")


class ReviewCloseView(RuleRequiredMixin, TemplateView):
    """GET: the cards closing would leave without a decision, and the confirmation; POST: close."""

    rule = staticmethod(can_run_reviews)
    template_name = "reviews/review_close.html"

    def get_context_data(self, form=None, **kwargs):
        review = _readable_review(self.request, self.kwargs["pk"])
        undecided = selectors.review_undecided(review=review)
        return super().get_context_data(
            review=review,
            undecided=undecided,
            form=form or ReviewCloseForm(undecided=len(undecided)),
            **kwargs,
        )

    def post(self, request, pk):
        review = _readable_review(request, pk)
        form = ReviewCloseForm(request.POST, undecided=len(selectors.review_undecided(review=review)))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            services.review_close(review=review, user=request.user, undecided_confirmed=True)
        except ValidationError as error:
            messages.error(request, service_error_text(error))
            return redirect(review)
        messages.success(
            request, _("La revue est clôturée : elle ne peut plus être modifiée. Les pilotes reçoivent les décisions.")
        )
        return redirect(review)


REVIEW_CARD_TEMPLATE = "reviews/review_card.html"


def _card_context(request, review, card_pk, *, form=None):
    data = selectors.review_card(review=review, card_pk=card_pk)
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
                services.decision_record(review=review, card=card, user=request.user, **form.cleaned_data)
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
        return super().get_context_data(review=review, **selectors.review_comparison(review=review), **kwargs)


class ReviewPdfView(RuleRequiredMixin, View):
    """POST: the review as a PDF, rendered by a worker; the document's status page follows."""

    rule = staticmethod(can_read_reviews)
    http_method_names = ["post"]

    def post(self, request, pk):
        review = _readable_review(request, pk)
        document = document_request(kind=REVIEW_DOCUMENT, params=review_document_params(review), user=request.user)
        return redirect("intranet:document-status", pk=document.pk)


class MySelfAssessmentsView(RuleRequiredMixin, TemplateView):
    """Pilots: the self-assessments to write for the reviews collecting them."""

    rule = staticmethod(can_follow_my_cards)
    template_name = "reviews/my_self_assessments.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(groups=selectors.my_self_assessments(user=self.request.user), **kwargs)


class SelfAssessmentEditView(RuleRequiredMixin, FormView):
    rule = staticmethod(can_read_reviews)
    template_name = "reviews/self_assessment_form.html"
    form_class = SelfAssessmentForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.review = get_object_or_404(Review.objects.select_related("plan"), pk=kwargs["pk"])
        self.card = get_object_or_404(
            ActionCard.objects.prefetch_related("pilot_agents", "pilot_units"),
            pk=kwargs["card_pk"],
            review_snapshots__review=self.review,
        )
        if not is_card_pilot(request.user, self.card):
            raise PermissionDenied
        self.existing = self.review.self_assessments.filter(card=self.card).first()
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        if self.existing is None:
            return {}
        return {f: getattr(self.existing, f) for f in ("assessment", "difficulties", "next_steps")}

    def get_context_data(self, **kwargs):
        snapshot = self.review.snapshots.get(card=self.card)
        return super().get_context_data(
            review=self.review,
            card=self.card,
            snapshot=snapshot,
            existing=self.existing,
            can_write=can_write_self_assessment(self.request.user, self.review, self.card),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.self_assessment_save(
                review=self.review, card=self.card, user=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, service_error_text(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Votre auto-évaluation est enregistrée."))
        return redirect("reviews:my-self-assessments")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class FollowUpGroupView(RuleRequiredMixin, TemplateView):
    """The follow-up group: its volunteers, joining or leaving it, and (members) a proposal."""

    rule = staticmethod(can_read_reviews)
    template_name = "reviews/followup_group.html"

    def get_context_data(self, form=None, **kwargs):
        user = self.request.user
        plan = Plan.objects.current()
        member = plan is not None and is_followup_member(user, plan.pk)
        can_propose = plan is not None and can_post_proposal(user, ActionCard(plan=plan))
        return super().get_context_data(
            plan=plan,
            is_member=member,
            can_propose=can_propose,
            can_manage=can_manage_followup_group(user),
            members=FollowUpMember.objects.filter(plan=plan).select_related("agent__org_unit") if plan else [],
            form=form or (ProposalForm(plan=plan) if can_propose else None),
            my_proposals=selectors.proposals_by(user=user, plan=plan),
            **kwargs,
        )


class FollowUpJoinView(RuleRequiredMixin, View):
    rule = staticmethod(can_read_reviews)
    http_method_names = ["post"]

    def post(self, request):
        plan = Plan.objects.current()
        if plan is None:
            raise Http404
        services.followup_join(plan=plan, user=request.user)
        messages.success(request, _("Vous faites partie du groupe de suivi. Merci de votre engagement !"))
        return redirect("reviews:followup-group")


class FollowUpLeaveView(RuleRequiredMixin, View):
    """POST: leave the group; with `agent`, the committee, HR or an admin removes a member."""

    rule = staticmethod(can_read_reviews)
    http_method_names = ["post"]

    def post(self, request):
        plan = Plan.objects.current()
        if plan is None:
            raise Http404
        agent = request.user
        if request.POST.get("agent", "").isdigit():
            agent = get_object_or_404(FollowUpMember, plan=plan, agent_id=int(request.POST["agent"])).agent
        services.followup_leave(plan=plan, agent=agent, user=request.user)
        messages.success(request, _("Le groupe de suivi est mis à jour."))
        return redirect("reviews:followup-group")


class ProposalCreateView(FollowUpGroupView):
    http_method_names = ["post"]

    def post(self, request):
        plan = Plan.objects.current()
        if plan is None or not can_post_proposal(request.user, ActionCard(plan=plan)):
            raise PermissionDenied
        form = ProposalForm(request.POST, plan=plan)
        if form.is_valid():
            try:
                data = form.cleaned_data
                services.proposal_post(card=data["card"], user=request.user, text=data["text"])
            except ValidationError as error:
                form.add_error(None, service_error_text(error))
        if form.errors:
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, _("Votre proposition est transmise au comité de pilotage."))
        return redirect(reverse("reviews:followup-group"))
