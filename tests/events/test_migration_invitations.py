"""Migration 0003: the invitation mailing an event had before (one, general) becomes its
EventInvitation, so its progress, invited count and paper list still read it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from events import selectors
from events.models import Event, EventInvitation

BEFORE = [("events", "0002_material_checked_files"), ("mailing", "0003_mailing_last_error_mailing_retry_at")]
AFTER = [("events", "0003_invitations")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_invitation_mailing_sent_before_is_the_events_general_invitation():
    old = _migrate(BEFORE)
    OldEvent, OldMailing = old.get_model("events", "Event"), old.get_model("mailing", "Mailing")
    ContentType = old.get_model("contenttypes", "ContentType")
    event_type, _ = ContentType.objects.get_or_create(app_label="events", model="event")
    invited = OldEvent.objects.create(title="Réunion", status="published", invited_at=timezone.now())
    other = OldEvent.objects.create(title="Sans invitation", status="published")
    mailing = OldMailing.objects.create(
        subject="Invitation : Réunion",
        text="…",
        kind="events.invitation",
        status="done",
        source_type=event_type,
        source_id=invited.pk,
    )
    OldMailing.objects.create(
        subject="Lettre", text="…", kind="newsletter.issue", source_type=event_type, source_id=other.pk
    )

    _migrate(AFTER)

    link = EventInvitation.objects.get()
    assert (link.event_id, link.mailing_id, link.site_id) == (invited.pk, mailing.pk, None)
    assert selectors.invitation_of(Event.objects.get(pk=invited.pk)).status == "terminé"
    assert selectors.invitation_of(Event.objects.get(pk=other.pk)) is None
