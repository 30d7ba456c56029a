from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from identity import partners
from identity import services as sessions_services
from identity.forms import PartnerContactForm, PartnerInviteForm, PartnerPasswordForm
from identity.models import PartnerAccess, PartnerContact
from identity.permissions import can_manage_partners
from intranet.permissions import RuleRequiredMixin


class PartnerListView(RuleRequiredMixin, TemplateView):
    rule = staticmethod(can_manage_partners)
    template_name = "identity/partner_list.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(
            accesses=partners.partner_access_list(),
            today=today,
            # The reconfirmation is shown as due two months ahead.
            reconfirm_soon=today + timedelta(days=60),
            **kwargs,
        )


class PartnerInviteView(RuleRequiredMixin, FormView):
    rule = staticmethod(can_manage_partners)
    template_name = "identity/partner_invite.html"
    form_class = PartnerInviteForm

    def form_valid(self, form):
        try:
            access = partners.partner_invite(user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Invitation envoyée à %(email)s.") % {"email": access.partner.email})
        return redirect("identity:partner-list")


class PartnerReconfirmView(RuleRequiredMixin, View):
    rule = staticmethod(can_manage_partners)

    def post(self, request, pk):
        access = partners.partner_reconfirm(user=request.user, access=get_object_or_404(PartnerAccess, pk=pk))
        messages.success(
            request, _("Accès de %(name)s confirmé pour un an.") % {"name": access.partner.get_full_name()}
        )
        return redirect("identity:partner-list")


class PartnerResendView(RuleRequiredMixin, View):
    rule = staticmethod(can_manage_partners)

    def post(self, request, pk):
        access = get_object_or_404(PartnerAccess, pk=pk, accepted_at__isnull=True)
        partners.partner_invitation_resend(user=request.user, access=access)
        messages.success(request, _("Invitation envoyée à nouveau à %(email)s.") % {"email": access.partner.email})
        return redirect("identity:partner-list")


class PartnerContactsView(RuleRequiredMixin, FormView):
    rule = staticmethod(can_manage_partners)
    template_name = "identity/partner_contacts.html"
    form_class = PartnerContactForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organisations": partners.partner_organisations()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(contacts=partners.partner_contact_list(), **kwargs)

    def form_valid(self, form):
        try:
            partners.partner_contact_add(user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Contact ajouté."))
        return redirect("identity:partner-contacts")


class PartnerContactRemoveView(RuleRequiredMixin, View):
    rule = staticmethod(can_manage_partners)

    def post(self, request, pk):
        partners.partner_contact_remove(user=request.user, contact=get_object_or_404(PartnerContact, pk=pk))
        messages.success(request, _("Contact retiré."))
        return redirect("identity:partner-contacts")


class InvitationAcceptView(View):
    """The partner's link: they choose a password (or sign in with ProConnect), then land on the
    extranet."""

    template_name = "identity/invitation_accept.html"

    def dispatch(self, request, token):
        self.partner = partners.invitation_partner(token)
        if self.partner is None:
            return render(request, "identity/invitation_invalid.html", status=404)
        return super().dispatch(request, token)

    def get(self, request, token):
        return self._render(PartnerPasswordForm(user=self.partner))

    def post(self, request, token):
        form = PartnerPasswordForm(request.POST, user=self.partner)
        if form.is_valid():
            try:
                partner = partners.partner_invitation_accept(token=token, password=form.cleaned_data["password1"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                login(request, partner, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Bienvenue dans l'extranet de l'administration."))
                return redirect("intranet:home")
        return self._render(form)

    def _render(self, form):
        return render(self.request, self.template_name, {"form": form, "partner": self.partner})


class SessionEndView(LoginRequiredMixin, View):
    """Ends one of the person's own sessions (another browser, a lost phone)."""

    def post(self, request, pk):
        if not sessions_services.user_session_end(user=request.user, pk=pk):
            raise Http404
        messages.success(request, _("Session fermée."))
        return redirect("usersessions_list")
