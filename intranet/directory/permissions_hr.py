"""Who may import agents, edit the org chart and export the directory: HR (and administrators).

The export carries matricules and every phone number whatever the agents' visibility
choices, so it is for HR only; agents find their colleagues through the directory pages."""

from intranet.roles import Role, has_role, is_internal


def can_manage_directory(user) -> bool:
    return is_internal(user) and has_role(user, Role.HR)
