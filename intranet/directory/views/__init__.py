"""The directory's views, one module per part (people, org chart, profiles, HR)."""
