from functools import partial

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import get_language

from intranet.registry import registry
from intranet.selectors import todo_count


def _nav_entries(request, user):
    """The menu, computed once per request however many templates are rendered with it."""
    entries = getattr(request, "_nav_entries", None)
    if entries is None:
        entries = request._nav_entries = registry.nav_menu_for(user, request.path)
    return entries


# The main navigation's drawings, per language and shape of the menu: a few dozen at most (the
# roles' combinations × the item holding the page), the same for everyone with that shape.
_main_nav_drawn: dict[tuple, str] = {}
_MAIN_NAV_KEPT = 512


def _main_nav(request, user) -> str:
    entries = _nav_entries(request, user)
    page_url = next(
        (url for entry in entries for item, url in entry.items if item.key == entry.active_key and url == request.path),
        "",
    )
    shape = (  # everything the drawing reads, so that two equal shapes draw the same
        get_language(),
        page_url,
        tuple(
            (
                entry.key,
                str(entry.label),
                entry.active_key,
                entry.is_menu,
                tuple((item.key, str(item.label), url) for item, url in entry.items),
            )
            for entry in entries
        ),
    )
    html = _main_nav_drawn.get(shape)
    if html is None:
        html = render_to_string("components/main_nav.html", {"nav_entries": entries, "page_url": page_url})
        if len(_main_nav_drawn) >= _MAIN_NAV_KEPT:
            _main_nav_drawn.clear()
        _main_nav_drawn[shape] = html
    return html


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
        "main_nav": partial(_main_nav, request, user) if signed_in else "",
        "todo_count": partial(todo_count, user=user) if signed_in else 0,
    }
