"""The agenda (list and month), an event's page, and registering in one click."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from events import selectors, services
from events.forms.agenda import AgendaFilterForm
from events.forms.events import EventSurveyForm
from events.models import Registration, Session
from events.permissions import can_edit_event, can_manage_events, can_run_session, can_use_agenda
from intranet.audiences import audience_describe
from intranet.permissions import RuleRequiredMixin
from intranet.shortcuts import paginate, service_error_text

PAGE_SIZE = 25
EVENT_TEMPLATE = "events/event_detail.html"


class AgendaRequiredMixin(RuleRequiredMixin):
    rule = staticmethod(can_use_agenda)


def _month(value: str) -> tuple[int, int]:
    """ "2026-03" → (2026, 3); this month for anything else."""
    try:
        year, month = (int(part) for part in (value or "").split("-", 1))
        date(year, month, 1)
    except (TypeError, ValueError):
        today = timezone.localdate()
        return today.year, today.month
    return year, month


class _AgendaMixin(AgendaRequiredMixin):
    def filter_form(self, month: str = ""):
        data = self.request.GET.copy()
        data.pop("page", None)
        data.pop("mois", None)
        if not data:
            return AgendaFilterForm(initial={"mois": month})
        data["mois"] = month
        return AgendaFilterForm(data)

    def common(self, form):
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("mois", None)
        return {
            "form": form,
            "filters": form.filters(),
            "query": query.urlencode(),
            "can_manage": can_manage_events(self.request.user),
            "now": timezone.now(),
        }


class AgendaView(_AgendaMixin, TemplateView):
    template_name = "events/agenda.html"

    def get_context_data(self, **kwargs):
        form = self.filter_form()
        context = self.common(form)
        sessions = selectors.agenda_sessions(user=self.request.user, filters=context["filters"])
        page = paginate(self.request, sessions, PAGE_SIZE)
        return super().get_context_data(
            page_obj=page, sessions=selectors.decorate(page.object_list, user=self.request.user), **context, **kwargs
        )


class AgendaMonthView(_AgendaMixin, TemplateView):
    template_name = "events/agenda_month.html"

    def get_context_data(self, **kwargs):
        year, month = _month(self.request.GET.get("mois", ""))
        form = self.filter_form(f"{year:04d}-{month:02d}")
        context = self.common(form)
        start, end = selectors.month_bounds(year, month)
        sessions = selectors.decorate(
            selectors.agenda_sessions(user=self.request.user, filters=context["filters"], start=start, end=end),
            user=self.request.user,
        )
        previous = date(year - (month == 1), (month - 2) % 12 + 1, 1)
        following = date(year + (month == 12), month % 12 + 1, 1)
        return super().get_context_data(
            month=date(year, month, 1),
            weeks=selectors.month_grid(year=year, month=month, sessions=sessions),
            sessions=sessions,
            previous=f"{previous:%Y-%m}",
            following=f"{following:%Y-%m}",
            today=timezone.localdate(),
            **context,
            **kwargs,
        )


class EventDetailView(AgendaRequiredMixin, TemplateView):
    template_name = EVENT_TEMPLATE

    def get_context_data(self, **kwargs):
        user = self.request.user
        event = selectors.event_get_for(user=user, pk=self.kwargs["pk"])
        if event is None:
            raise Http404
        return super().get_context_data(**event_context(user, event), **kwargs)


def event_context(user, event) -> dict:
    can_edit = can_edit_event(user, event)
    for session in event.session_list:
        session.can_run = can_edit or can_run_session(user, session)
    return {
        "event": event,
        "sessions": event.session_list,
        "materials": selectors.materials_for(event=event, user=user),
        "can_edit": can_edit,
        "audience_text": audience_describe(spec=event.audience_spec) if can_edit else "",
        "invitation": selectors.invitation_of(event) if can_edit else None,
        "attendance": selectors.event_attendance(event=event, sessions=event.session_list) if can_edit else None,
        **_survey_context(user, event, can_edit),
        "now": timezone.now(),
    }


def _survey_context(user, event, can_edit: bool) -> dict:
    """The satisfaction questionnaire's block, for those who edit the event."""
    if not can_edit or event.status != event.Status.PUBLISHED:
        return {}
    from surveys.permissions import can_manage_survey

    survey = event.survey
    return {
        "survey_form": EventSurveyForm(user=user, initial={"survey": event.survey_id}),
        "survey_results": survey is not None and can_manage_survey(user, survey),
    }


class _RegistrationActionView(LoginRequiredMixin, View):
    """POST only: register or unregister in one click. An htmx request gets the session's block back;
    a plain form goes back to the event's page with a message."""

    http_method_names = ["post"]

    def post(self, request, pk):
        session = get_object_or_404(Session.objects.select_related("event"), pk=pk)
        if selectors.event_get_for(user=request.user, pk=session.event_id) is None:
            raise Http404
        try:
            text = self.act(request, session)
            level = messages.SUCCESS
        except ValidationError as error:
            text, level = service_error_text(error), messages.ERROR
        if request.htmx:
            return self.fragment(request, session, text=text, level=level)
        messages.add_message(request, level, text)
        return redirect(request.POST.get("next") if _safe(request.POST.get("next")) else session.get_absolute_url())

    def fragment(self, request, session, *, text, level):
        event = selectors.event_get_for(user=request.user, pk=session.event_id)
        shown = next(s for s in event.session_list if s.pk == session.pk)
        shown.notice, shown.notice_error = text, level == messages.ERROR
        return render(request, "events/_session_actions.html", {"session": shown, "now": timezone.now()})


def _safe(url: str | None) -> bool:
    return bool(url) and url.startswith("/") and not url.startswith("//")


class SessionRegisterView(_RegistrationActionView):
    def act(self, request, session):
        registration = services.registration_create(session=session, agent=request.user)
        if registration.is_waiting:
            return _("La séance est complète : vous êtes sur la liste d'attente. Une place libérée vous sera donnée.")
        return _("Vous êtes inscrit(e). La confirmation part par courriel, avec l'invitation pour votre agenda.")


class SessionUnregisterView(_RegistrationActionView):
    def act(self, request, session):
        registration = Registration.objects.filter(session=session, agent=request.user).first()
        if registration is None:
            raise PermissionDenied
        services.registration_cancel(registration=registration, user=request.user)
        return _("Votre désinscription est enregistrée.")
