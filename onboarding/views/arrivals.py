"""The agent's own journey, the arrivals (list, record, page, update, buddy), a task ticked, and an
arrival's welcome guide (page, download, status)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from intranet.permissions import InternalRequiredMixin, RuleRequiredMixin
from intranet.shortcuts import service_error_text
from onboarding import guide, selectors
from onboarding.forms import ArrivalForm, ArrivalUpdateForm, BuddyForm
from onboarding.models import BuddyVolunteer, GuideEdition, JourneyTask
from onboarding.models import JourneyTemplate as Template
from onboarding.permissions import can_edit_guide, can_manage_onboarding, can_tick_task, can_view_arrival
from onboarding.services.buddies import buddy_assign, buddy_suggestions
from onboarding.services.journeys import arrival_record, arrival_update, task_set_done
from onboarding.services.welcome_guide import guide_request


class MyJourneyView(InternalRequiredMixin, TemplateView):
    """`/integration/`: my own journey if I am arriving, the tasks given to me, the links of my roles."""

    template_name = "onboarding/my_journey.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        arrival = selectors.arrival_of(user=user)
        arrival = selectors.arrival_get(user=user, pk=arrival.pk) if arrival else None
        return super().get_context_data(
            arrival=arrival,
            my_tasks=selectors.task_list_for(user=user).exclude(arrival__agent=user),
            followed=selectors.arrival_list_visible_to(user=user).exclude(agent=user)[:50],
            can_manage=can_manage_onboarding(user),
            can_edit_guide=can_edit_guide(user),
            volunteer=BuddyVolunteer.objects.filter(agent=user).first(),
            **kwargs,
        )


class ArrivalListView(InternalRequiredMixin, TemplateView):
    """Every arrival's progress for HR; managers and buddies see theirs."""

    template_name = "onboarding/arrival_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            arrivals=selectors.arrival_list_visible_to(user=user)[:500],
            can_manage=can_manage_onboarding(user),
            can_edit_guide=can_edit_guide(user),
            **kwargs,
        )


class ArrivalCreateView(RuleRequiredMixin, View):
    rule = staticmethod(can_manage_onboarding)
    template_name = "onboarding/arrival_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": ArrivalForm(), "has_template": Template.objects.exists()})

    def post(self, request):
        form = ArrivalForm(request.POST)
        if form.is_valid():
            try:
                arrival = arrival_record(**form.cleaned_data, user=request.user)
            except ValidationError as error:
                form.add_error(None, service_error_text(error))
            else:
                messages.success(
                    request,
                    _("L'arrivée de %(agent)s est enregistrée : son parcours est prêt.") % {"agent": arrival.agent},
                )
                return redirect(arrival)
        return render(
            request, self.template_name, {"form": form, "has_template": Template.objects.exists()}, status=400
        )


def _visible_arrival(request, pk):
    arrival = selectors.arrival_get(user=request.user, pk=pk)
    if arrival is None:
        raise Http404
    return arrival


class ArrivalDetailView(InternalRequiredMixin, TemplateView):
    template_name = "onboarding/arrival_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        arrival = _visible_arrival(self.request, self.kwargs["pk"])
        tasks = [(task, can_tick_task(user, task)) for task in arrival.tasks.all()]
        return super().get_context_data(
            arrival=arrival,
            tasks=tasks,
            can_manage=can_manage_onboarding(user),
            is_self=arrival.agent_id == user.pk,
            edition=GuideEdition.objects.filter(arrival=arrival).first(),
            **kwargs,
        )


class ArrivalUpdateView(RuleRequiredMixin, View):
    """HR moves the arrival date (the open tasks move with it) or changes the manager."""

    rule = staticmethod(can_manage_onboarding)
    template_name = "onboarding/arrival_update.html"

    def get(self, request, pk):
        arrival = _visible_arrival(request, pk)
        form = ArrivalUpdateForm(initial={"arrival_date": arrival.arrival_date, "manager": arrival.manager})
        return render(request, self.template_name, {"form": form, "arrival": arrival})

    def post(self, request, pk):
        arrival = _visible_arrival(request, pk)
        form = ArrivalUpdateForm(request.POST)
        if form.is_valid():
            try:
                arrival_update(arrival=arrival, **form.cleaned_data, user=request.user)
            except ValidationError as error:
                form.add_error(None, service_error_text(error))
            else:
                messages.success(request, _("L'arrivée est modifiée ; les tâches restant à faire ont suivi."))
                return redirect(arrival)
        return render(request, self.template_name, {"form": form, "arrival": arrival}, status=400)


class TaskToggleView(LoginRequiredMixin, View):
    """POST: tick (or untick) a task; an htmx request gets the task's row back."""

    http_method_names = ["post"]

    def post(self, request, pk):
        task = get_object_or_404(JourneyTask.objects.select_related("arrival"), pk=pk)
        if not can_view_arrival(request.user, task.arrival):
            raise Http404
        if not can_tick_task(request.user, task):
            raise PermissionDenied
        task = task_set_done(task=task, user=request.user, done=request.POST.get("done") == "1")
        if request.htmx:
            return render(request, "onboarding/arrival_detail.html#task", {"task": task, "can_tick": True})
        messages.success(request, _("La tâche est cochée.") if task.is_done else _("La tâche est décochée."))
        return redirect(task.arrival)


class ArrivalBuddyView(RuleRequiredMixin, View):
    """HR: the suggested parrains and marraines with their score explained; confirm one."""

    rule = staticmethod(can_manage_onboarding)
    template_name = "onboarding/arrival_buddy.html"

    def context(self, arrival, form):
        return {"arrival": arrival, "form": form, "suggestions": buddy_suggestions(arrival=arrival)}

    def get(self, request, pk):
        arrival = _visible_arrival(request, pk)
        return render(request, self.template_name, self.context(arrival, BuddyForm()))

    def post(self, request, pk):
        arrival = _visible_arrival(request, pk)
        form = BuddyForm(request.POST)
        if form.is_valid():
            try:
                buddy_assign(arrival=arrival, buddy=form.cleaned_data["buddy"], user=request.user)
            except ValidationError as error:
                form.add_error("buddy", service_error_text(error))
            else:
                messages.success(request, _("Le parrainage est confirmé ; les deux agents sont prévenus par e-mail."))
                return redirect(arrival)
        return render(request, self.template_name, self.context(arrival, form), status=400)


# --- The guide of an arrival ---------------------------------------------------------------------


class GuideDetailView(InternalRequiredMixin, TemplateView):
    """The personalised guide as a page (the same content as the PDF)."""

    template_name = "onboarding/guide_detail.html"

    def get_context_data(self, **kwargs):
        arrival = _visible_arrival(self.request, self.kwargs["pk"])
        shown = guide.guide_display_context(guide.guide_context(arrival=arrival))
        return super().get_context_data(arrival=arrival, **shown, for_pdf=False, **kwargs)


class GuideDownloadView(InternalRequiredMixin, View):
    """The PDF when it is up to date; otherwise a rendering is asked for and the status page shown."""

    def get(self, request, pk):
        arrival = _visible_arrival(request, pk)
        edition = GuideEdition.objects.filter(arrival=arrival).first()
        current = guide.guide_hash(guide.guide_context(arrival=arrival))
        if edition is None or edition.status != GuideEdition.Status.DONE or edition.content_hash != current:
            with transaction.atomic():
                guide_request(arrival=arrival)
            return redirect("onboarding:guide-status", pk=arrival.pk)
        return FileResponse(
            edition.file.open("rb"),
            as_attachment=True,
            filename=guide.guide_filename(arrival),
            content_type="application/pdf",
        )


class GuideStatusView(InternalRequiredMixin, View):
    def get(self, request, pk):
        arrival = _visible_arrival(request, pk)
        edition = GuideEdition.objects.filter(arrival=arrival).first()
        ready = edition is not None and edition.status == GuideEdition.Status.DONE
        if ready and edition.content_hash != guide.guide_hash(guide.guide_context(arrival=arrival)):
            ready = False
        template = "onboarding/guide_status.html" + ("#status" if request.htmx else "")
        return render(request, template, {"arrival": arrival, "edition": edition, "ready": ready})
