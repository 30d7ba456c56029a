"""A session on the day, for those who run it: the registrations (and registering someone), the
check-in on a phone (a name searched, or the QR code of a convocation scanned), the sign-in sheet."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from events import selectors, services
from events.forms.attendance import CheckinSearchForm, RegisterForm
from events.models import Registration
from events.permissions import can_run_session
from intranet.permissions import InternalRequiredMixin
from intranet.services import document_request
from intranet.shortcuts import form_add_service_error, paginate, service_error_text

CHECKIN_TEMPLATE = "events/session_checkin.html"
CHECKIN_LIMIT = 30


class _SessionRunMixin(InternalRequiredMixin):
    def get_session(self, pk):
        session = selectors.session_get_run_by(user=self.request.user, pk=pk)
        if session is None:
            raise Http404
        return session


class SessionRegistrationsView(_SessionRunMixin, View):
    template_name = "events/session_registrations.html"

    def get(self, request, pk):
        return self.show(self.get_session(pk), RegisterForm())

    def post(self, request, pk):
        session = self.get_session(pk)
        form = RegisterForm(request.POST)
        if form.is_valid():
            try:
                registration = services.registration_create(
                    session=session, agent=form.cleaned_data["agent"], by=request.user
                )
            except ValidationError as error:
                form_add_service_error(form, error)
            else:
                messages.success(
                    request,
                    (
                        _("%(name)s est inscrit(e).")
                        if registration.is_confirmed
                        else _("%(name)s est en liste d'attente.")
                    )
                    % {"name": registration.agent.get_full_name()},
                )
                return redirect("events:session-registrations", pk=session.pk)
        return self.show(session, form, status=400)

    def show(self, session, form, *, status=200):
        status_filter = self.request.GET.get("etat", "")
        if status_filter not in (*Registration.Status.values, selectors.ABSENT):
            status_filter = ""
        page = paginate(self.request, selectors.registration_list(session=session, status=status_filter or None), 50)
        return render(
            self.request,
            self.template_name,
            {
                "session": session,
                "event": session.event,
                "form": form,
                "page_obj": page,
                "registrations": page.object_list,
                "status_filter": status_filter,
                "waiting": selectors.waiting_list(session=session)[:50],
                "statuses": [
                    *Registration.Status.choices,
                    *([(selectors.ABSENT, _("Absents"))] if session.has_ended() else []),
                ],
                "now": timezone.now(),
            },
            status=status,
        )


class RegistrationCancelByOrganiserView(InternalRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        registration = get_object_or_404(Registration.objects.select_related("session__event", "agent"), pk=pk)
        if not can_run_session(request.user, registration.session):
            raise Http404
        try:
            promoted = services.registration_cancel(registration=registration, user=request.user)
        except ValidationError as error:
            messages.error(request, service_error_text(error))
        else:
            text = _("Inscription de %(name)s annulée.") % {"name": registration.agent.get_full_name()}
            if promoted is not None:
                text += " " + _("%(name)s, premier de la liste d'attente, a la place.") % {
                    "name": promoted.agent.get_full_name()
                }
            messages.success(request, text)
        return redirect("events:session-registrations", pk=registration.session_id)


class SessionCheckinView(_SessionRunMixin, View):
    """The check-in page, made for a phone: a search field (htmx as one types; a plain GET without
    JavaScript), each person with one button."""

    def get(self, request, pk):
        session = self.get_session(pk)
        form = CheckinSearchForm(request.GET or None, search_url=request.path)
        q = form.cleaned_data["q"] if form.is_valid() else ""
        registrations = selectors.registration_list(session=session, status=Registration.Status.CONFIRMED, q=q)
        context = {
            "session": session,
            "event": session.event,
            "form": form,
            "registrations": registrations[:CHECKIN_LIMIT],
            "more": max(0, registrations.count() - CHECKIN_LIMIT)
            if q or session.confirmed_count > CHECKIN_LIMIT
            else 0,
            "q": q,
        }
        template = (
            CHECKIN_TEMPLATE + "#results"
            if request.htmx and request.headers.get("HX-Target") == "resultats"
            else CHECKIN_TEMPLATE
        )
        return render(request, template, context)


class CheckinToggleView(InternalRequiredMixin, View):
    """POST: present, or not present any more. htmx gets the person's row back."""

    http_method_names = ["post"]

    def post(self, request, pk):
        registration = get_object_or_404(Registration.objects.select_related("session__event", "agent"), pk=pk)
        if not can_run_session(request.user, registration.session):
            raise Http404
        present = request.POST.get("present") == "1"
        error = ""
        try:
            registration = services.registration_check_in(registration=registration, user=request.user, present=present)
        except ValidationError as problem:
            error = service_error_text(problem)
        if request.htmx:
            registration.notice = error
            return render(request, CHECKIN_TEMPLATE + "#person", {"registration": registration})
        if error:
            messages.error(request, error)
        else:
            messages.success(
                request,
                (_("%(name)s est noté(e) présent(e).") if present else _("%(name)s n'est plus noté(e) présent(e)."))
                % {"name": registration.agent.get_full_name()},
            )
        return redirect("events:session-checkin", pk=registration.session_id)


class CheckinQrView(InternalRequiredMixin, View):
    """Where a convocation's QR code leads: an organiser of the session confirms the presence in one
    tap (a GET never changes anything: a link preview must not check someone in)."""

    template_name = "events/checkin_qr.html"

    def get_registration(self, pk, token):
        registration = (
            Registration.objects.select_related("session__event", "session__site", "agent").filter(pk=pk).first()
        )
        if registration is None or not registration.token_matches(token):
            raise Http404
        if not can_run_session(self.request.user, registration.session):
            raise Http404
        return registration

    def get(self, request, pk, token):
        registration = self.get_registration(pk, token)
        return render(request, self.template_name, {"registration": registration, "session": registration.session})

    def post(self, request, pk, token):
        registration = self.get_registration(pk, token)
        try:
            services.registration_check_in(registration=registration, user=request.user, present=True)
        except ValidationError as error:
            messages.error(request, service_error_text(error))
        else:
            messages.success(
                request, _("%(name)s est noté(e) présent(e).") % {"name": registration.agent.get_full_name()}
            )
        return redirect("events:session-checkin", pk=registration.session_id)


class SessionSheetView(_SessionRunMixin, View):
    """The sign-in sheet (PDF), rendered by a worker: the document's page says when it is ready."""

    http_method_names = ["post"]

    def post(self, request, pk):
        session = self.get_session(pk)
        document = document_request(kind="events.signin_sheet", params={"session": session.pk}, user=request.user)
        return redirect("intranet:document-status", pk=document.pk)
