"""What pilots and volunteers do around reviews: the self-assessments they write, the follow-up
group they join or leave, and its members' proposals."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView, View

from actions.models import ActionCard, Plan
from actions.permissions import can_follow_my_cards, is_card_pilot
from actions.reviews.forms import ProposalForm, SelfAssessmentForm
from actions.reviews.models import FollowUpMember, Review
from actions.reviews.permissions import (
    can_manage_followup_group,
    can_post_proposal,
    can_read_reviews,
    can_write_self_assessment,
    is_followup_member,
)
from actions.reviews.selectors.agents import my_self_assessments, proposals_by
from actions.reviews.services.pilots import followup_join, followup_leave, proposal_post, self_assessment_save
from intranet.permissions import RuleRequiredMixin
from intranet.shortcuts import service_error_text


class MySelfAssessmentsView(RuleRequiredMixin, TemplateView):
    """Pilots: the self-assessments to write for the reviews collecting them."""

    rule = staticmethod(can_follow_my_cards)
    template_name = "reviews/my_self_assessments.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(groups=my_self_assessments(user=self.request.user), **kwargs)


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
            self_assessment_save(review=self.review, card=self.card, user=self.request.user, **form.cleaned_data)
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
            my_proposals=proposals_by(user=user, plan=plan),
            **kwargs,
        )


class FollowUpJoinView(RuleRequiredMixin, View):
    rule = staticmethod(can_read_reviews)
    http_method_names = ["post"]

    def post(self, request):
        plan = Plan.objects.current()
        if plan is None:
            raise Http404
        followup_join(plan=plan, user=request.user)
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
        followup_leave(plan=plan, agent=agent, user=request.user)
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
                proposal_post(card=data["card"], user=request.user, text=data["text"])
            except ValidationError as error:
                form.add_error(None, service_error_text(error))
        if form.errors:
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, _("Votre proposition est transmise au comité de pilotage."))
        return redirect(reverse("reviews:followup-group"))
