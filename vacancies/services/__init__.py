"""What the vacancies board does: write vacancies and concours, publish and close them,
record agents' expressions of interest (with a CV checked here) and tell HR.

Permission checks are the caller's (views ask `vacancies.permissions`).

- `postings`: vacancies and concours;
- `interests`: expressions of interest, their CVs, HR told.
"""
