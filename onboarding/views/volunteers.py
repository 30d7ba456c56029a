"""Parrains and marraines: an agent volunteers; HR lists and adds volunteers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from intranet.permissions import InternalRequiredMixin, RuleRequiredMixin
from intranet.shortcuts import paginate, service_error_text
from onboarding import selectors
from onboarding.forms import VolunteerAddForm, VolunteerForm
from onboarding.models import BuddyVolunteer
from onboarding.permissions import can_manage_onboarding
from onboarding.services.buddies import volunteer_save


class VolunteerSelfView(InternalRequiredMixin, View):
    """Any agent volunteers (or stops) to be a parrain or marraine."""

    template_name = "onboarding/volunteer_self.html"

    def get(self, request):
        volunteer = BuddyVolunteer.objects.filter(agent=request.user).first()
        return render(request, self.template_name, {"form": VolunteerForm(instance=volunteer), "volunteer": volunteer})

    def post(self, request):
        volunteer = BuddyVolunteer.objects.filter(agent=request.user).first()
        form = VolunteerForm(request.POST, instance=volunteer)
        if form.is_valid():
            try:
                volunteer_save(agent=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, service_error_text(error))
            else:
                messages.success(request, _("Merci ! Votre engagement est enregistré."))
                return redirect("onboarding:volunteer-self")
        return render(request, self.template_name, {"form": form, "volunteer": volunteer}, status=400)


VOLUNTEERS_PER_PAGE = 50  # a region's hundreds of volunteers are paged, not drawn at once


class VolunteerListView(RuleRequiredMixin, View):
    rule = staticmethod(can_manage_onboarding)
    template_name = "onboarding/volunteer_list.html"

    def context(self, form):
        page_obj = paginate(self.request, selectors.volunteer_list(), VOLUNTEERS_PER_PAGE)
        return {"volunteers": page_obj.object_list, "page_obj": page_obj, "form": form}

    def get(self, request):
        return render(request, self.template_name, self.context(VolunteerAddForm()))

    def post(self, request):
        form = VolunteerAddForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                volunteer_save(
                    agent=data["agent"], capacity=data["capacity"], note=data["note"], is_active=data["is_active"]
                )
            except ValidationError as error:
                form.add_error(None, service_error_text(error))
            else:
                messages.success(request, _("Le volontaire est inscrit."))
                return redirect("onboarding:volunteer-list")
        return render(request, self.template_name, self.context(form), status=400)
