"""The events app's pages: the agenda and an event's page (views/agenda.py), the person's
registrations and calendar (views/mine.py), running events (views/manage.py, their sessions
views/sessions.py, invitations and questionnaire views/invitations.py, materials
views/materials.py) and the day itself (views/attendance.py)."""
