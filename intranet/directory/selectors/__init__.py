"""The directory's selectors, one module per part (people, org chart, profiles, HR)."""
