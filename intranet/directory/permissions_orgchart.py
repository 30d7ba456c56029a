"""Who may read the org chart, the trombinoscope and the arrivals (one place, used by the
views, the home slot and the nav item)."""

from intranet.roles import is_internal


def can_view_orgchart(user) -> bool:
    """The org chart, unit pages, trombinoscope (and its PDFs) and the arrivals are for the
    administration's own agents; external partners have their own directory of contacts."""
    return is_internal(user)


def photo_shown_in_trombinoscope(agent) -> bool:
    """A trombinoscope is read by colleagues and printed on notice boards: it shows a photo
    only when the agent allows it, whoever looks (the agent sees what colleagues see)."""
    return bool(agent.photo) and agent.show_photo
