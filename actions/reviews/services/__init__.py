"""What the steering committee's reviews do: functions that change state, one transaction
each. Every write locks the review row first (`common._locked`), so a state checked here cannot
change under the write: a decision never lands in a review being closed.

- `committee`: a review created, opened, run (decisions) and closed;
- `pilots`: self-assessments, proposals, the follow-up group;
- `upkeep`: reminders before a review, the RGPD anonymisation;
- `common`: what they share (lock, sync, texts, the runner's check).
"""
