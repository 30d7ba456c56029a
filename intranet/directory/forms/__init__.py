"""The directory's forms, one module per part (people, org chart, profiles, HR)."""
