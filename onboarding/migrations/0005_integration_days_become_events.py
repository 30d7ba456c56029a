"""Journées d'intégration become events of the events app (issue 16): each IntegrationDay gets an
Event (kind « journée d'intégration », published) and its one Session (date, place, capacity), its
invitations become the session's registrations — invited → confirmed, waiting → waiting in the
same order (arrival date, then invitation), cancelled → cancelled — and onboarding keeps only the
period of arrivals. Plain ORM on the historical models: PostgreSQL and SQLite alike."""

import secrets
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations

STATUS = {"invited": "confirmed", "waiting": "waiting", "cancelled": "cancelled"}


def _audience(agent_ids) -> dict:
    return {
        "everyone": False,
        "units": [],
        "sites": [],
        "categories": [],
        "roles": [],
        "agents": list(dict.fromkeys(agent_ids)),
        "partners": False,
    }


def days_to_events(apps, schema_editor):
    IntegrationDay = apps.get_model("onboarding", "IntegrationDay")
    Invitation = apps.get_model("onboarding", "Invitation")
    Event = apps.get_model("events", "Event")
    Session = apps.get_model("events", "Session")
    Registration = apps.get_model("events", "Registration")
    tz = ZoneInfo(settings.TIME_ZONE)
    for day in IntegrationDay.objects.order_by("pk").iterator():
        invitations = list(
            Invitation.objects.filter(session_id=day.pk)
            .select_related("arrival")
            .order_by("arrival__arrival_date", "created_at", "pk")
        )
        confirmed = [i for i in invitations if i.status == "invited"]
        waiting = [i for i in invitations if i.status == "waiting"]
        event = Event.objects.create(
            title=day.title[:200],
            kind="integration",
            description=day.programme,
            audience=_audience(i.arrival.agent_id for i in invitations),
            single_session=True,
            status="published",
            created_at=day.created_at,
            published_at=day.created_at,
        )
        starts_at = datetime.combine(day.date, day.start_time or time(9, 0), tzinfo=tz)
        ends_at = max(datetime.combine(day.date, time(17, 0), tzinfo=tz), starts_at + timedelta(hours=1))
        session = Session.objects.create(
            event=event,
            starts_at=starts_at,
            ends_at=ends_at,
            room=day.place[:200],
            capacity=max(day.capacity, len(confirmed), 1),
            confirmed_count=len(confirmed),
            waiting_count=len(waiting),
            created_at=day.created_at,
        )
        # The waiting list's order was (arrival date, invitation): waiting_since keeps it.
        waiting_base = min((i.created_at for i in waiting), default=None)
        rank = {i.pk: n for n, i in enumerate(waiting)}
        Registration.objects.bulk_create(
            [
                Registration(
                    session=session,
                    agent_id=i.arrival.agent_id,
                    status=STATUS[i.status],
                    registered_at=i.created_at,
                    waiting_since=waiting_base + timedelta(microseconds=rank[i.pk]) if i.status == "waiting" else None,
                    cancelled_at=i.updated_at if i.status == "cancelled" else None,
                    token_salt=secrets.token_hex(16),
                )
                for i in invitations
            ]
        )
        day.event_session = session
        day.save(update_fields=["event_session"])


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0002_material_checked_files"),
        ("onboarding", "0004_integrationday_event_session"),
    ]

    operations = [
        migrations.RunPython(days_to_events, migrations.RunPython.noop, elidable=False),
    ]
