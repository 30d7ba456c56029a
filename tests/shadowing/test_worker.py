"""The path's e-mails sent by a real Celery worker (its own process, on Redis) to the SMTP server
on loopback: queued in the outbox by each service, published after the commit."""

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar

from onboarding.shadowing.models import Slot
from onboarding.shadowing.services.scheduling import visit_schedule
from onboarding.shadowing.services.wishes import visit_accept, visit_approve, visit_request
from tests.intranet.test_outbox import WORKER_DB
from tests.shadowing.factories import CampaignFactory, OfferFactory, host_with_manager


@WORKER_DB
@pytest.mark.services
def test_each_step_reaches_the_next_person_through_a_real_worker(
    agent, manager, rh, smtp_server, celery_worker_process
):
    host, boss = host_with_manager(email="hote@test.local")
    offer = OfferFactory(host=host, org_unit=host.org_unit, site=host.site)
    visit = visit_request(user=agent, campaign=CampaignFactory(), offer=offer)
    smtp_server.wait_for(1, timeout=60)
    assert smtp_server.messages[0].rcpt_tos == [manager.email]

    visit_approve(visit=visit, user=manager)
    smtp_server.wait_for(4, timeout=60)  # the visitor, the host, the host's manager
    assert {host.email, boss.email, agent.email} <= set(smtp_server.count_by_recipient())

    visit_accept(visit=visit, user=host)
    visit_accept(visit=visit, user=boss)
    day = timezone.localdate() + datetime.timedelta(days=7)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    visit_schedule(visit=visit, user=host, on=day, slot=Slot.AFTERNOON)
    smtp_server.wait_for(8, timeout=60)
    invitations = [
        mail
        for mail in smtp_server.messages
        if any(part.get_content_type() == "text/calendar" for part in mail.message.iter_attachments())
    ]
    assert sorted(mail.rcpt_tos[0] for mail in invitations) == sorted([agent.email, host.email])
    for mail in invitations:
        (ics,) = [part for part in mail.message.iter_attachments() if part.get_content_type() == "text/calendar"]
        event = Calendar.from_ical(ics.get_payload(decode=True)).walk("VEVENT")[0]
        assert event.decoded("dtstart").date() == day
        assert event.decoded("dtstart").hour == 14
    assert all(count == 1 for count in _per_subject(smtp_server).values())  # nothing sent twice


def _per_subject(smtp_server):
    counts = {}
    for mail in smtp_server.messages:
        key = (mail.rcpt_tos[0], mail.message["Subject"])
        counts[key] = counts.get(key, 0) + 1
    return counts
