"""Running events: HR and communication create them; an event's organisers edit it, add its
sessions (one by one or as a series), publish or cancel it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from events import selectors, services
from events.forms import EventForm, EventSurveyForm, SeriesForm, SessionForm
from events.models import Event, Session
from events.permissions import can_edit_event, can_manage_events
from intranet.audiences import AudienceForm, audience_describe
from intranet.permissions import InternalRequiredMixin, RuleRequiredMixin
from intranet.services import document_request
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


class EventInviteView(_EventMixin, View):
    """Invite the event's audience by the mailing engine (once); those without a mailbox go on the
    paper list."""

    template_name = "events/confirm.html"

    def get(self, request, pk):
        event = self.get_event(pk)
        preview = selectors.invitation_preview(event)
        by_mail = preview["total"] - preview["paper"]
        text = ngettext(
            "L'invitation part par courriel à %(count)d personne du public de l'événement",
            "L'invitation part par courriel aux %(count)d personnes du public de l'événement",
            by_mail,
        ) % {"count": by_mail}
        text += " " + ngettext(
            "; %(count)d agent sans messagerie figure sur la liste à imprimer.",
            "; %(count)d agents sans messagerie figurent sur la liste à imprimer.",
            preview["paper"],
        ) % {"count": preview["paper"]}
        return render(
            request,
            self.template_name,
            {
                "event": event,
                "title": _("Inviter le public de « %(title)s »") % {"title": event.title},
                "text": text,
                "button": _("Envoyer les invitations"),
                "button_class": "btn-primary",
            },
        )

    def post(self, request, pk):
        event = self.get_event(pk)
        try:
            services.event_invite(event=event, user=request.user)
        except ValidationError as error:
            messages.error(request, service_error_text(error))
        else:
            messages.success(
                request,
                _("Invitations en cours d'envoi ; la liste des agents sans messagerie est prête à imprimer."),
            )
        return redirect(event)


class EventPaperListView(_EventMixin, View):
    """The printable list of the agents invited on paper (PDF by a worker: the document's page)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        event = self.get_event(pk)
        invitation = selectors.invitation_of(event)
        if invitation is None:
            raise Http404
        document = document_request(
            kind="events.paper_list", params={"event": event.pk, "mailing": invitation.mailing.pk}, user=request.user
        )
        return redirect("intranet:document-status", pk=document.pk)


class EventSurveyView(_EventMixin, View):
    """POST: attach the satisfaction questionnaire (the form is on the event's page)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        event = self.get_event(pk)
        form = EventSurveyForm(request.POST, user=request.user)
        if not form.is_valid():
            messages.error(request, _("Choisissez un questionnaire dont vous êtes l'auteur."))
            return redirect(event)
        try:
            services.event_survey_attach(event=event, survey=form.cleaned_data["survey"], user=request.user)
        except ValidationError as error:
            messages.error(request, service_error_text(error))
        else:
            messages.success(request, _("Questionnaire choisi : il partira après chaque séance à ceux qui sont venus."))
        return redirect(event)
