"""« À faire » along a visit's path: each step waits in the inbox of the person who takes it, and
leaves it once taken."""

import datetime

import pytest
from django.utils import timezone

from intranet.models import Agent
from intranet.selectors import todo_inbox
from onboarding.shadowing.models import Slot, Visit
from onboarding.shadowing.services.campaigns import agreement_current
from onboarding.shadowing.services.completion import visit_complete
from onboarding.shadowing.services.reports import visit_report_write
from onboarding.shadowing.services.scheduling import visit_agreement_sign, visit_schedule
from onboarding.shadowing.services.wishes import visit_accept, visit_approve, visit_request
from tests.shadowing.factories import CampaignFactory, OfferFactory, host_with_manager

pytestmark = pytest.mark.django_db


def titles(user, key) -> list[str]:
    """The items of source `key` in `user`'s inbox (the user read afresh, as a request would)."""
    inbox = todo_inbox(user=Agent.objects.get(pk=user.pk), limit=50)
    return [item.title for entry in inbox.entries if entry.source.key == key for item in entry.group.items]


def test_each_step_of_a_visit_waits_for_who_takes_it(agent, manager):
    host, host_boss = host_with_manager(first_name="Karim", last_name="Accueillant")
    offer = OfferFactory(host=host, org_unit=host.org_unit, site=host.site, job_title="Travailleur social")
    visit = visit_request(user=agent, campaign=CampaignFactory(), offer=offer)
    expected = "Hélène Dupont découvre Travailleur social"
    assert titles(manager, "shadowing-decisions") == [expected]
    assert titles(host, "shadowing-decisions") == []  # not yet: the visitor's manager first

    visit = visit_approve(visit=visit, user=manager)
    assert titles(manager, "shadowing-decisions") == []
    assert titles(host, "shadowing-decisions") == [expected]
    assert titles(host_boss, "shadowing-decisions") == [expected]
    assert titles(agent, "shadowing-visits") == ["Signer l'engagement de discrétion avant votre visite"]

    visit_accept(visit=visit, user=host)
    visit = visit_accept(visit=visit, user=host_boss)
    assert titles(host, "shadowing-decisions") == []
    assert titles(host_boss, "shadowing-decisions") == []
    assert titles(host, "shadowing-visits") == ["Programmer la visite de Hélène Dupont"]

    day = timezone.localdate() + datetime.timedelta(days=7)
    while day.weekday() >= 5:  # a working day
        day += datetime.timedelta(days=1)
    visit = visit_schedule(visit=visit, user=host, on=day, slot=Slot.MORNING)
    assert titles(host, "shadowing-visits") == []
    visit = visit_agreement_sign(visit=visit, user=agent, version=agreement_current())
    assert titles(agent, "shadowing-visits") == []

    Visit.objects.filter(pk=visit.pk).update(scheduled_on=timezone.localdate())
    visit = visit_complete(visit=Visit.objects.get(pk=visit.pk), user=host)
    assert titles(agent, "shadowing-visits") == ["Écrire votre rapport d'étonnement"]
    visit_report_write(visit=visit, user=agent, report="Un métier de contacts.", consent=False)
    assert titles(agent, "shadowing-visits") == []


def test_a_decision_waiting_past_the_campaign_is_late(agent, manager):
    campaign = CampaignFactory()
    visit_request(user=agent, campaign=campaign, offer=OfferFactory())
    today = campaign.visits_end_on + datetime.timedelta(days=1)
    inbox = todo_inbox(user=Agent.objects.get(pk=manager.pk), today=today)
    (entry,) = [entry for entry in inbox.entries if entry.source.key == "shadowing-decisions"]
    assert entry.group.late == 1
    assert entry.group.items[0].late
