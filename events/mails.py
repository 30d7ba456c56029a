"""The mails to one person about their registration, through the outbox (intranet.services.email_queue):
confirmed (with the invitation's .ics and the convocation's QR code), on the waiting list, promoted,
unregistered, the session changed or cancelled, the reminder the day before, materials shared.

Called after the commit of the service that decides (never under its row lock). The bulk invitation
to an audience goes through the mailing engine instead (services.event_invite)."""

import io

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from events.calendar import invitation_ics
from events.models import Registration, Session
from intranet.links import absolute_url
from intranet.services import email_publish_on_commit, email_queue


def qr_png(url: str) -> bytes:
    import qrcode

    image = qrcode.make(url, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def qr_svg(url: str) -> str:
    """The QR code as inline SVG markup (the convocation page and its print)."""
    import qrcode
    from qrcode.image.svg import SvgPathImage

    image = qrcode.make(url, image_factory=SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


def when(session: Session) -> str:
    start = timezone.localtime(session.starts_at)
    end = timezone.localtime(session.ends_at)
    day = formats.date_format(start, "l j F Y")
    if start.date() == end.date():
        return _("%(day)s, de %(start)s à %(end)s") % {
            "day": day,
            "start": formats.time_format(start, "H:i"),
            "end": formats.time_format(end, "H:i"),
        }
    return _("du %(start)s au %(end)s") % {
        "start": formats.date_format(start, "j F Y H:i"),
        "end": formats.date_format(end, "j F Y H:i"),
    }


SUBJECTS = {
    "confirmed": lambda s: _("Inscription confirmée : %(title)s") % {"title": s.title},
    "waiting": lambda s: _("Liste d'attente : %(title)s") % {"title": s.title},
    "promoted": lambda s: _("Une place s'est libérée : %(title)s") % {"title": s.title},
    "unregistered": lambda s: _("Désinscription : %(title)s") % {"title": s.title},
    "updated": lambda s: _("Changement : %(title)s") % {"title": s.title},
    "cancelled": lambda s: _("Séance annulée : %(title)s") % {"title": s.title},
    "reminder": lambda s: _("Rappel, demain : %(title)s") % {"title": s.title},
    "materials": lambda s: _("Supports disponibles : %(title)s") % {"title": s.title},
}
# The iCalendar method each message carries (None: no attachment).
METHODS = {
    "confirmed": "REQUEST",
    "promoted": "REQUEST",
    "updated": "REQUEST",
    "unregistered": "CANCEL",
    "cancelled": "CANCEL",
}


def mailable(agent) -> bool:
    return bool(agent.email) and agent.has_mailbox and agent.is_active


def registration_mail(registration: Registration, what: str, *, publish: bool = True) -> bool:
    """Queue the mail `what` (a key of SUBJECTS) to the registration's person; False when they have
    no mailbox (they are told on the intranet and on paper)."""
    agent, session = registration.agent, registration.session
    if not mailable(agent):
        return False
    context = {
        "what": what,
        "agent": agent,
        "session": session,
        "event": session.event,
        "when": when(session),
        "url": absolute_url(session.get_absolute_url()),
        "convocation_url": absolute_url(registration_convocation_path(registration)),
        "site_name": getattr(settings, "SITE_NAME", ""),
    }
    attachments = []
    method = METHODS.get(what)
    if method:
        attachments.append(
            ("invitation.ics", invitation_ics(session=session, registration=registration, method=method), _mime(method))
        )
    if what in ("confirmed", "promoted"):
        attachments.append(("convocation-qr.png", qr_png(absolute_url(registration.checkin_path())), "image/png"))
    email_queue(
        to=agent.email,
        subject=SUBJECTS[what](session),
        text=render_to_string("events/email/registration.txt", context),
        kind=f"events.{what}",
        attachments=attachments,
        publish=publish,
    )
    return True


def _mime(method: str) -> str:
    return f"text/calendar; method={method}; charset=UTF-8"


def registration_convocation_path(registration: Registration) -> str:
    from django.urls import reverse

    return reverse("events:convocation", args=[registration.pk])


def registrations_mail(registrations, what: str) -> int:
    """The same message to many (a session changed, cancelled, the reminder): one outbox sender."""
    count = sum(registration_mail(registration, what, publish=False) for registration in registrations)
    if count:
        email_publish_on_commit()
    return count


def invitation_text(*, event, sessions) -> str:
    """The invitation mailing's message (the same for every recipient: the mailing engine sends one
    text to all; each person sees on the event's page the sessions open to them)."""
    return render_to_string(
        "events/email/invitation.txt",
        {
            "event": event,
            "sessions": [(session, when(session)) for session in sessions],
            "per_site": any(session.audience_scope == Session.Scope.SITE for session in sessions),
            "url": absolute_url(event.get_absolute_url()),
            "site_name": getattr(settings, "SITE_NAME", ""),
        },
    )
