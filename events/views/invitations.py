"""An event's invitations (the mailing engine, the paper list) and its satisfaction questionnaire."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from events import selectors, services
from events.forms.events import EventSurveyForm
from events.views.manage import _EventMixin
from intranet.services import document_request
from intranet.shortcuts import service_error_text
from mailing.selectors import mailings_progress


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
        if preview["sites"]:
            text += " " + ngettext(
                "Les agents du site qui a ses propres séances reçoivent une invitation qui les nomme ; le reste "
                "du public, l'invitation générale.",
                "Les agents de chacun des %(count)d sites qui ont leurs propres séances reçoivent une invitation "
                "qui nomme les leurs ; le reste du public, l'invitation générale.",
                preview["sites"],
            ) % {"count": preview["sites"]}
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
            mailings = services.event_invite(event=event, user=request.user)
        except ValidationError as error:
            messages.error(request, service_error_text(error))
        else:
            paper = mailings_progress([mailing.pk for mailing in mailings])["paper"]
            if paper:
                text = ngettext(
                    "Invitations en cours d'envoi ; l'agent sans messagerie est sur la liste à imprimer.",
                    "Invitations en cours d'envoi ; les %(count)d agents sans messagerie sont sur la liste à imprimer.",
                    paper,
                ) % {"count": paper}
            else:
                text = _("Invitations en cours d'envoi ; chaque agent invité a une messagerie.")
            messages.success(request, text)
        return redirect(event)


class EventPaperListView(_EventMixin, View):
    """The printable list of the agents invited on paper, across the event's invitation mailings (PDF
    by a worker: the document's page)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        event = self.get_event(pk)
        if selectors.invitation_of(event) is None:
            raise Http404
        # Every invitation mailing of the event (one per site that has its own sessions, the general one).
        document = document_request(kind="events.paper_list", params={"event": event.pk}, user=request.user)
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
