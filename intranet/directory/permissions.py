"""Who may do what in the directory: one place, used by the views, the services, the home slots,
the nav items and the photo tag."""

from intranet.roles import Role, has_role, is_internal


def can_manage_directory(user) -> bool:
    """Import agents, edit the org chart and export the directory: HR (and administrators).
    The export carries matricules and every phone number whatever the agents' visibility
    choices; agents find their colleagues through the directory pages."""
    return is_internal(user) and has_role(user, Role.HR)


def can_view_orgchart(user) -> bool:
    """The org chart, unit pages, trombinoscope (and its PDFs) and the arrivals are for the
    administration's own agents; external partners have their own directory of contacts."""
    return is_internal(user)


def photo_shown_in_trombinoscope(agent) -> bool:
    """A trombinoscope is read by colleagues and printed on notice boards: it shows a photo
    only when the agent allows it, whoever looks (the agent sees what colleagues see)."""
    return bool(agent.photo) and agent.show_photo


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


def photo_sight(viewer) -> str:
    """What sets the photos `viewer` sees (`can_see_photo`) apart from what a colleague sees, in the
    key of a page kept for everyone who sees it the same way: partners see none, HR every one, an
    agent who hid their photo their own; every other agent the photos their colleagues show."""
    if not is_internal(viewer):
        return "none"
    if can_manage_agents(viewer):
        return "all"
    if viewer.photo and not viewer.show_photo:
        return f"own-{viewer.pk}"
    return ""
