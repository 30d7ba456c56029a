"""iCalendar (RFC 5545/5546) with the `icalendar` package: the invitation attached to a mail
(METHOD:REQUEST when a seat is confirmed or the session changes, METHOD:CANCEL when it is cancelled
or the person unregisters) and the person's calendar feed (no METHOD: a subscribed calendar).

One UID per session, so every message about it updates the same calendar entry; each person's
messages carry an ever higher SEQUENCE (`Registration.ics_sequence`), so a client always takes the
latest (an update after a cancellation, a new registration after unregistering)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, vCalAddress, vText
from icalendar import Event as VEvent

from intranet.links import absolute_url, site_domain

PRODID = "-//Maison commune//Evenements//FR"


def session_uid(session) -> str:
    return f"event-session-{session.pk}@{site_domain()}"


def _description(session) -> str:
    lines = [session.event.summary] if session.event.summary else []
    if session.video_url:
        lines.append(_("Lien de la visioconférence : %(url)s") % {"url": session.video_url})
    lines.append(absolute_url(session.get_absolute_url()))
    return "\n".join(lines)


def _vevent(session, *, sequence: int, cancelled: bool, attendee=None, organiser=None) -> VEvent:
    vevent = VEvent()
    vevent.add("uid", session_uid(session))
    vevent.add("sequence", sequence)
    vevent.add("dtstamp", timezone.now())
    vevent.add("dtstart", session.starts_at)
    vevent.add("dtend", session.ends_at)
    vevent.add("summary", session.title)
    if session.place:
        vevent.add("location", vText(session.place))
    vevent.add("description", _description(session))
    vevent.add("url", absolute_url(session.get_absolute_url()))
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    if organiser is not None:
        address = vCalAddress(f"mailto:{organiser[1]}")
        address.params["cn"] = vText(organiser[0])
        vevent["organizer"] = address
    if attendee is not None:
        address = vCalAddress(f"mailto:{attendee.email}")
        address.params["cn"] = vText(attendee.get_full_name())
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["partstat"] = vText("ACCEPTED")
        vevent.add("attendee", address, encode=0)
    return vevent


def _calendar(method: str = "") -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    return calendar


def _organiser() -> tuple[str, str]:
    """Invitations come from the site (replies are not read): its name and sending address."""
    from email.utils import parseaddr

    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return (name or getattr(settings, "SITE_NAME", "Maison commune"), address or "no-reply@" + site_domain())


def invitation_ics(*, session, registration, method: str) -> bytes:
    """The iCalendar attached to a mail about `session` to the registration's person: REQUEST
    (confirmed, or an update) or CANCEL (unregistered, or the session cancelled)."""
    calendar = _calendar(method)
    calendar.add_component(
        _vevent(
            session,
            sequence=registration.ics_sequence,
            cancelled=method == "CANCEL",
            attendee=registration.agent,
            organiser=_organiser(),
        )
    )
    return calendar.to_ical()


def feed_ics(*, sessions, name: str) -> bytes:
    """A person's calendar feed: the sessions they are registered for (cancelled ones marked so)."""
    calendar = _calendar()
    calendar.add("x-wr-calname", name)
    calendar.add("x-published-ttl", "PT1H")
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    for session in sessions:
        calendar.add_component(_vevent(session, sequence=session.sequence, cancelled=session.is_cancelled))
    return calendar.to_ical()
