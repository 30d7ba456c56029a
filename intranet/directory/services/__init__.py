"""The directory's services, one module per part (people, org chart, profiles, HR)."""
