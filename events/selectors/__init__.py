"""Permission-aware reads of the events app, each in a fixed number of queries, one module per
subject (agenda, event_page, mine, running, attendance, home).

Who may register for a session is the audience rule (intranet.audiences), checked in Python against
the person loaded once (`permissions.member_of`): an agenda of hundreds of sessions costs no query per
session. Internal agents see every published event; partners only the sessions addressed to them.

The names below are re-exported: callers and tests write `selectors.agenda_sessions`."""

from events.selectors.agenda import (
    ACTIVE,
    AUDIENCE_FILTERS,
    AgendaFilters,
    agenda_sessions,
    decorate,
    month_bounds,
    month_grid,
    site_choices,
    with_my_registration,
)
from events.selectors.attendance import NO_SHOWS_SHOWN, EventAttendance, SessionAttendance, event_attendance
from events.selectors.event_page import (
    Invitation,
    event_get_for,
    invitation_of,
    invitation_preview,
    material_for,
    materials_for,
)
from events.selectors.home import (
    CHECKIN_LATE_DAYS,
    DEADLINE_DAYS,
    HOME_DAYS,
    HOME_ROWS,
    HomeEvents,
    event_search,
    home_events,
    todo_checkins,
    todo_registration_deadlines,
)
from events.selectors.mine import feed_find, feed_sessions, registration_get_mine, registration_list_mine
from events.selectors.running import (
    ABSENT,
    Attendance,
    attendance_of,
    event_list_managed,
    registration_list,
    session_get_run_by,
    session_visible_to,
    waiting_list,
)

__all__ = [
    "ABSENT",
    "ACTIVE",
    "AUDIENCE_FILTERS",
    "CHECKIN_LATE_DAYS",
    "DEADLINE_DAYS",
    "HOME_DAYS",
    "HOME_ROWS",
    "NO_SHOWS_SHOWN",
    "AgendaFilters",
    "Attendance",
    "EventAttendance",
    "HomeEvents",
    "Invitation",
    "SessionAttendance",
    "agenda_sessions",
    "attendance_of",
    "decorate",
    "event_attendance",
    "event_get_for",
    "event_list_managed",
    "event_search",
    "feed_find",
    "feed_sessions",
    "home_events",
    "invitation_of",
    "invitation_preview",
    "material_for",
    "materials_for",
    "month_bounds",
    "month_grid",
    "registration_get_mine",
    "registration_list",
    "registration_list_mine",
    "session_get_run_by",
    "session_visible_to",
    "site_choices",
    "todo_checkins",
    "todo_registration_deadlines",
    "waiting_list",
    "with_my_registration",
]
