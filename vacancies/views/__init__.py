"""The vacancies board's pages: thin views over `vacancies.selectors` and `vacancies.services`.

Agents (internal only) browse, read and express interest; HR and administrators manage
vacancies and concours and read expressions of interest and CVs. Partners: no access.

- `board`: the agents' pages;
- `manage`: HR's and administrators' pages.
"""
