from functools import partial

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

from intranet.registry import registry
from intranet.selectors import todo_count


def _nav_entries(request, user):
    """The menu, computed once per request however many templates are rendered with it."""
    entries = getattr(request, "_nav_entries", None)
    if entries is None:
        entries = request._nav_entries = registry.nav_menu_for(user, request.path)
    return entries


# The header's drawings that depend on no one in particular (the main navigation, the account
# menu's links), per language and shape: a few dozen at most, kept in the process.
_drawn: dict[tuple, str] = {}
_DRAWN_KEPT = 512


def _draw_once(shape: tuple, template: str, context: dict) -> str:
    html = _drawn.get(shape)
    if html is None:
        html = render_to_string(template, context)
        if len(_drawn) >= _DRAWN_KEPT:
            _drawn.clear()
        _drawn[shape] = html
    return html


def _main_nav(request, user) -> str:
    entries = _nav_entries(request, user)
    page_url = next(
        (url for entry in entries for item, url in entry.items if item.key == entry.active_key and url == request.path),
        "",
    )
    shape = (  # everything the drawing reads, so that two equal shapes draw the same
        "nav",
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
    return _draw_once(shape, "components/main_nav.html", {"nav_entries": entries, "page_url": page_url})


def _account_links(user) -> str:
    is_external, is_staff = bool(user.is_external), bool(user.is_staff)
    shape = ("account", get_language(), get_script_prefix(), get_urlconf(), is_external, is_staff)
    return _draw_once(shape, "components/account_links.html", {"is_external": is_external, "is_staff": is_staff})


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
        "account_links": partial(_account_links, user) if signed_in else "",
        "todo_count": partial(todo_count, user=user) if signed_in else 0,
    }
