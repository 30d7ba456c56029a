"""What the events app does: functions that change state, one transaction each, one module per
subject (events, sessions, seats, registrations, invitations, materials, calendar_feed, surveys).

Seats: every decision about a session's seats (register, unregister, promote from the waiting
list, change the capacity) is taken under the session's row lock (`SELECT … FOR UPDATE`), and the
database refuses more confirmed registrations than seats (Session.confirmed_count ≤ capacity): two
people taking the last seat at the same moment never both get it, and a freed seat goes to exactly
one person from the waiting list. Mails leave after the commit, through the outbox.

The names below are re-exported: callers and tests write `services.registration_create`."""

from events.services.calendar_feed import calendar_feed_get_or_create, calendar_feed_reset, calendar_feed_touch
from events.services.events import event_cancel, event_create, event_publish, event_update
from events.services.invitations import INVITATION_KIND, event_invite, session_reminders_send
from events.services.materials import material_add, material_delete
from events.services.registrations import (
    RegistrationRefused,
    registration_cancel,
    registration_check_in,
    registration_create,
    registrations_add,
)
from events.services.sessions import (
    NEWS_FIELDS,
    SESSION_FIELDS,
    session_cancel,
    session_change,
    session_create,
    session_series_create,
    session_update,
)
from events.services.surveys import SURVEY_SEND_WITHIN, event_survey_attach, session_surveys_send

__all__ = [
    "INVITATION_KIND",
    "NEWS_FIELDS",
    "SESSION_FIELDS",
    "SURVEY_SEND_WITHIN",
    "RegistrationRefused",
    "calendar_feed_get_or_create",
    "calendar_feed_reset",
    "calendar_feed_touch",
    "event_cancel",
    "event_create",
    "event_invite",
    "event_publish",
    "event_survey_attach",
    "event_update",
    "material_add",
    "material_delete",
    "registration_cancel",
    "registration_check_in",
    "registration_create",
    "registrations_add",
    "session_cancel",
    "session_change",
    "session_create",
    "session_reminders_send",
    "session_series_create",
    "session_surveys_send",
    "session_update",
]
