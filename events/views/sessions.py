"""An event's sessions, for its organisers: one by one, as a series, their changes and cancellation."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from events import services
from events.forms.sessions import SeriesForm, SessionForm
from events.models import Session
from events.permissions import can_edit_event
from events.views.manage import _EventMixin
from intranet.audiences import audience_describe
from intranet.permissions import InternalRequiredMixin
from intranet.shortcuts import form_add_service_error


class SessionCreateView(_EventMixin, View):
    template_name = "events/session_form.html"

    def get(self, request, pk):
        return self.show(self.get_event(pk), SessionForm())

    def post(self, request, pk):
        event = self.get_event(pk)
        form = SessionForm(request.POST)
        if form.is_valid():
            try:
                services.session_create(
                    event=event, user=request.user, organisers=form.cleaned_data["organisers"], **form.session_values()
                )
            except ValidationError as error:
                _session_error(form, error)
            else:
                messages.success(request, _("Séance ajoutée."))
                return redirect(event)
        return self.show(event, form, status=400)

    def show(self, event, form, *, session=None, status=200):
        return render(
            self.request,
            self.template_name,
            {"event": event, "form": form, "session": session, "audience": audience_describe(spec=event.audience_spec)},
            status=status,
        )


def _session_error(form, error: ValidationError) -> None:
    """The service names starts_at and ends_at; the form asks for a day, a start and an end."""
    if hasattr(error, "error_dict"):
        renamed = {
            {"starts_at": "day", "ends_at": "end"}.get(name, name): errors for name, errors in error.error_dict.items()
        }
        error = ValidationError(renamed)
    form_add_service_error(form, error)


class SessionUpdateView(InternalRequiredMixin, View):
    template_name = "events/session_form.html"

    def get_session(self, pk) -> Session:
        session = get_object_or_404(Session.objects.select_related("event"), pk=pk)
        if not can_edit_event(self.request.user, session.event):
            raise Http404
        return session

    def get(self, request, pk):
        session = self.get_session(pk)
        return self.show(session, SessionForm(initial=SessionForm.initial_from(session)))

    def post(self, request, pk):
        session = self.get_session(pk)
        form = SessionForm(request.POST)
        if form.is_valid():
            try:
                services.session_update(
                    session=session,
                    user=request.user,
                    organisers=form.cleaned_data["organisers"],
                    **form.session_values(),
                )
            except ValidationError as error:
                _session_error(form, error)
            else:
                messages.success(
                    request, _("Séance enregistrée ; les personnes inscrites sont prévenues d'un changement.")
                )
                return redirect(session.event)
        return self.show(session, form, status=400)

    def show(self, session, form, *, status=200):
        event = session.event
        return render(
            self.request,
            self.template_name,
            {"event": event, "form": form, "session": session, "audience": audience_describe(spec=event.audience_spec)},
            status=status,
        )


class SessionCancelView(SessionUpdateView):
    template_name = "events/confirm.html"

    def get(self, request, pk):
        session = self.get_session(pk)
        count = session.confirmed_count + session.waiting_count
        return render(
            request,
            self.template_name,
            {
                "event": session.event,
                "title": _("Annuler la séance « %(title)s »") % {"title": session.title},
                "text": ngettext(
                    "La personne inscrite ou en attente est prévenue par courriel.",
                    "Les %(count)d personnes inscrites ou en attente sont prévenues par courriel.",
                    count,
                )
                % {"count": count},
                "button": _("Annuler la séance"),
            },
        )

    def post(self, request, pk):
        session = self.get_session(pk)
        services.session_cancel(session=session, user=request.user)
        messages.success(request, _("Séance annulée ; les personnes inscrites sont prévenues."))
        return redirect(session.event)


class SeriesCreateView(_EventMixin, View):
    template_name = "events/series_form.html"

    def get(self, request, pk):
        event = self.get_event(pk)
        return render(request, self.template_name, {"event": event, "form": SeriesForm()})

    def post(self, request, pk):
        event = self.get_event(pk)
        form = SeriesForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = services.session_series_create(
                    event=event,
                    user=request.user,
                    first_day=data["first_day"],
                    start=data["start"],
                    end=data["end"],
                    count=data["count"],
                    every_days=data["every_days"],
                    sites=list(data["sites"].order_by("name")),
                    room=data["room"],
                    video_url=data["video_url"],
                    capacity=data["capacity"],
                    per_site_audience=data["per_site_audience"],
                    label=data["label"],
                    registration_days_before=data["registration_days_before"],
                    organisers=list(data["organisers"]),
                )
            except ValidationError as error:
                form_add_service_error(form, error)
            else:
                messages.success(
                    request,
                    ngettext("%(count)d séance créée.", "%(count)d séances créées.", len(created))
                    % {"count": len(created)},
                )
                return redirect(event)
        return render(request, self.template_name, {"event": event, "form": form}, status=400)
