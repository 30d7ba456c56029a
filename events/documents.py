"""The events app's PDFs (intranet.pdf), rendered by a worker (DocumentRenderer): the sign-in sheet of
a session (a few hundred rows is long for a request) and the paper list of an invitation (the agents
without a mailbox, by site, to be handed their invitation)."""

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from events.mails import when
from events.models import Event, Registration, Session
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


def paper_list_render(*, event: int, mailing: int) -> tuple[str, bytes]:
    from mailing.models import Delivery

    event = Event.objects.get(pk=event)
    deliveries = (
        Delivery.objects.filter(mailing_id=mailing, status=Delivery.Status.PAPER)
        .select_related("agent__site", "agent__org_unit")
        .order_by("agent__site__name", "name", "pk")
    )
    by_site: dict[str, list] = {}
    for delivery in deliveries:
        site = delivery.agent.site.name if delivery.agent_id and delivery.agent.site_id else ""
        by_site.setdefault(site, []).append(delivery)
    sessions = event.sessions.filter(status=Session.Status.SCHEDULED).select_related("site").order_by("starts_at")
    content = pdf_render(
        "events/pdf/paper_list.html",
        {
            "event": event,
            "sessions": [(session, when(session)) for session in sessions],
            "by_site": sorted(by_site.items()),
            "count": sum(len(rows) for rows in by_site.values()),
            "site_name": getattr(settings, "SITE_NAME", ""),
            "printed_on": timezone.localdate(),
        },
    )
    return f"invitations-papier-{slugify(event.title)[:40]}.pdf", content
