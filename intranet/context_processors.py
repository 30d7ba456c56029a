from functools import partial

from django.conf import settings

from intranet.registry import registry
from intranet.selectors import todo_count


def _nav_entries(request, user):
    """The menu, computed once per request however many templates are rendered with it."""
    entries = getattr(request, "_nav_entries", None)
    if entries is None:
        entries = request._nav_entries = registry.nav_menu_for(user, request.path)
    return entries


def site(request):
    """The administration's name and the navigation the current user may see."""
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "SITE_NAME": settings.SITE_NAME,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
        "DPO_EMAIL": settings.DPO_EMAIL,
        # Both called by the header only (a template calls a callable): pages without a header
        # (a PDF, an e-mail, a fragment rendered with the request) pay nothing.
        "nav_entries": partial(_nav_entries, request, user) if signed_in else [],
        "todo_count": partial(todo_count, user=user) if signed_in else 0,
    }
