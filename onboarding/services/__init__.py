"""What the onboarding app does: functions that change state, one transaction each, by subject.

- `journeys`: journey templates, arrivals and their checklists, the reminders of tasks due;
- `buddies`: parrains and marraines (volunteers, suggestions, confirmation);
- `welcome_guide`: the guide's settings and chapters, each arrival's PDF rendered by workers;
- `integration_days`: the journées d'intégration (events of the events app) and the arrivals
  of a period they invite;
- `daily`: the beat's daily work and the 3-month satisfaction survey;
- `common`: one mail through the outbox.
"""
