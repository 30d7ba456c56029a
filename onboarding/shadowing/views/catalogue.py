"""The catalogue of offers (a host's offer created or changed), an agent's wish, and « Mes demandes »."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from intranet.models import Agent
from intranet.permissions import InternalRequiredMixin
from intranet.shortcuts import kept_partial, paginate, query_digest
from onboarding.shadowing import forms, selectors
from onboarding.shadowing import permissions as perms
from onboarding.shadowing.models import Offer
from onboarding.shadowing.services.campaigns import campaign_current, offer_save
from onboarding.shadowing.services.wishes import visit_request

OFFERS_PER_PAGE = 24


class OfferListView(InternalRequiredMixin, TemplateView):
    template_name = "shadowing/offer_list.html"

    def get_context_data(self, **kwargs):
        is_hr = perms.is_hr(self.request.user)
        catalogue, form_errors = kept_partial(
            selectors.OFFER_CATALOGUE,
            query_digest(self.request),
            int(is_hr),
            request=self.request,
            template_name=f"{self.template_name}#catalogue",
            context=partial(self.catalogue_context, is_hr=is_hr),
        )
        return super().get_context_data(catalogue=catalogue, form_errors=form_errors, **kwargs)

    def catalogue_context(self, *, is_hr: bool) -> dict:
        """The campaign, the filters and a page of the offers they find (HR's button)."""
        units, sites = selectors.offer_filter_choices()
        form = forms.OfferFilterForm(self.request.GET or None, units=units, sites=sites)
        unit, site = form.filters()
        offers = selectors.offer_catalogue(org_unit_id=unit, site_id=site)
        page_obj = paginate(self.request, offers, OFFERS_PER_PAGE)
        return {
            "offers": page_obj.object_list,
            "page_obj": page_obj,
            "filter_form": form,
            "campaign": campaign_current(),
            "is_hr": is_hr,
        }


class OfferFormView(InternalRequiredMixin, FormView):
    form_class = forms.OfferForm
    template_name = "shadowing/offer_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.offer = None
        if "pk" in kwargs and perms.can_use(request.user):
            offer = get_object_or_404(Offer, pk=kwargs["pk"])
            if not perms.can_edit_offer(request.user, offer):
                raise Http404
            self.offer = offer
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.offer is not None:
            kwargs["instance"] = self.offer
        else:
            user = self.request.user
            kwargs["initial"] = {"job_title": user.job_title, "org_unit": user.org_unit_id, "site": user.site_id}
        return kwargs

    def form_valid(self, form):
        try:
            offer_save(user=self.request.user, offer=self.offer, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Votre offre d'accueil est enregistrée. Merci !"))
        return redirect("shadowing:visit-mine")

    def get_context_data(self, **kwargs):
        return super().get_context_data(offer=self.offer, **kwargs)


class VisitCreateView(InternalRequiredMixin, FormView):
    """A wish: `?offre=<pk>` (from the catalogue) or `?hote=<agent pk>` (from the directory)."""

    form_class = forms.WishForm
    template_name = "shadowing/visit_form.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.host = None
        host_id = request.GET.get("hote") or request.POST.get("hote") or ""
        if host_id.isdigit():
            self.host = Agent.objects.internal().active().filter(pk=int(host_id)).select_related("org_unit").first()

    def get_form_kwargs(self):
        offers = Offer.objects.active().select_related("host", "org_unit")
        if self.host is not None:
            offers = offers.filter(host=self.host)
        kwargs = super().get_form_kwargs()
        kwargs["offers"] = offers.order_by("job_title")
        offer_id = self.request.GET.get("offre", "")
        initial = {}
        if offer_id.isdigit():
            initial["offer"] = int(offer_id)
        elif self.host is not None:
            first = offers.first()
            initial = {"offer": first.pk} if first else {"wished_job": self.host.job_title}
        kwargs["initial"] = initial
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            visit = visit_request(
                user=self.request.user,
                campaign=campaign_current(),
                offer=data["offer"],
                host=None if data["offer"] else self.host,
                wished_job=data["wished_job"],
                motivation=data["motivation"],
                duration=data["duration"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Votre souhait est envoyé à votre encadrant pour accord."))
        return redirect(visit.get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(host=self.host, campaign=campaign_current(), **kwargs)


class VisitMineView(InternalRequiredMixin, TemplateView):
    template_name = "shadowing/visit_mine.html"

    def get_context_data(self, **kwargs):
        mine, hosted = selectors.visit_mine(user=self.request.user)
        offers = Offer.objects.filter(host=self.request.user).select_related("org_unit", "site")
        return super().get_context_data(mine=mine, hosted=hosted, offers=offers, **kwargs)
