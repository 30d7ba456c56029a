"""What the surveys app does: functions that change state, one transaction each, by what they do.

- `drafting`: creating a survey (empty, from a template, as a copy), its settings, authors, deletion;
- `questionnaire`: sections, questions, choices, display conditions, order, sessions;
- `status`: publishing, closing, following the dates (beat);
- `invitations`: inviting agents, e-mailing invitations and reminders, beat's recovery;
- `answers`: an invitee's draft and final answers, anonymous responses published in groups;
- `errors`: what they raise.
"""
