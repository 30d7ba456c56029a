"""The org chart, unit pages, trombinoscope, arrivals and departures, and their PDFs."""

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from intranet.directory.forms.orgchart import MonthForm, TrombinoscopeFilterForm
from intranet.directory.pdf_orgchart import (
    ORGCHART_DOCUMENT,
    TROMBINOSCOPE_DOCUMENT,
    PdfTooLarge,
    orgchart_pdf_render,
    trombinoscope_filename,
    trombinoscope_pdf_render,
)
from intranet.directory.permissions import can_view_orgchart, photo_sight
from intranet.directory.selectors import arrivals as selectors_arrivals
from intranet.directory.selectors import orgchart as selectors
from intranet.models import OrgUnit, Site
from intranet.permissions import RuleRequiredMixin
from intranet.services import document_request
from intranet.shortcuts import kept_partial, paginate, query_digest

UNIT_MEMBERS_PER_PAGE = 50
TROMBINOSCOPE_PER_PAGE = 48


class OrgChartAccessMixin(RuleRequiredMixin):
    rule = staticmethod(can_view_orgchart)


class OrgChartView(OrgChartAccessMixin, TemplateView):
    template_name = "intranet/directory/orgchart.html"

    def get_context_data(self, **kwargs):
        # The tree's HTML is kept in the cache per version of the org chart (the template's
        # {% cache %}): the tree itself is read only when that HTML is not there yet.
        user = self.request.user
        return super().get_context_data(
            chart=SimpleLazyObject(lambda: selectors.orgchart_load(user=user)),
            chart_version=selectors.orgchart_version(),
            **kwargs,
        )


class UnitDetailView(OrgChartAccessMixin, TemplateView):
    template_name = "intranet/directory/unit_detail.html"

    def get_context_data(self, **kwargs):
        node = selectors.orgchart_load(user=self.request.user).node(self.kwargs["pk"])
        if node is None:
            raise Http404
        members = selectors.unit_member_list(user=self.request.user, unit_id=node.pk)
        page = paginate(self.request, members, UNIT_MEMBERS_PER_PAGE)
        return super().get_context_data(node=node, page_obj=page, **kwargs)


class TrombinoscopeView(OrgChartAccessMixin, TemplateView):
    template_name = "intranet/directory/trombinoscope.html"

    def get_context_data(self, **kwargs):
        trombinoscope, form_errors = kept_partial(
            selectors.TROMBINOSCOPE,
            query_digest(self.request),
            photo_sight(self.request.user),
            request=self.request,
            template_name=f"{self.template_name}#trombinoscope",
            context=self.trombinoscope_context,
        )
        return super().get_context_data(trombinoscope=trombinoscope, form_errors=form_errors, **kwargs)

    def trombinoscope_context(self) -> dict:
        """The filters and a page of the agents they find."""
        user = self.request.user
        chart = selectors.orgchart_load(user=user)
        form = TrombinoscopeFilterForm(self.request.GET)
        unit_id, site_id = form.filters()
        agents = selectors.trombinoscope_agent_list(user=user, chart=chart, unit_id=unit_id, site_id=site_id)
        return {
            "form": form,
            "page_obj": paginate(self.request, agents, TROMBINOSCOPE_PER_PAGE),
            "unit": chart.node(unit_id),
            "site_id": site_id,
            "pdf_query": urlencode({k: v for k, v in (("unite", unit_id), ("site", site_id)) if v}),
        }


def _month_shift(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


class ArrivalsView(OrgChartAccessMixin, TemplateView):
    """This month's arrivals and departures; `?mois=2026-09` for another month. A month that
    cannot be read shows the current one, with the reason, as a 400."""

    template_name = "intranet/directory/arrivals.html"

    def get(self, request, *args, **kwargs):
        this_month = timezone.localdate().replace(day=1)
        form = MonthForm(request.GET if "mois" in request.GET else None, initial={"mois": f"{this_month:%Y-%m}"})
        error = form.is_bound and not form.is_valid()
        month = form.cleaned_data["mois"] if form.is_bound and not error else this_month
        context = self.get_context_data(
            month=month,
            month_form=form,
            is_current=month == this_month,
            previous_month=_month_shift(month, -1),
            next_month=_month_shift(month, 1),
            arrivals=selectors_arrivals.arrival_list(user=request.user, month=month),
            departures=selectors_arrivals.departure_list(user=request.user, month=month),
        )
        return self.render_to_response(context, status=400 if error else 200)


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    return response


class TrombinoscopePdfView(OrgChartAccessMixin, View):
    """`?unite=<id>` or `?site=<id>`: the printable trombinoscope of a service or a site."""

    def get(self, request):
        back = reverse("directory:trombinoscope")
        unit_id, site_id = request.GET.get("unite", ""), request.GET.get("site", "")
        if not (unit_id.isdigit() or site_id.isdigit()):
            messages.error(request, _("Choisissez un service ou un site pour imprimer un trombinoscope."))
            return redirect(back)
        unit = get_object_or_404(OrgUnit, pk=int(unit_id)) if unit_id.isdigit() else None
        site = get_object_or_404(Site, pk=int(site_id)) if site_id.isdigit() else None
        ids = {"unit_id": unit.pk if unit else None, "site_id": site.pk if site else None}
        try:
            pdf = trombinoscope_pdf_render(unit=unit, site=site)
        except PdfTooLarge:  # too many agents for the request: a worker renders it
            document = document_request(kind=TROMBINOSCOPE_DOCUMENT, params=ids, user=request.user)
            return redirect("intranet:document-status", pk=document.pk)
        return _pdf_response(pdf, trombinoscope_filename(**ids))


class OrgChartPdfView(OrgChartAccessMixin, View):
    """The whole org chart: in the request when small or already rendered, by a worker otherwise."""

    def get(self, request):
        try:
            pdf = orgchart_pdf_render()
        except PdfTooLarge:
            document = document_request(kind=ORGCHART_DOCUMENT, params={}, user=request.user)
            return redirect("intranet:document-status", pk=document.pk)
        return _pdf_response(pdf, "organigramme.pdf")
