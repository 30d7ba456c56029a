"""Heartbeats: the background processes say they are alive; the health page reads them."""

import logging

from django.db import DatabaseError, close_old_connections
from django.db import connection as db_connection
from django.utils import timezone

from intranet.models import Heartbeat

logger = logging.getLogger(__name__)


def heartbeat_record(*, key: str) -> None:
    """A background process (« worker », « beat ») says it is alive; the health page reads it.
    Never raises: a process that cannot reach the database is reported by its silence."""
    if not db_connection.in_atomic_block:
        close_old_connections()  # a long-lived process (beat) after a database restart
    try:
        Heartbeat.objects.update_or_create(key=key, defaults={"at": timezone.now()})
    except DatabaseError as error:
        logger.warning("Heartbeat of %s not recorded: %s", key, error)
