"""The events app's PDFs (intranet.pdf), rendered by a worker (DocumentRenderer): the sign-in sheet of
a session (a few hundred rows is long for a request) and the paper list of an invitation (the agents
without a mailbox, by site, each under the sessions their invitation names, to be handed it)."""

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from events.mails import invitation_sections, when
from events.models import Event, EventInvitation, Registration, Session
from intranet.pdf import pdf_render


def signin_sheet_render(*, session: int) -> tuple[str, bytes]:
    session = Session.objects.select_related("event", "site").get(pk=session)
    registrations = (
        Registration.objects.filter(session=session, status=Registration.Status.CONFIRMED)
        .select_related("agent__org_unit")
        .order_by("agent__last_name", "agent__first_name", "pk")
    )
    content = pdf_render(
        "events/pdf/signin_sheet.html",
        {
            "session": session,
            "when": when(session),
            "registrations": registrations,
            "site_name": getattr(settings, "SITE_NAME", ""),
            "printed_on": timezone.localdate(),
        },
    )
    start = timezone.localtime(session.starts_at)
    return f"emargement-{slugify(session.event.title)[:40]}-{start:%Y-%m-%d-%H%M}.pdf", content


def paper_list_render(*, event: int, mailing: int | None = None) -> tuple[str, bytes]:
    """The agents without a mailbox of every invitation mailing of the event, each under the
    sessions their invitation names (their site's, or the general list), by site. `mailing` is
    ignored: requests made when an event had a single invitation mailing still render."""
    from mailing.models import Delivery

    event = Event.objects.get(pk=event)
    links = {link.mailing_id: link.site_id for link in EventInvitation.objects.filter(event=event)}
    deliveries = (
        Delivery.objects.filter(mailing_id__in=list(links), status=Delivery.Status.PAPER)
        .select_related("agent__site", "agent__org_unit")
        .order_by("agent__site__name", "name", "pk")
    )
    # One section per invitation (the sites with their own sessions first, by name; the general one
    # last), its people by site.
    people: dict[int | None, dict[str, list]] = {}
    for delivery in deliveries:
        site = delivery.agent.site.name if delivery.agent_id and delivery.agent.site_id else ""
        people.setdefault(links[delivery.mailing_id], {}).setdefault(site, []).append(delivery)
    sessions = list(
        event.sessions.filter(status=Session.Status.SCHEDULED).select_related("site").order_by("starts_at", "pk")
    )
    for session in sessions:
        session.event = event
    site_names = {session.site_id: session.site.name for session in sessions if session.site_id}
    ordered = sorted(people.items(), key=lambda item: (item[0] is None, site_names.get(item[0], "")))
    sections = [
        {
            "site": site_names.get(site_id, "") if site_id else "",
            "named": invitation_sections(sessions=sessions, site_id=site_id),
            "by_site": sorted(by_site.items()),
        }
        for site_id, by_site in ordered
    ]
    content = pdf_render(
        "events/pdf/paper_list.html",
        {
            "event": event,
            "sections": sections,
            "per_site": any(site_id is not None for site_id in links.values()),
            "count": sum(len(rows) for by_site in people.values() for rows in by_site.values()),
            "site_name": getattr(settings, "SITE_NAME", ""),
            "printed_on": timezone.localdate(),
        },
    )
    return f"invitations-papier-{slugify(event.title)[:40]}.pdf", content
