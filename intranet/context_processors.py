from functools import partial

from django.conf import settings

from intranet.registry import registry
from intranet.selectors import todo_count


def site(request):
    """The administration's name and the navigation the current user may see."""
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "SITE_NAME": settings.SITE_NAME,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
        "DPO_EMAIL": settings.DPO_EMAIL,
        "nav_entries": registry.nav_menu_for(user, request.path) if signed_in else [],
        # Called by the header only (a template calls a callable): pages without a header pay nothing.
        "todo_count": partial(todo_count, user=user) if signed_in else 0,
    }
