"""Who may edit, complete, export and anonymise agents' profiles (one place, used by the
views, the services and the photo tag)."""

from intranet.roles import Role, has_role, is_internal


def can_manage_agents(user) -> bool:
    """HR (and administrators) edit any agent, see the completion of every profile and
    anonymise departed agents."""
    return is_internal(user) and has_role(user, Role.HR)


def can_edit_own_profile(user) -> bool:
    return is_internal(user)


def can_see_photo(viewer, agent) -> bool:
    """An agent who hid their photo still sees it, and so does HR; partners never see photos
    (the media files are served to internal agents only)."""
    if not agent.photo or not is_internal(viewer):
        return False
    return agent.show_photo or viewer.pk == agent.pk or can_manage_agents(viewer)
