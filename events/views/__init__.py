"""The events app's pages: the agenda and an event's page (views/agenda.py), the person's
registrations and calendar (views/mine.py), running events (views/manage.py) and the day itself
(views/attendance.py)."""
