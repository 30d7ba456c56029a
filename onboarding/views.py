"""The onboarding app's pages: thin views over `onboarding.selectors` and `onboarding.services`."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from intranet.permissions import InternalRequiredMixin, RuleRequiredMixin
from intranet.shortcuts import service_error_text
from onboarding import content, guide, selectors
from onboarding.forms import (
    ArrivalForm,
    ArrivalUpdateForm,
    BuddyForm,
    ChapterForm,
    GuideSettingsForm,
    IntegrationDayForm,
    JourneyTemplateForm,
    TemplateTaskFormSet,
    VolunteerAddForm,
    VolunteerForm,
)
from onboarding.models import BuddyVolunteer, GuideChapter, GuideEdition, IntegrationDay, Invitation, JourneyTask
from onboarding.models import JourneyTemplate as Template
from onboarding.permissions import can_edit_guide, can_manage_onboarding, can_tick_task, can_view_arrival
from onboarding.services.buddies import buddy_assign, buddy_suggestions, volunteer_save
from onboarding.services.integration_days import invitation_cancel, session_invite, session_save
from onboarding.services.journeys import arrival_record, arrival_update, task_set_done, template_save
from onboarding.services.welcome_guide import (
    chapter_delete,
    chapter_save,
    guide_request,
    guide_settings,
    guide_settings_save,
)
from onboarding.sheet import attendance_sheet_pdf

# --- The agent's own page, and the arrivals ------------------------------------------------------


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


# --- Parrains and marraines ----------------------------------------------------------------------


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


class VolunteerListView(RuleRequiredMixin, View):
    rule = staticmethod(can_manage_onboarding)
    template_name = "onboarding/volunteer_list.html"

    def context(self, form):
        return {"volunteers": selectors.volunteer_list(), "form": form}

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


# --- Journey templates ---------------------------------------------------------------------------


class TemplateListView(RuleRequiredMixin, TemplateView):
    rule = staticmethod(can_manage_onboarding)
    template_name = "onboarding/template_list.html"

    def get_context_data(self, **kwargs):
        from django.db.models import Count

        return super().get_context_data(templates=Template.objects.annotate(task_count=Count("tasks")), **kwargs)


class TemplateSeedView(RuleRequiredMixin, View):
    """POST: create the proposed journey template (seed 001, card 5.4), to start from."""

    rule = staticmethod(can_manage_onboarding)
    http_method_names = ["post"]

    def post(self, request):
        template = content.journey_template_seed()
        messages.success(
            request, _("Le modèle « %(name)s » est prêt : adaptez-le à votre administration.") % {"name": template.name}
        )
        return redirect("onboarding:template-edit", pk=template.pk)


class TemplateEditView(RuleRequiredMixin, View):
    rule = staticmethod(can_manage_onboarding)
    template_name = "onboarding/template_form.html"

    def get_template(self, pk):
        return get_object_or_404(Template, pk=pk) if pk else Template()

    def get(self, request, pk=None):
        template = self.get_template(pk)
        return render(
            request,
            self.template_name,
            {
                "form": JourneyTemplateForm(instance=template),
                "formset": TemplateTaskFormSet(instance=template),
                "template_obj": template if pk else None,
            },
        )

    def post(self, request, pk=None):
        template = self.get_template(pk)
        form = JourneyTemplateForm(request.POST, instance=template)
        formset = TemplateTaskFormSet(request.POST, instance=template)
        if form.is_valid() and formset.is_valid():
            with transaction.atomic():
                template = template_save(template=form.save(commit=False), user=request.user)
                formset.instance = template
                formset.save()
            messages.success(request, _("Le modèle « %(name)s » est enregistré.") % {"name": template.name})
            return redirect("onboarding:template-edit", pk=template.pk)
        return render(
            request,
            self.template_name,
            {"form": form, "formset": formset, "template_obj": template if pk else None},
            status=400,
        )


# --- The guide's chapters and identity -----------------------------------------------------------


class ChapterListView(RuleRequiredMixin, TemplateView):
    rule = staticmethod(can_edit_guide)
    template_name = "onboarding/chapter_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(chapters=selectors.chapter_list(), identity=guide_settings(), **kwargs)


class ChapterSeedView(RuleRequiredMixin, View):
    """POST: create the proposed chapters (from the seeds' texts) when the guide has none."""

    rule = staticmethod(can_edit_guide)
    http_method_names = ["post"]

    def post(self, request):
        count = content.chapters_seed()
        messages.success(
            request, _("%(count)s chapitre(s) proposé(s) ajouté(s) : relisez-les et adaptez-les.") % {"count": count}
        )
        return redirect("onboarding:chapter-list")


class ChapterEditView(RuleRequiredMixin, View):
    rule = staticmethod(can_edit_guide)
    template_name = "onboarding/chapter_form.html"

    def get(self, request, pk=None):
        chapter = get_object_or_404(GuideChapter, pk=pk) if pk else None
        return render(request, self.template_name, {"form": ChapterForm(instance=chapter), "chapter": chapter})

    def post(self, request, pk=None):
        chapter = get_object_or_404(GuideChapter, pk=pk) if pk else None
        form = ChapterForm(request.POST, instance=chapter)
        if form.is_valid():
            try:
                saved = chapter_save(chapter=form.save(commit=False), user=request.user)
            except ValidationError as error:
                form.add_error("body" if hasattr(error, "error_dict") else None, service_error_text(error))
            else:
                messages.success(request, _("Le chapitre « %(title)s » est enregistré.") % {"title": saved.title})
                return redirect("onboarding:chapter-list")
        return render(request, self.template_name, {"form": form, "chapter": chapter}, status=400)


class ChapterDeleteView(RuleRequiredMixin, View):
    rule = staticmethod(can_edit_guide)
    http_method_names = ["post"]

    def post(self, request, pk):
        chapter = get_object_or_404(GuideChapter, pk=pk)
        chapter_delete(chapter=chapter, user=request.user)
        messages.success(request, _("Le chapitre est supprimé."))
        return redirect("onboarding:chapter-list")


class GuideSettingsView(RuleRequiredMixin, View):
    rule = staticmethod(can_edit_guide)
    template_name = "onboarding/guide_settings.html"

    def get(self, request):
        return render(request, self.template_name, {"form": GuideSettingsForm(instance=guide_settings())})

    def post(self, request):
        form = GuideSettingsForm(request.POST, instance=guide_settings())
        if form.is_valid():
            guide_settings_save(guide=form.save(commit=False), user=request.user)
            messages.success(request, _("L'identité du guide est enregistrée."))
            return redirect("onboarding:chapter-list")
        return render(request, self.template_name, {"form": form}, status=400)


# --- Journées d'intégration ----------------------------------------------------------------------


class SessionListView(RuleRequiredMixin, TemplateView):
    rule = staticmethod(can_manage_onboarding)
    template_name = "onboarding/session_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(sessions=selectors.session_list(), **kwargs)


class SessionEditView(RuleRequiredMixin, View):
    rule = staticmethod(can_manage_onboarding)
    template_name = "onboarding/session_form.html"

    def get(self, request, pk=None):
        session = get_object_or_404(IntegrationDay, pk=pk) if pk else None
        return render(request, self.template_name, {"form": IntegrationDayForm(instance=session), "session": session})

    def post(self, request, pk=None):
        session = get_object_or_404(IntegrationDay, pk=pk) if pk else None
        form = IntegrationDayForm(request.POST, instance=session)
        if form.is_valid():
            try:
                saved = session_save(session=form.save(commit=False), user=request.user)
            except ValidationError as error:
                form.add_error(None, service_error_text(error))
            else:
                count = session_invite(session=saved)
                messages.success(
                    request, _("La journée est enregistrée ; %(count)s nouvelle(s) invitation(s).") % {"count": count}
                )
                return redirect(saved)
        return render(request, self.template_name, {"form": form, "session": session}, status=400)


class SessionDetailView(RuleRequiredMixin, TemplateView):
    rule = staticmethod(can_manage_onboarding)
    template_name = "onboarding/session_detail.html"

    def get_context_data(self, **kwargs):
        session = get_object_or_404(IntegrationDay, pk=self.kwargs["pk"])
        invitations = list(selectors.session_invitations(session=session))
        by_status = {status: [i for i in invitations if i.status == status] for status in Invitation.Status}
        return super().get_context_data(
            session=session,
            invited=by_status[Invitation.Status.INVITED],
            waiting=by_status[Invitation.Status.WAITING],
            cancelled=by_status[Invitation.Status.CANCELLED],
            **kwargs,
        )


class SessionInviteView(RuleRequiredMixin, View):
    rule = staticmethod(can_manage_onboarding)
    http_method_names = ["post"]

    def post(self, request, pk):
        session = get_object_or_404(IntegrationDay, pk=pk)
        count = session_invite(session=session)
        messages.success(request, _("%(count)s nouvelle(s) invitation(s).") % {"count": count})
        return redirect(session)


class SessionSheetView(RuleRequiredMixin, View):
    """The feuille d'émargement: the invited agents, a column to sign (PDF)."""

    rule = staticmethod(can_manage_onboarding)

    def get(self, request, pk):
        session = get_object_or_404(IntegrationDay, pk=pk)
        response = HttpResponse(attendance_sheet_pdf(session=session), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(False, f"emargement-{session.date:%Y-%m-%d}.pdf")
        return response


class InvitationCancelView(RuleRequiredMixin, View):
    rule = staticmethod(can_manage_onboarding)
    http_method_names = ["post"]

    def post(self, request, pk):
        invitation = get_object_or_404(Invitation.objects.select_related("arrival__agent"), pk=pk)
        promoted = invitation_cancel(invitation=invitation, user=request.user)
        if promoted is not None:
            messages.success(
                request,
                _("Désistement enregistré ; %(agent)s passe de la liste d'attente aux invités et en est prévenu(e).")
                % {"agent": promoted.arrival.agent},
            )
        else:
            messages.success(request, _("Désistement enregistré."))
        return redirect(reverse("onboarding:session-detail", args=[invitation.session_id]))
