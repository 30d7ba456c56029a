"""The personal calendar feed: its secret address, reset, last read."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from events.models import CalendarFeed
from intranet.services import audit_log_record


@transaction.atomic
def calendar_feed_get_or_create(*, agent) -> CalendarFeed:
    feed = CalendarFeed.objects.select_for_update().filter(agent=agent).first()
    if feed is None:
        feed = CalendarFeed(agent=agent)
        feed.set_token_hash()
        feed.save()
    return feed


@transaction.atomic
def calendar_feed_reset(*, agent) -> CalendarFeed:
    """A new secret address: the former one stops answering at once."""
    feed = calendar_feed_get_or_create(agent=agent)
    feed.token_salt = CalendarFeed._meta.get_field("token_salt").default()
    feed.set_token_hash()
    feed.created_at, feed.last_read_at = timezone.now(), None
    feed.save(update_fields=["token_salt", "token_hash", "created_at", "last_read_at"])
    audit_log_record(actor=agent, action="event.feed_reset", target=feed)
    return feed


def calendar_feed_touch(*, feed: CalendarFeed) -> None:
    """When the feed was last read (its page says whether a calendar follows it)."""
    now = timezone.now()
    if feed.last_read_at is None or now - feed.last_read_at > timedelta(minutes=10):
        CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=now)
