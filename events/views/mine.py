"""The person's own: their registrations, their convocation (with its QR code), their calendar feed."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from events import calendar, selectors, services
from events.mails import qr_svg, when
from events.permissions import can_manage_events, can_use_agenda
from intranet.links import absolute_url
from intranet.permissions import RuleRequiredMixin

ICS = "text/calendar; charset=utf-8"


class _AgendaRequired(RuleRequiredMixin):
    rule = staticmethod(can_use_agenda)


class MyRegistrationsView(_AgendaRequired, TemplateView):
    template_name = "events/my_registrations.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            upcoming=selectors.registration_list_mine(user=user),
            past=selectors.registration_list_mine(user=user, past=True)[:30],
            can_manage=can_manage_events(user),
            **kwargs,
        )


class ConvocationView(_AgendaRequired, TemplateView):
    """The person's convocation: what, when, where, and the QR code the organiser scans on arrival."""

    template_name = "events/convocation.html"

    def get_context_data(self, **kwargs):
        registration = selectors.registration_get_mine(user=self.request.user, pk=self.kwargs["pk"])
        if registration is None:
            raise Http404
        return super().get_context_data(
            registration=registration,
            session=registration.session,
            when=when(registration.session),
            qr=qr_svg(absolute_url(registration.checkin_path())),
            **kwargs,
        )


class SessionIcsView(_AgendaRequired, View):
    """One session as a calendar file (« Ajouter à mon agenda »)."""

    def get(self, request, pk):
        session = selectors.session_visible_to(user=request.user, pk=pk)
        if session is None:
            raise Http404
        response = HttpResponse(calendar.feed_ics(sessions=[session], name=session.title), content_type=ICS)
        response["Content-Disposition"] = content_disposition_header(True, f"seance-{session.pk}.ics")
        return response


class FeedSettingsView(_AgendaRequired, TemplateView):
    template_name = "events/feed_settings.html"

    def get_context_data(self, **kwargs):
        feed = services.calendar_feed_get_or_create(agent=self.request.user)
        return super().get_context_data(
            feed=feed,
            feed_url=absolute_url(feed.get_feed_path()),
            webcal_url=absolute_url(feed.get_feed_path())
            .replace("https://", "webcal://", 1)
            .replace("http://", "webcal://", 1),
            can_manage=can_manage_events(self.request.user),
            **kwargs,
        )


class FeedResetView(_AgendaRequired, View):
    http_method_names = ["post"]

    def post(self, request):
        services.calendar_feed_reset(agent=request.user)
        messages.success(
            request,
            _("Nouvelle adresse créée : l'ancienne ne fonctionne plus. Abonnez de nouveau votre agenda."),
        )
        return redirect("events:feed-settings")


class FeedView(View):
    """The calendar feed itself: no session, the secret address is the key (Outlook and Thunderbird
    fetch it on their own). An unknown or reset address: 404."""

    def get(self, request, token):
        feed = selectors.feed_find(token)
        if feed is None or not feed.agent.is_active or feed.agent.anonymised_at is not None:
            raise Http404
        services.calendar_feed_touch(feed=feed)
        sessions = selectors.feed_sessions(agent=feed.agent)
        name = _("Mes événements – %(site)s") % {"site": settings.SITE_NAME}
        body = calendar.feed_ics(sessions=sessions, name=name)
        response = HttpResponse(body, content_type=ICS)
        response["Cache-Control"] = "private, max-age=900"
        response["Last-Modified"] = timezone.now().strftime("%a, %d %b %Y %H:%M:%S GMT")
        return response
