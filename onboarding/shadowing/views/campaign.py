"""HR's side: campaigns (overview acting on every visit, figures), the agreement's text, and
making the action known (flyer, poster, mailing)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from intranet.permissions import InternalRequiredMixin, RuleRequiredMixin
from intranet.shortcuts import paginate, service_error_text
from onboarding.shadowing import forms, promotion, selectors
from onboarding.shadowing import permissions as perms
from onboarding.shadowing.models import Campaign
from onboarding.shadowing.services.campaigns import (
    agreement_current,
    agreement_publish,
    campaign_create,
    campaign_current,
)
from onboarding.shadowing.services.completion import managers_year_end_survey_create

VISITS_PER_PAGE = 50


class CampaignListView(RuleRequiredMixin, FormView):
    rule = staticmethod(perms.can_manage_campaigns)
    form_class = forms.CampaignForm
    template_name = "shadowing/campaign_list.html"

    def form_valid(self, form):
        try:
            campaign = campaign_create(user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("La campagne est créée."))
        return redirect(campaign.get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(campaigns=Campaign.objects.all(), **kwargs)


class CampaignDetailView(RuleRequiredMixin, TemplateView):
    """Every visit of the campaign, with HR's actions on each."""

    rule = staticmethod(perms.can_manage_campaigns)
    template_name = "shadowing/campaign_detail.html"

    def get_context_data(self, **kwargs):
        campaign = get_object_or_404(Campaign, pk=self.kwargs["pk"])
        filter_form = forms.CampaignVisitFilterForm(self.request.GET)
        state = filter_form.cleaned_data["etat"] if filter_form.is_valid() else ""
        visits = selectors.campaign_visits(campaign=campaign)
        if state:
            visits = visits.filter(state=state)
        page_obj = paginate(self.request, visits, VISITS_PER_PAGE)
        return super().get_context_data(
            campaign=campaign,
            visits=page_obj.object_list,
            page_obj=page_obj,
            filter_form=filter_form,
            query=urlencode({"etat": state}) if state else "",
            figures=selectors.campaign_figures(campaign=campaign),
            **kwargs,
        )


class CampaignFiguresView(RuleRequiredMixin, TemplateView):
    rule = staticmethod(perms.can_read_figures)
    template_name = "shadowing/campaign_figures.html"

    def get_context_data(self, **kwargs):
        campaign = get_object_or_404(Campaign, pk=self.kwargs["pk"])
        return super().get_context_data(
            campaign=campaign,
            figures=selectors.campaign_figures(campaign=campaign),
            can_manage=perms.can_manage_campaigns(self.request.user),
            **kwargs,
        )


class CampaignMailingView(RuleRequiredMixin, View):
    """The mailing to all agents announcing the campaign (the mailing app sends it)."""

    rule = staticmethod(perms.can_promote)
    http_method_names = ["post"]

    def post(self, request, pk):
        campaign = get_object_or_404(Campaign, pk=pk)
        catalogue = promotion.catalogue_url()
        try:
            mailing = promotion.campaign_mailing_create(campaign=campaign, user=request.user, catalogue_url=catalogue)
        except ValidationError as error:
            messages.error(request, service_error_text(error))
            return redirect(campaign.get_absolute_url())
        messages.success(request, _("Le mailing est préparé : vérifiez-le puis lancez l'envoi."))
        return redirect(promotion.mailing_url(mailing))


class ManagersSurveyView(RuleRequiredMixin, View):
    """The year-end questionnaire to managers, created from its template; HR invites them from
    the survey's own page."""

    rule = staticmethod(perms.can_manage_campaigns)
    http_method_names = ["post"]

    def post(self, request):
        try:
            survey = managers_year_end_survey_create(user=request.user)
        except ValidationError as error:
            messages.error(request, service_error_text(error))
            return redirect("shadowing:campaign-list")
        messages.success(request, _("Le questionnaire est créé : invitez les encadrants depuis sa page."))
        return redirect("surveys:survey-build", pk=survey.pk)


class AgreementEditView(RuleRequiredMixin, FormView):
    rule = staticmethod(perms.can_manage_campaigns)
    form_class = forms.AgreementTextForm
    template_name = "shadowing/agreement_edit.html"

    def get_initial(self):
        current = agreement_current()
        return {"text": current.text if current else ""}

    def form_valid(self, form):
        try:
            version = agreement_publish(user=self.request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Version %(version)s publiée : les prochaines signatures porteront sur elle.")
            % {"version": version.version},
        )
        return redirect("shadowing:agreement-edit")

    def get_context_data(self, **kwargs):
        from onboarding.shadowing.models import AgreementVersion

        return super().get_context_data(versions=AgreementVersion.objects.all(), **kwargs)


class PrintableView(InternalRequiredMixin, View):
    """The flyer (A5, one per agent) and the poster (A4/A3 notice board), with a QR code to the catalogue."""

    kind = "flyer"

    def get(self, request):
        catalogue = promotion.catalogue_url()
        pdf = promotion.printable_pdf(kind=self.kind, catalogue_url=catalogue, campaign=campaign_current())
        response = HttpResponse(pdf, content_type="application/pdf")
        name = "flyer" if self.kind == "flyer" else "affiche"
        response["Content-Disposition"] = content_disposition_header(True, f"montre-moi-ton-job-{name}.pdf")
        return response
