"""The onboarding app's pages: thin views over `onboarding.selectors` and `onboarding.services`, by subject.

- `arrivals`: the agent's own journey, the arrivals, a task ticked, an arrival's guide;
- `volunteers`: parrains and marraines;
- `journey_templates`: the journey templates (HR);
- `guide_chapters`: the welcome guide's chapters and identity;
- `integration_days`: the sessions, their invitations, the attendance sheet.
"""
