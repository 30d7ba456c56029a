"""Running events: HR and communication create them; an event's organisers edit, publish or cancel it
(its sessions: views/sessions.py; its invitations and questionnaire: views/invitations.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from events import selectors, services
from events.forms.events import EventForm
from events.models import Event
from events.permissions import can_edit_event, can_manage_events
from intranet.audiences import AudienceForm
from intranet.permissions import InternalRequiredMixin, RuleRequiredMixin
from intranet.shortcuts import form_add_service_error, paginate, service_error_text


def can_run_some_event(user) -> bool:
    """The management list: HR and communication, and whoever organises or animates something."""
    return can_manage_events(user) or (
        getattr(user, "is_authenticated", False)
        and not user.is_external
        and (user.events_organised.exists() or user.sessions_organised.exists())
    )


class ManageView(RuleRequiredMixin, TemplateView):
    rule = staticmethod(can_run_some_event)
    template_name = "events/manage.html"

    def get_context_data(self, **kwargs):
        page = paginate(self.request, selectors.event_list_managed(user=self.request.user), 25)
        return super().get_context_data(
            page_obj=page, events=page.object_list, can_create=can_manage_events(self.request.user), **kwargs
        )


class _EventMixin(InternalRequiredMixin):
    """An event its organisers (or HR and communication) may edit; 404 for a stranger to it."""

    def get_event(self, pk) -> Event:
        event = get_object_or_404(Event, pk=pk)
        if not can_edit_event(self.request.user, event):
            raise Http404
        return event


class EventCreateView(RuleRequiredMixin, View):
    rule = staticmethod(can_manage_events)
    template_name = "events/event_form.html"

    def get(self, request):
        return self.show(EventForm(), AudienceForm(prefix="audience", initial={"everyone": True}))

    def post(self, request):
        form, audience_form = EventForm(request.POST), AudienceForm(request.POST, prefix="audience")
        if form.is_valid() and audience_form.is_valid():
            try:
                event = services.event_create(user=request.user, audience=audience_form.spec, **_event_values(form))
            except ValidationError as error:
                form_add_service_error(form, error)
            else:
                messages.success(request, _("Événement créé (brouillon) : ajoutez ses séances, puis publiez-le."))
                return redirect(event)
        return self.show(form, audience_form, status=400)

    def show(self, form, audience_form, *, event=None, status=200):
        return render(
            self.request,
            self.template_name,
            {"form": form, "audience_form": audience_form, "event": event},
            status=status,
        )


def _event_values(form) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "kind": data["kind"],
        "summary": data["summary"],
        "description": data["description"],
        "single_session": data["single_session"],
        "organisers": list(data["organisers"]),
    }


class EventUpdateView(_EventMixin, View):
    template_name = "events/event_form.html"

    def get(self, request, pk):
        event = self.get_event(pk)
        form = EventForm(instance=event, initial={"organisers": list(event.organisers.values_list("pk", flat=True))})
        audience_form = AudienceForm(prefix="audience", initial=AudienceForm.initial_from(event.audience_spec))
        return render(request, self.template_name, {"form": form, "audience_form": audience_form, "event": event})

    def post(self, request, pk):
        event = self.get_event(pk)
        form, audience_form = EventForm(request.POST, instance=event), AudienceForm(request.POST, prefix="audience")
        if form.is_valid() and audience_form.is_valid():
            try:
                services.event_update(
                    event=event, user=request.user, audience=audience_form.spec, **_event_values(form)
                )
            except ValidationError as error:
                form_add_service_error(form, error)
            else:
                messages.success(request, _("Événement enregistré."))
                return redirect(event)
        event.refresh_from_db()
        return render(
            request, self.template_name, {"form": form, "audience_form": audience_form, "event": event}, status=400
        )


class EventPublishView(_EventMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        event = self.get_event(pk)
        try:
            services.event_publish(event=event, user=request.user)
        except ValidationError as error:
            messages.error(request, service_error_text(error))
        else:
            messages.success(request, _("Événement publié : il paraît dans l'agenda de son public."))
        return redirect(event)


class EventCancelView(_EventMixin, View):
    template_name = "events/confirm.html"

    def get(self, request, pk):
        event = self.get_event(pk)
        registered = sum(session.confirmed_count + session.waiting_count for session in event.sessions.all())
        return render(
            request,
            self.template_name,
            {
                "event": event,
                "title": _("Annuler l'événement « %(title)s »") % {"title": event.title},
                "text": ngettext(
                    "Toutes ses séances sont annulées ; la personne inscrite ou en attente est prévenue par courriel.",
                    "Toutes ses séances sont annulées ; les %(count)d personnes inscrites ou en attente sont "
                    "prévenues par courriel.",
                    registered,
                )
                % {"count": registered},
                "button": _("Annuler l'événement"),
            },
        )

    def post(self, request, pk):
        event = self.get_event(pk)
        services.event_cancel(event=event, user=request.user)
        messages.success(request, _("Événement annulé ; les personnes inscrites sont prévenues."))
        return redirect(event)
