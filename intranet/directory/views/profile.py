"""Profile pages: my profile, HR's edit of any agent, profile completion, "mes données",
anonymisation. Thin: parse, call a service or a selector, render."""

import json

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from intranet.directory.forms.profile import AgentForm, AnonymiseForm, ProfileForm
from intranet.directory.permissions import can_edit_own_profile, can_manage_agents
from intranet.directory.selectors import profile as selectors_profile
from intranet.directory.services import profile as services_profile
from intranet.directory.services import rgpd as services_rgpd
from intranet.models import Agent
from intranet.permissions import RuleRequiredMixin
from intranet.registry import registry
from intranet.shortcuts import form_add_service_error, paginate

COMPLETION_PAGE_SIZE = 50


class _ProfileFormView(RuleRequiredMixin, FormView):
    template_name = "intranet/directory/profile_edit.html"

    def get_agent(self) -> Agent:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.test_func():
            self.agent = self.get_agent()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.agent}

    def form_valid(self, form):
        try:
            services_profile.agent_profile_update(agent=self.agent, user=self.request.user, data=form.cleaned_data)
        except ValidationError as error:
            self.agent.refresh_from_db()
            form_add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.request.path)

    def get_context_data(self, **kwargs):
        completion = selectors_profile.profile_completion(agent=self.agent, viewer=self.request.user)
        return super().get_context_data(
            agent=self.agent, completion=completion, is_own=self.agent.pk == self.request.user.pk, **kwargs
        )


class ProfileEditView(_ProfileFormView):
    """The agent's own profile: photo, missions, skills, phones and what they show."""

    rule = staticmethod(can_edit_own_profile)
    form_class = ProfileForm
    success_message = _("Votre profil est enregistré.")

    def get_agent(self):
        return Agent.objects.select_related("org_unit", "site", "manager").get(pk=self.request.user.pk)


class AgentEditView(_ProfileFormView):
    """HR edits everything of any agent (written in the audit log by the service)."""

    rule = staticmethod(can_manage_agents)
    form_class = AgentForm
    success_message = _("La fiche de l'agent est enregistrée.")

    def get_agent(self):
        return get_object_or_404(
            Agent.objects.select_related("org_unit", "site", "manager"), pk=self.kwargs["pk"], anonymised_at=None
        )


class ProfileConfirmView(RuleRequiredMixin, View):
    """POST: "my details are right" (the home page's yearly prompt)."""

    rule = staticmethod(can_edit_own_profile)
    http_method_names = ["post"]

    def post(self, request):
        services_profile.agent_details_confirm(agent=request.user, user=request.user)
        messages.success(request, _("Merci : vos coordonnées sont confirmées pour un an."))
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            target = reverse("intranet:home")
        return HttpResponseRedirect(target)


class CompletionView(RuleRequiredMixin, TemplateView):
    """HR: the average completion per unit, and the incomplete or stale profiles."""

    rule = staticmethod(can_manage_agents)
    template_name = "intranet/directory/profile_completion.html"

    def get_context_data(self, **kwargs):
        raw_unit = self.request.GET.get("service", "")
        unit_id = int(raw_unit) if raw_unit.isdigit() else None
        agents = selectors_profile.completion_incomplete_list(unit_id=unit_id)
        page = paginate(self.request, agents, COMPLETION_PAGE_SIZE)
        now, viewer = timezone.now(), self.request.user
        rows = [(agent, selectors_profile.profile_completion(agent=agent, viewer=viewer, now=now)) for agent in page]
        return super().get_context_data(
            by_unit=selectors_profile.completion_by_unit(now=now),
            page_obj=page,
            rows=rows,
            unit_id=unit_id,
            fields=selectors_profile.COMPLETION_FIELDS,
            **kwargs,
        )


class MyDataView(LoginRequiredMixin, TemplateView):
    """RGPD: what is held on me, and the download."""

    template_name = "intranet/directory/rgpd_my_data.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            exporters=sorted(registry.data_exporters),
            retention_days=selectors_profile.retention_days(),
            **kwargs,
        )


class MyDataDownloadView(LoginRequiredMixin, View):
    def get(self, request):
        data = services_rgpd.agent_data_export(agent=request.user, user=request.user)
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2, default=str), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = content_disposition_header(True, "mes-donnees.json")
        response["Cache-Control"] = "no-store"
        return response


class AgentAnonymiseView(RuleRequiredMixin, TemplateView):
    """HR: anonymise a departed agent once the retention period is over (POST, confirmed)."""

    rule = staticmethod(can_manage_agents)
    template_name = "intranet/directory/rgpd_anonymise.html"

    def get_context_data(self, form=None, **kwargs):
        agent = get_object_or_404(Agent, pk=self.kwargs["pk"])
        refusal = selectors_profile.agent_anonymisation_refusal(agent=agent, user=self.request.user)
        return super().get_context_data(agent=agent, refusal=refusal, form=form or AnonymiseForm(), **kwargs)

    def post(self, request, pk):
        agent = get_object_or_404(Agent, pk=pk)
        form = AnonymiseForm(request.POST)
        if form.is_valid():
            try:
                services_rgpd.agent_anonymise(agent=agent, user=request.user)
            except ValidationError as error:
                form_add_service_error(form, error)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, _("L'agent a été anonymisé. Rien de ce qui l'identifiait n'est conservé."))
        return redirect("directory:completion")
