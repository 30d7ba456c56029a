"""The surveys app's pages, by subject.

- `answering`: answering (personal link or logged in), « Mes enquêtes », the privacy page;
- `building`: the organisers' list, a new survey, its build page, settings and preview;
- `survey_actions`: publish, close, remind, copy, delete; invitations and sessions;
- `questionnaire`: sections and questions.
"""
